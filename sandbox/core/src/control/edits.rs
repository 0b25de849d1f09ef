//! `POST /_sandbox/edits` `{"count"?: N, "dataOwnerId"?, "crmType"?, "seed"?}`: simulated
//! Cube users edit N customers; answers `{"edited": [...]}`.

use serde_json::{json, Value};

use crate::data::edits::{apply, EditRequest};
use crate::data::tenant::CrmType;
use crate::state::State;

/// No body, `null` and `{}` edit one customer; a member the sandbox does not read is refused
/// (serde names it and lists the ones it takes).
pub fn edit(state: &State, body: &[u8]) -> Result<Value, String> {
    let req: Option<EditRequest> = if body.is_empty() {
        None
    } else {
        serde_json::from_slice(body).map_err(|e| format!("edits: {e}"))?
    };
    let req = req.unwrap_or_default();
    let crm_type = match req.crm_type.as_deref() {
        None => None,
        Some(s) => Some(
            CrmType::parse(s).ok_or_else(|| format!("edits: crmType '{s}' is not B2C or B2B"))?,
        ),
    };
    if let Some(id) = req.data_owner_id {
        if state.tenant.owner(id).is_none() {
            return Err(format!("edits: no data owner {id}"));
        }
    }
    if req.count > 100_000 {
        return Err("edits: count is at most 100000".to_string());
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
    Ok(json!({ "edited": edited }))
}
