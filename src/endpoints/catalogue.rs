//! The endpoint table. Mind the two path shapes of Cube's API: customers and custom fields
//! live at `/data_owners/{id}/{crm_type}/…`, callflow / call-outcome / product endpoints at
//! `/data_owners/{id}/crm/{crm_type}/…`.

use super::params::{self, ParamSource};
use super::query::{encode_component, with_query};
use super::{RequestSpec, Shape};
use crate::errors::CubeError;

/// The client's methods, by their JS names.
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

impl Method {
    pub const ALL: [Method; 12] = [
        Method::WhoAmI,
        Method::Campaigns,
        Method::ClientAccessCampaigns,
        Method::Customers,
        Method::Customer,
        Method::CustomFields,
        Method::CallflowCustomers,
        Method::CallOutcomes,
        Method::ProductRegistrations,
        Method::LegacyCustomers,
        Method::LegacyResponses,
        Method::LegacyCreateCustomer,
    ];

    pub fn js_name(self) -> &'static str {
        match self {
            Method::WhoAmI => "whoAmI",
            Method::Campaigns => "campaigns",
            Method::ClientAccessCampaigns => "clientAccessCampaigns",
            Method::Customers => "customers",
            Method::Customer => "customer",
            Method::CustomFields => "customFields",
            Method::CallflowCustomers => "callflowCustomers",
            Method::CallOutcomes => "callOutcomes",
            Method::ProductRegistrations => "productRegistrations",
            Method::LegacyCustomers => "legacyCustomers",
            Method::LegacyResponses => "legacyResponses",
            Method::LegacyCreateCustomer => "legacyCreateCustomer",
        }
    }

    pub fn from_js_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.js_name() == name)
    }

    /// What a successful answer holds.
    pub fn shape(self) -> Shape {
        match self {
            Method::WhoAmI | Method::Customer | Method::LegacyCreateCustomer => Shape::Object,
            Method::Campaigns | Method::ClientAccessCampaigns | Method::CustomFields => {
                Shape::Array
            }
            _ => Shape::Pages,
        }
    }

    /// `GET`, or `POST` for the one call that creates something.
    pub fn http_method(self) -> &'static str {
        match self {
            Method::LegacyCreateCustomer => "POST",
            _ => "GET",
        }
    }

    /// The parameters it takes, by their JS names (`page` for lists, `customer` for the body
    /// of a create).
    pub fn params(self) -> &'static [&'static str] {
        self.allowed()
    }

    fn allowed(self) -> &'static [&'static str] {
        const CRM: &[&str] = &["dataOwnerId", "crmType", "page"];
        match self {
            Method::WhoAmI | Method::Campaigns | Method::ClientAccessCampaigns => &[],
            Method::Customers => CRM,
            Method::Customer => &["dataOwnerId", "crmType", "customerId"],
            Method::CustomFields => &["dataOwnerId", "crmType"],
            Method::CallflowCustomers => {
                &["campaignId", "callState", "dataOwnerId", "crmType", "page"]
            }
            Method::CallOutcomes | Method::ProductRegistrations => {
                &["campaignId", "dataOwnerId", "crmType", "from", "to", "page"]
            }
            Method::LegacyCustomers => &["assignmentId", "page"],
            Method::LegacyResponses => &["campaignId", "from", "to", "page"],
            Method::LegacyCreateCustomer => &["customer"],
        }
    }
}

