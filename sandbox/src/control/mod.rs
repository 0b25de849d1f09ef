//! The sandbox's own control API under `/_sandbox/` (no auth).

mod requests;

use axum::routing::get;
use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/_sandbox/requests",
        get(requests::list).delete(requests::clear),
    )
}
