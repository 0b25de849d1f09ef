//! `GET /account/who_am_i`: the credentials check.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::auth::{authenticate, EXTERNAL_DATA_OWNERS};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn who_am_i(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = authenticate(&headers, &state.config)?;
    let owners: Vec<u32> = if caller.external {
        EXTERNAL_DATA_OWNERS
            .iter()
            .copied()
            .filter(|id| *id <= state.config.data_owners)
            .collect()
    } else {
        (1..=state.config.data_owners).collect()
    };
    let (first, last) = if caller.external {
        ("Pia", "Partner")
    } else {
        ("Demo", "Caller")
    };
    Ok(Json(json!({
        "username": caller.username,
        "email": caller.username,
        "name": format!("{first} {last}"),
        "first_name": first,
        "last_name": last,
        "tenant": "demo",
        "is_external": caller.external,
        "data_owner_ids": owners,
    })))
}