/// Check `params` for `method` and build the request. `body` is the JSON text of the
/// `customer` object for [`Method::LegacyCreateCustomer`].
pub fn build(
    method: Method,
    params: &dyn ParamSource,
    body: Option<&str>,
) -> Result<RequestSpec, CubeError> {
    let name = method.js_name();
    params::check_known(name, params, method.allowed())?;
    let get = |path: String, shape: Shape| RequestSpec {
        http_method: "GET",
        path_and_query: path,
        shape,
        body: None,
        start_page: 1,
    };
    let mut spec = match method {
        Method::WhoAmI => get("/account/who_am_i".into(), Shape::Object),
        Method::Campaigns => get("/api/v1/campaigns".into(), Shape::Array),
        Method::ClientAccessCampaigns => {
            get("/api/v1/client_access/campaigns".into(), Shape::Array)
        }
        Method::Customers => {
            let (owner, crm) = crm_of(name, params)?;
            get(
                format!("/api/v1/data_owners/{owner}/{crm}/customers/"),
                Shape::Pages,
            )
        }
        Method::Customer => {
            let (owner, crm) = crm_of(name, params)?;
            let id = params::text(name, params, "customerId", 200)?.ok_or_else(|| {
                CubeError::invalid_argument(
                    "customerId",
                    format!("{name}(): customerId is required (the customer's id, a text)"),
                )
            })?;
            // "." and ".." would be read as path segments by every URL parser (encoded too):
            // another endpoint would be called.
            if id == "." || id == ".." {
                return Err(CubeError::invalid_argument(
                    "customerId",
                    format!("{name}(): customerId {id:?} is not a customer id"),
                ));
            }
            get(
                format!(
                    "/api/v1/data_owners/{owner}/{crm}/customers/{}",
                    encode_component(&id)
                ),
                Shape::Object,
            )
        }
        Method::CustomFields => {
            let (owner, crm) = crm_of(name, params)?;
            get(
                format!("/api/v1/data_owners/{owner}/{crm}/crm_custom_fields/"),
                Shape::Array,
            )
        }
        Method::CallflowCustomers => match scope(name, params, false)? {
            Scope::Campaign(id) => {
                let state = params::text(name, params, "callState", 100)?;
                let pairs: Vec<(&str, String)> =
                    state.into_iter().map(|s| ("call_state", s)).collect();
                get(
                    with_query(
                        &format!("/api/v1/campaigns/{id}/callflow_customers/"),
                        &pairs,
                    ),
                    Shape::Pages,
                )
            }
            Scope::Crm(owner, crm) => {
                refuse(name, params, "callState", "only with campaignId")?;
                get(
                    format!("/api/v1/data_owners/{owner}/crm/{crm}/callflow_customers/"),
                    Shape::Pages,
                )
            }
            Scope::All => unreachable!("scope() requires a campaign or a CRM here"),
        },
        Method::CallOutcomes | Method::ProductRegistrations => {
            let leaf = if method == Method::CallOutcomes {
                "call_outcomes"
            } else {
                "product_registrations"
            };
            let path = match scope(name, params, method == Method::CallOutcomes)? {
                Scope::Campaign(id) => format!("/api/v1/campaigns/{id}/{leaf}/"),
                Scope::Crm(owner, crm) => format!("/api/v1/data_owners/{owner}/crm/{crm}/{leaf}/"),
                Scope::All => format!("/api/v1/{leaf}/"),
            };
            get(with_query(&path, &date_range(name, params)?), Shape::Pages)
        }
        Method::LegacyCustomers => {
            let id = params::required_id(name, params, "assignmentId")?;
            get(format!("/crm/customers?assignment_id={id}"), Shape::Pages)
        }
        Method::LegacyResponses => {
            let id = params::required_id(name, params, "campaignId")?;
            let mut pairs = vec![("campaign_id", id.to_string())];
            let from = params::date(name, params, "from")?.ok_or_else(|| {
                CubeError::invalid_argument(
                    "from",
                    format!("{name}(): from is required by the legacy /responses endpoint"),
                )
            })?;
            let to = params::date(name, params, "to")?;
            if let Some(to) = to {
                if from > to {
                    return Err(from_after_to(name, from, to));
                }
            }
            pairs.push(("from", from.compact()));
            if let Some(to) = to {
                pairs.push(("to", to.compact()));
            }
            get(with_query("/responses", &pairs), Shape::Pages)
        }
        Method::LegacyCreateCustomer => RequestSpec {
            http_method: "POST",
            path_and_query: "/crm/customers".into(),
            shape: Shape::Object,
            body: Some(legacy_customer_body(name, body)?),
            start_page: 1,
        },
    };
    debug_assert_eq!(spec.shape, method.shape(), "{name}");
    debug_assert_eq!(spec.http_method, method.http_method(), "{name}");
    if spec.shape == Shape::Pages {
        spec.start_page = params::start_page(name, params)?;
    }
    Ok(spec)
}

