//! The sandbox's own control API under `/_sandbox/` (no auth, CORS like the rest).

mod edits;
mod faults;
mod info;
mod requests;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/_sandbox/requests",
            get(requests::list).delete(requests::clear),
        )
        .route("/_sandbox/info", get(info::info))
        .route("/_sandbox/edits", post(edits::edit))
        .route("/_sandbox/reset", post(reset))
        .route(
            "/_sandbox/faults",
            get(faults::show).post(faults::set).delete(faults::clear),
        )
        .route("/openapi.json", get(openapi))
}

async fn reset(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::Json<serde_json::Value> {
    state.reset();
    axum::Json(json!({"reset": true}))
}

/// The OpenAPI 3 description of the emulated Cube API (`sandbox/openapi.json`).
pub const OPENAPI: &str = include_str!("../../openapi.json");

async fn openapi() -> (StatusCode, [(&'static str, &'static str); 1], &'static str) {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        OPENAPI,
    )
}

/// A 400 for a control request body.
fn bad_request(message: impl Into<String>) -> (StatusCode, axum::Json<serde_json::Value>) {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"detail": message.into()})),
    )
}
