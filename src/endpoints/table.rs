//! The one table of Cube endpoints: a row per client method. [`super::build`] reads it; the JS
//! layer makes `CubeClient`'s methods and scoped handles from it (`endpointTable()`, written
//! into the package as `js/endpoint-table.js` by the build), and so does the command line; tests
//! check `index.d.ts` (through the TypeScript compiler) and the sandbox's `openapi.json` against
//! it. Adding an endpoint is a row here, its types in `index.d.ts`, and its sandbox route: a
//! test names whatever is missing. What each parameter is — an id, a CRM type, a date, … — is
//! declared once, in [`PARAM_KINDS`].
//!
//! Mind the two path shapes of Cube's API: customers and custom fields live at
//! `/data_owners/{id}/{crm_type}/…`, callflow / call-outcome / product endpoints at
//! `/data_owners/{id}/crm/{crm_type}/…`.

use super::Shape;

/// The client's methods, by their JS names (the order of [`ENDPOINTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    WhoAmI,
    Campaigns,
    ClientAccessCampaigns,
    Customers,
    Customer,
    CustomFields,
    CallflowCustomers,
    CallOutcomes,
    ProductRegistrations,
    LegacyCustomers,
    LegacyResponses,
    LegacyCreateCustomer,
}

/// Where a request goes: its path, with `{param}` filled from the parameter of that (JS)
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathTemplate {
    /// One path.
    Single(&'static str),
    /// A campaign's path (`campaignId`) or a data owner's CRM path (`dataOwnerId` +
    /// `crmType`), never both; `all` when neither is given (else one is required).
    CampaignOrCrm {
        campaign: &'static str,
        crm: &'static str,
        all: Option<&'static str>,
    },
}

/// A rule of an endpoint that a plain path and query cannot say, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `from`/`to`, both or neither, `from` ≤ `to` → `from_date`/`to_date` (`YYYYMMDD`).
    DateRange,
    /// The legacy `/responses` dates: `from` required, `to` optional → `from`/`to`.
    LegacyDates,
    /// The parameter is accepted only with `campaignId` (the CRM path has no such filter).
    CampaignOnly(&'static str),
    /// The POST body is the legacy customer (`customer_id` and `assignment_id` required).
    LegacyCustomerBody,
}

/// What a parameter is, which says how it is checked and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A positive integer id (`dataOwnerId`, `campaignId`, `assignmentId`).
    Id,
    /// `B2C` or `B2B` (any case, `B2c`…).
    CrmType,
    /// A customer's id: text, as the CRM wrote it (`000417` stays `000417`).
    CustomerId,
    /// Free text (`callState`).
    Text,
    /// A day: `YYYY-MM-DD`, `YYYYMMDD` or a `Date`.
    Date,
    /// The page to start at (lists).
    Page,
}

/// Every parameter of the table and what it is.
pub const PARAM_KINDS: [(&str, ParamKind); 10] = [
    ("dataOwnerId", ParamKind::Id),
    ("crmType", ParamKind::CrmType),
    ("customerId", ParamKind::CustomerId),
    ("campaignId", ParamKind::Id),
    ("assignmentId", ParamKind::Id),
    ("callState", ParamKind::Text),
    ("from", ParamKind::Date),
    ("to", ParamKind::Date),
    ("page", ParamKind::Page),
    ("limit", ParamKind::Page),
];

/// What the parameter `name` is; `None` for a name the table does not have.
pub fn param_kind(name: &str) -> Option<ParamKind> {
    PARAM_KINDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

/// A scoped handle of the client, which fills in its parameters for the methods it offers:
/// `cube.crm(dataOwnerId, crmType)` and `cube.campaign(campaignId)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handle {
    Crm,
    Campaign,
}

impl Handle {
    /// The client method that makes it.
    pub fn name(self) -> &'static str {
        match self {
            Handle::Crm => "crm",
            Handle::Campaign => "campaign",
        }
    }

    /// The parameters it fills in, in the order its method takes them.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Handle::Crm => &["dataOwnerId", "crmType"],
            Handle::Campaign => &["campaignId"],
        }
    }
}

/// One endpoint: everything the client, its types, its docs and the sandbox agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The client method of this row (the row's place in [`ENDPOINTS`]).
    pub method: Method,
    /// That method's JS name (`callOutcomes`): the JS layer's method, `endpointTable()`'s
    /// `method`, the command line's command (kebab-cased).
    pub js_name: &'static str,
    /// `GET` or `POST`.
    pub http: &'static str,
    /// What the answer holds; `Pages` makes the method return a `Pager`.
    pub shape: Shape,
    /// The parameters the caller may pass (JS names; `page` for lists), besides the call
    /// options (`signal`, `onProgress`).
    pub params: &'static [&'static str],
    pub path: PathTemplate,
    /// Query parameters: (JS name, name on the wire), added when given.
    pub query: &'static [(&'static str, &'static str)],
    pub rules: &'static [Rule],
    /// The request body's JS name (`customer`): the method's first argument, a JSON object.
    pub body: Option<&'static str>,
    /// The scoped handles that offer this method.
    pub handles: &'static [Handle],
    /// On a handle, the parameter the method takes as its first argument, before the options
    /// (`crm(…).customer(customerId)`).
    pub positional: Option<&'static str>,
}

impl Endpoint {
    /// Every path this endpoint may call (for the OpenAPI check).
    pub fn paths(&self) -> Vec<&'static str> {
        match self.path {
            PathTemplate::Single(p) => vec![p],
            PathTemplate::CampaignOrCrm { campaign, crm, all } => [Some(campaign), Some(crm), all]
                .into_iter()
                .flatten()
                .collect(),
        }
    }
}

