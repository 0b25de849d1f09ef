//! The Cube API's routes, current (`/api/v1`) and legacy.

mod account;

use axum::handler::Handler;
use axum::routing::MethodRouter;
use axum::Router;

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

/// Registers a route with and without its trailing slash.
fn both(router: Router<AppState>, path: &str, method: MethodRouter<AppState>) -> Router<AppState> {
    let trimmed = path.trim_end_matches('/');
    let with_slash = format!("{trimmed}/");
    router
        .route(trimmed, method.clone())
        .route(&with_slash, method)
}

/// A GET route answering DRF's 405 for other methods.
fn get<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    axum::routing::get(handler).fallback(method_not_allowed)
}

async fn method_not_allowed(method: axum::http::Method) -> crate::error::ApiError {
    crate::error::ApiError::method_not_allowed(method.as_str())
}

pub fn router() -> Router<AppState> {
    let r = Router::new();
    both(r, "/account/who_am_i", get(account::who_am_i))
}
