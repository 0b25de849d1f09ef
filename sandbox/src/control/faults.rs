//! `GET|POST|DELETE /_sandbox/faults`: show, replace, or clear the fault configuration.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::faults::{Engine, FaultConfig};
use crate::state::AppState;

pub async fn show(State(state): State<AppState>) -> Json<Value> {
    Json(state.faults.lock().expect("faults lock").snapshot())
}

pub async fn set(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let config: FaultConfig =
        serde_json::from_slice(&body).map_err(|e| super::bad_request(format!("faults: {e}")))?;
    config
        .validate()
        .map_err(|e| super::bad_request(format!("faults: {e}")))?;
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(config);
    Ok(Json(engine.snapshot()))
}

pub async fn clear(State(state): State<AppState>) -> Json<Value> {
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(FaultConfig::default());
    Json(engine.snapshot())
}
