//! The Cube API's routes, current (`/api/v1`) and legacy. Every path answers with and
//! without its trailing slash; every route authenticates first, then checks the method
//! (DRF's 405 comes after its 401), then its parameters.

mod account;
mod callflow;
mod campaigns;
mod customers;
mod legacy;
mod lookup;
mod outcomes;
pub mod records;

use outcomes::{OUTCOMES, PRODUCTS};

use crate::auth::{authenticate, Caller};
use crate::error::ApiError;
use crate::faults::FaultKind;
use crate::http::{Request, Response};
use crate::pagination::ListRequest;
use crate::params;
use crate::state::State;

/// The answer of a Cube route, or `None` when no route has this path.
/// `envelope`: an envelope fault for a paginated list to apply.
pub fn answer(sb: &State, req: &Request<'_>, envelope: Option<FaultKind>) -> Option<Response> {
    let path = req.path.strip_suffix('/').unwrap_or(req.path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let route = CubeRoute::of(&segments)?;
    Some(
        route
            .run(sb, req, &segments, envelope)
            .unwrap_or_else(ApiError::into_response),
    )
}

/// Every Cube route (the control API has its own), by the shape of its path.
#[derive(Clone, Copy)]
enum CubeRoute {
    WhoAmI,
    Campaigns,
    ClientAccessCampaigns,
    Customers,
    Customer,
    CustomFields,
    CallflowInCrm,
    CallflowInCampaign,
    OutcomesAll,
    OutcomesInCrm,
    OutcomesInCampaign,
    ProductsInCrm,
    ProductsInCampaign,
    LegacyCustomers,
    LegacyResponses,
}

impl CubeRoute {
    fn of(s: &[&str]) -> Option<CubeRoute> {
        use CubeRoute::*;
        let param = |i: usize| s.get(i).is_some_and(|p| !p.is_empty());
        Some(match s {
            ["account", "who_am_i"] => WhoAmI,
            ["api", "v1", "campaigns"] => Campaigns,
            ["api", "v1", "client_access", "campaigns"] => ClientAccessCampaigns,
            ["api", "v1", "call_outcomes"] => OutcomesAll,
            ["api", "v1", "campaigns", _, last] if param(3) => match *last {
                "callflow_customers" => CallflowInCampaign,
                "call_outcomes" => OutcomesInCampaign,
                "product_registrations" => ProductsInCampaign,
                _ => return None,
            },
            ["api", "v1", "data_owners", _, _, "customers"] if param(3) && param(4) => Customers,
            ["api", "v1", "data_owners", _, _, "customers", _]
                if param(3) && param(4) && param(6) =>
            {
                Customer
            }
            ["api", "v1", "data_owners", _, _, "crm_custom_fields"] if param(3) && param(4) => {
                CustomFields
            }
            ["api", "v1", "data_owners", _, "crm", _, last] if param(3) && param(5) => {
                match *last {
                    "callflow_customers" => CallflowInCrm,
                    "call_outcomes" => OutcomesInCrm,
                    "product_registrations" => ProductsInCrm,
                    _ => return None,
                }
            }
            ["crm", "customers"] => LegacyCustomers,
            ["responses"] => LegacyResponses,
            _ => return None,
        })
    }

    fn run(
        self,
        sb: &State,
        req: &Request<'_>,
        s: &[&str],
        envelope: Option<FaultKind>,
    ) -> Result<Response, ApiError> {
        use CubeRoute::*;
        let caller: Caller = authenticate(req.header("authorization"), &sb.config)?;
        let post = matches!(self, LegacyCustomers) && req.method == "POST";
        if !matches!(req.method, "GET" | "HEAD") && !post {
            let allow = match self {
                LegacyCustomers => "GET, POST, HEAD, OPTIONS",
                _ => "GET, HEAD, OPTIONS",
            };
            return Err(ApiError::method_not_allowed(req.method, allow));
        }
        let p = |i: usize| params::decode_segment(s[i]);
        let list = || ListRequest::new(req, sb.config.page_size, envelope.clone());
        let c = &caller;
        match self {
            WhoAmI => account::who_am_i(sb, c),
            Campaigns => campaigns::all(sb, c),
            ClientAccessCampaigns => Ok(campaigns::client_access(sb, c)),
            Customers => customers::list(sb, c, &p(3), &p(4), &list()),
            Customer => customers::one(sb, c, &p(3), &p(4), &p(6)),
            CustomFields => customers::custom_fields(sb, c, &p(3), &p(4)),
            CallflowInCrm => callflow::in_crm(sb, c, &p(3), &p(5), &list()),
            CallflowInCampaign => callflow::in_campaign(sb, c, &p(3), &list()),
            OutcomesAll => outcomes::all(sb, c, &list()),
            OutcomesInCrm => outcomes::in_crm::<OUTCOMES>(sb, c, &p(3), &p(5), &list()),
            OutcomesInCampaign => outcomes::in_campaign::<OUTCOMES>(sb, c, &p(3), &list()),
            ProductsInCrm => outcomes::in_crm::<PRODUCTS>(sb, c, &p(3), &p(5), &list()),
            ProductsInCampaign => outcomes::in_campaign::<PRODUCTS>(sb, c, &p(3), &list()),
            LegacyCustomers if post => legacy::create(sb, c, req),
            LegacyCustomers => legacy::customers(sb, c, &list()),
            LegacyResponses => legacy::responses(sb, c, &list()),
        }
    }
}
