//! The Cube API's routes, current (`/api/v1`) and legacy. Every path answers with and
//! without its trailing slash.

mod account;
mod callflow;
mod campaigns;
mod customers;
mod legacy;
mod lookup;
mod outcomes;
pub mod records;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;
use axum::Router;
use outcomes::{OUTCOMES, PRODUCTS};

use crate::error::ApiError;
use crate::state::AppState;

/// True for paths of the emulated Cube API (logged, subject to faults and latency).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/account/")
        || path == "/crm/customers"
        || path.starts_with("/crm/customers/")
        || path == "/responses"
        || path.starts_with("/responses/")
}

/// True for the paginated lists of `/api/v1` (where envelope faults apply).
pub fn is_paginated_path(path: &str) -> bool {
    if !path.starts_with("/api/v1/") {
        return false;
    }
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    matches!(
        last,
        "customers" | "callflow_customers" | "call_outcomes" | "product_registrations"
    )
}

/// Registers a route with and without its trailing slash.
fn both(router: Router<AppState>, path: &str, method: MethodRouter<AppState>) -> Router<AppState> {
    let trimmed = path.trim_end_matches('/');
    router
        .route(trimmed, method.clone())
        .route(&format!("{trimmed}/"), method)
}

/// A GET route answering DRF's 405 for other methods (after authentication, as DRF does).
fn get<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    axum::routing::get(handler).fallback(method_not_allowed)
}

async fn method_not_allowed(_caller: crate::auth::Caller, method: Method) -> ApiError {
    ApiError::method_not_allowed(method.as_str())
}

const OWNER: &str = "/api/v1/data_owners/{data_owner_id}";

pub fn router() -> Router<AppState> {
    let mut r = Router::new();
    r = both(r, "/account/who_am_i", get(account::who_am_i));
    r = both(r, "/api/v1/campaigns", get(campaigns::all));
    r = both(
        r,
        "/api/v1/client_access/campaigns",
        get(campaigns::client_access),
    );
    r = both(
        r,
        &format!("{OWNER}/{{crm_type}}/customers/"),
        get(customers::list),
    );
    r = both(
        r,
        &format!("{OWNER}/{{crm_type}}/customers/{{customer_id}}"),
        get(customers::one),
    );
    r = both(
        r,
        &format!("{OWNER}/{{crm_type}}/crm_custom_fields/"),
        get(customers::custom_fields),
    );
    r = both(
        r,
        &format!("{OWNER}/crm/{{crm_type}}/callflow_customers/"),
        get(callflow::in_crm),
    );
    r = both(
        r,
        "/api/v1/campaigns/{campaign_id}/callflow_customers/",
        get(callflow::in_campaign),
    );
    r = both(r, "/api/v1/call_outcomes/", get(outcomes::all));
    r = both(
        r,
        &format!("{OWNER}/crm/{{crm_type}}/call_outcomes/"),
        get(outcomes::in_crm::<OUTCOMES>),
    );
    r = both(
        r,
        "/api/v1/campaigns/{campaign_id}/call_outcomes/",
        get(outcomes::in_campaign::<OUTCOMES>),
    );
    r = both(
        r,
        &format!("{OWNER}/crm/{{crm_type}}/product_registrations/"),
        get(outcomes::in_crm::<PRODUCTS>),
    );
    r = both(
        r,
        "/api/v1/campaigns/{campaign_id}/product_registrations/",
        get(outcomes::in_campaign::<PRODUCTS>),
    );
    r = both(
        r,
        "/crm/customers",
        get(legacy::customers).post(legacy::create),
    );
    r = both(r, "/responses", get(legacy::responses));
    r
}
