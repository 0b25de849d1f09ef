//! `GET /_sandbox/requests` (the log, in order of arrival) and `DELETE` (clears it).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use crate::request_log::LogEntry;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>) -> Json<Vec<LogEntry>> {
    Json(state.log.lock().expect("log lock").entries())
}

pub async fn clear(State(state): State<AppState>) -> StatusCode {
    state.log.lock().expect("log lock").clear();
    StatusCode::NO_CONTENT
}
