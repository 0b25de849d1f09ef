//! `POST /_sandbox/edits` `{"count": N, "dataOwnerId"?, "crmType"?, "seed"?}`: simulated
//! Cube users edit N customers; answers `{"edited": [...]}`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::data::edits::{apply, EditRequest};
use crate::data::tenant::CrmType;
use crate::state::AppState;

pub async fn edit(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let req: EditRequest = if body.is_empty() {
        EditRequest {
            count: 1,
            ..EditRequest::default()
        }
    } else {
        serde_json::from_slice(&body).map_err(|e| super::bad_request(format!("edits: {e}")))?
    };
    let crm_type = match req.crm_type.as_deref() {
        None => None,
        Some(s) => Some(CrmType::parse(s).ok_or_else(|| {
            super::bad_request(format!("edits: crmType '{s}' is not B2C or B2B"))
        })?),
    };
    if let Some(id) = req.data_owner_id {
        if state.tenant.owner(id).is_none() {
            return Err(super::bad_request(format!("edits: no data owner {id}")));
        }
    }
    if req.count > 100_000 {
        return Err(super::bad_request("edits: count is at most 100000"));
    }
    let mut store = state.store.write().expect("store lock");
    let edited = apply(
        &state.tenant,
        &mut store,
        req.count,
        req.data_owner_id,
        crm_type,
        req.seed,
    );
    Ok(Json(json!({ "edited": edited })))
}