const CRM: &[&str] = &["dataOwnerId", "crmType"];
const CRM_LIST: &[&str] = &["dataOwnerId", "crmType", "page"];
const DATED: &[&str] = &["campaignId", "dataOwnerId", "crmType", "from", "to", "page"];

const fn row(
    method: Method,
    js_name: &'static str,
    shape: Shape,
    params: &'static [&'static str],
    path: PathTemplate,
) -> Endpoint {
    Endpoint {
        method,
        js_name,
        http: "GET",
        shape,
        params,
        path,
        query: &[],
        rules: &[],
        body: None,
        handles: &[],
        positional: None,
    }
}

/// Every endpoint, in the order of [`Method`].
pub const ENDPOINTS: [Endpoint; 12] = [
    row(
        Method::WhoAmI,
        "whoAmI",
        Shape::Object,
        &[],
        PathTemplate::Single("/account/who_am_i"),
    ),
    row(
        Method::Campaigns,
        "campaigns",
        Shape::Array,
        &[],
        PathTemplate::Single("/api/v1/campaigns"),
    ),
    row(
        Method::ClientAccessCampaigns,
        "clientAccessCampaigns",
        Shape::Array,
        &[],
        PathTemplate::Single("/api/v1/client_access/campaigns"),
    ),
    Endpoint {
        handles: &[Handle::Crm],
        ..row(
            Method::Customers,
            "customers",
            Shape::Pages,
            CRM_LIST,
            PathTemplate::Single("/api/v1/data_owners/{dataOwnerId}/{crmType}/customers/"),
        )
    },
    Endpoint {
        handles: &[Handle::Crm],
        positional: Some("customerId"),
        ..row(
            Method::Customer,
            "customer",
            Shape::Object,
            &["dataOwnerId", "crmType", "customerId"],
            PathTemplate::Single(
                "/api/v1/data_owners/{dataOwnerId}/{crmType}/customers/{customerId}",
            ),
        )
    },
    Endpoint {
        handles: &[Handle::Crm],
        ..row(
            Method::CustomFields,
            "customFields",
            Shape::Array,
            CRM,
            PathTemplate::Single("/api/v1/data_owners/{dataOwnerId}/{crmType}/crm_custom_fields/"),
        )
    },
    Endpoint {
        query: &[("callState", "call_state")],
        rules: &[Rule::CampaignOnly("callState")],
        handles: &[Handle::Crm, Handle::Campaign],
        ..row(
            Method::CallflowCustomers,
            "callflowCustomers",
            Shape::Pages,
            &["campaignId", "callState", "dataOwnerId", "crmType", "page"],
            PathTemplate::CampaignOrCrm {
                campaign: "/api/v1/campaigns/{campaignId}/callflow_customers/",
                crm: "/api/v1/data_owners/{dataOwnerId}/crm/{crmType}/callflow_customers/",
                all: None,
            },
        )
    },
    Endpoint {
        rules: &[Rule::DateRange],
        handles: &[Handle::Crm, Handle::Campaign],
        ..row(
            Method::CallOutcomes,
            "callOutcomes",
            Shape::Pages,
            DATED,
            PathTemplate::CampaignOrCrm {
                campaign: "/api/v1/campaigns/{campaignId}/call_outcomes/",
                crm: "/api/v1/data_owners/{dataOwnerId}/crm/{crmType}/call_outcomes/",
                all: Some("/api/v1/call_outcomes/"),
            },
        )
    },
    Endpoint {
        rules: &[Rule::DateRange],
        handles: &[Handle::Crm, Handle::Campaign],
        ..row(
            Method::ProductRegistrations,
            "productRegistrations",
            Shape::Pages,
            DATED,
            PathTemplate::CampaignOrCrm {
                campaign: "/api/v1/campaigns/{campaignId}/product_registrations/",
                crm: "/api/v1/data_owners/{dataOwnerId}/crm/{crmType}/product_registrations/",
                all: None,
            },
        )
    },
    Endpoint {
        query: &[("assignmentId", "assignment_id")],
        ..row(
            Method::LegacyCustomers,
            "legacyCustomers",
            Shape::Pages,
            &["assignmentId", "page"],
            PathTemplate::Single("/crm/customers"),
        )
    },
    Endpoint {
        query: &[("campaignId", "campaign_id")],
        rules: &[Rule::LegacyDates],
        ..row(
            Method::LegacyResponses,
            "legacyResponses",
            Shape::Pages,
            &["campaignId", "from", "to", "page"],
            PathTemplate::Single("/responses"),
        )
    },
    Endpoint {
        http: "POST",
        rules: &[Rule::LegacyCustomerBody],
        body: Some("customer"),
        ..row(
            Method::LegacyCreateCustomer,
            "legacyCreateCustomer",
            Shape::Object,
            &[],
            PathTemplate::Single("/crm/customers"),
        )
    },
];

impl Method {
    /// Every method, in table order.
    pub const ALL: [Method; 12] = {
        let mut all = [Method::WhoAmI; 12];
        let mut i = 0;
        while i < 12 {
            all[i] = ENDPOINTS[i].method;
            i += 1;
        }
        all
    };

    /// Its row of the table.
    pub fn endpoint(self) -> &'static Endpoint {
        &ENDPOINTS[self as usize]
    }

    pub fn js_name(self) -> &'static str {
        self.endpoint().js_name
    }

    pub fn from_js_name(name: &str) -> Option<Method> {
        ENDPOINTS
            .iter()
            .find(|e| e.js_name == name)
            .map(|e| e.method)
    }
}
