//! `GET /api/v1/campaigns` (internal users) and `GET /api/v1/client_access/campaigns`
//! (the caller's data owners): bare arrays.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::Response;
use crate::pagination::json_response;
use crate::record::array_json;
use crate::routes::records;
use crate::state::State;

pub fn all(state: &State, caller: &Caller) -> Result<Response, ApiError> {
    caller.require_internal()?;
    let t = &state.tenant;
    let list: Vec<_> = t
        .campaigns
        .iter()
        .map(|c| records::campaign(t, c))
        .collect();
    Ok(json_response(array_json(&list)))
}

pub fn client_access(state: &State, caller: &Caller) -> Response {
    let t = &state.tenant;
    let list: Vec<_> = t
        .campaigns
        .iter()
        .filter(|c| caller.can_see_owner(c.owner_id))
        .map(|c| records::campaign(t, c))
        .collect();
    json_response(array_json(&list))
}
