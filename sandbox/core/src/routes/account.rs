//! `GET /account/who_am_i`: the credentials check.

use serde_json::json;

use crate::auth::{Caller, EXTERNAL_DATA_OWNERS};
use crate::error::ApiError;
use crate::http::Response;
use crate::pagination::json_response;
use crate::state::State;

pub fn who_am_i(state: &State, caller: &Caller) -> Result<Response, ApiError> {
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
    Ok(json_response(
        json!({
            "username": caller.username,
            "email": caller.username,
            "name": format!("{first} {last}"),
            "first_name": first,
            "last_name": last,
            "tenant": "demo",
            "is_external": caller.external,
            "data_owner_ids": owners,
        })
        .to_string()
        .into_bytes(),
    ))
}