enum Scope {
    Campaign(u64),
    Crm(u64, &'static str),
    All,
}

/// A campaign (`campaignId`) or a CRM (`dataOwnerId` + `crmType`), never both.
fn scope(name: &str, params: &dyn ParamSource, all_allowed: bool) -> Result<Scope, CubeError> {
    let campaign = params::id(name, params, "campaignId")?;
    let owner = params::id(name, params, "dataOwnerId")?;
    let crm = params::crm_type(name, params)?;
    match (campaign, owner, crm) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(CubeError::invalid_argument(
            "campaignId",
            format!("{name}(): give either campaignId or dataOwnerId + crmType, not both"),
        )),
        (Some(id), None, None) => Ok(Scope::Campaign(id)),
        (None, Some(owner), Some(crm)) => Ok(Scope::Crm(owner, crm)),
        (None, Some(_), None) => Err(CubeError::invalid_argument(
            "crmType",
            format!("{name}(): crmType is required with dataOwnerId (\"B2C\" or \"B2B\")"),
        )),
        (None, None, Some(_)) => Err(CubeError::invalid_argument(
            "dataOwnerId",
            format!("{name}(): dataOwnerId is required with crmType"),
        )),
        (None, None, None) if all_allowed => Ok(Scope::All),
        (None, None, None) => Err(CubeError::invalid_argument(
            "campaignId",
            format!("{name}(): campaignId, or dataOwnerId + crmType, is required"),
        )),
    }
}

fn crm_of(name: &str, params: &dyn ParamSource) -> Result<(u64, &'static str), CubeError> {
    Ok((
        params::required_id(name, params, "dataOwnerId")?,
        params::required_crm_type(name, params)?,
    ))
}

fn refuse(name: &str, params: &dyn ParamSource, key: &str, why: &str) -> Result<(), CubeError> {
    match params.get(key) {
        Some(_) => Err(CubeError::invalid_argument(
            key,
            format!("{name}(): {key} is accepted {why}"),
        )),
        None => Ok(()),
    }
}

/// `from`/`to` → `from_date`/`to_date`. Both or neither: with one missing, Cube silently
/// returns "today" only, which is never what a caller who gave one date meant.
fn date_range(
    name: &str,
    params: &dyn ParamSource,
) -> Result<Vec<(&'static str, String)>, CubeError> {
    let from = params::date(name, params, "from")?;
    let to = params::date(name, params, "to")?;
    match (from, to) {
        (None, None) => Ok(vec![]),
        (Some(from), Some(to)) if from > to => Err(from_after_to(name, from, to)),
        (Some(from), Some(to)) => Ok(vec![
            ("from_date", from.compact()),
            ("to_date", to.compact()),
        ]),
        (Some(_), None) => Err(CubeError::invalid_argument(
            "to",
            format!("{name}(): give both from and to, or neither (Cube then returns today only)"),
        )),
        (None, Some(_)) => Err(CubeError::invalid_argument(
            "from",
            format!("{name}(): give both from and to, or neither (Cube then returns today only)"),
        )),
    }
}

fn from_after_to(name: &str, from: super::dates::Date, to: super::dates::Date) -> CubeError {
    CubeError::invalid_argument(
        "from",
        format!("{name}(): from ({from}) is after to ({to})"),
    )
}

/// The legacy create body: a JSON object with `customer_id` (text) and `assignment_id`
/// (positive integer) at least.
fn legacy_customer_body(name: &str, body: Option<&str>) -> Result<String, CubeError> {
    let err = |msg: &str| CubeError::invalid_argument("customer", format!("{name}(): {msg}"));
    let body = body
        .ok_or_else(|| err("customer is required: an object with customer_id and assignment_id"))?;
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|_| err("customer must be a plain object"))?;
    let obj = value
        .as_object()
        .ok_or_else(|| err("customer must be a plain object"))?;
    match obj.get("customer_id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {}
        Some(serde_json::Value::Number(_)) => {}
        _ => {
            return Err(CubeError::invalid_argument(
                "customer.customer_id",
                format!("{name}(): customer.customer_id is required (the id in your CRM)"),
            ))
        }
    }
    let assignment_ok = match obj.get("assignment_id") {
        Some(serde_json::Value::Number(n)) => n.as_u64().is_some_and(|n| n >= 1),
        Some(serde_json::Value::String(s)) => s.parse::<u64>().is_ok_and(|n| n >= 1),
        _ => false,
    };
    if !assignment_ok {
        return Err(CubeError::invalid_argument(
            "customer.assignment_id",
            format!("{name}(): customer.assignment_id is required (a positive integer)"),
        ));
    }
    Ok(body.to_string())
}
