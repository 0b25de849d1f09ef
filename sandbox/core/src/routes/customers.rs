//! CRM customers (paginated), one customer, and the CRM's custom fields (bare array).

use crate::auth::Caller;
use crate::data::customers::Customer;
use crate::data::tenant::{Crm, Tenant};
use crate::error::ApiError;
use crate::http::Response;
use crate::pagination::{json_response, ListRequest};
use crate::record::{array_json, Record};
use crate::routes::{lookup, records};
use crate::state::State;

pub fn list(
    state: &State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
    req: &ListRequest,
) -> Result<Response, ApiError> {
    crm_page(state, caller, owner, crm_type, req, |_, crm, _, c| {
        records::customer(crm, c)
    })
}

/// One page of a CRM's customers (generated, then created), each made into a record by
/// `make(tenant, crm, position, customer)`: the customer list and its callflow view.
pub(super) fn crm_page<'t>(
    state: &'t State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
    req: &ListRequest,
    make: impl Fn(&'t Tenant, &'t Crm, usize, Customer) -> Record<'t>,
) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let crm = lookup::crm(t, caller, owner, crm_type)?;
    let store = state.store.read().expect("store lock");
    let total = store.count(t, (crm.owner_id, crm.crm_type));
    let slice = req.page(total)?;
    let page: Vec<_> = slice
        .range
        .clone()
        .filter_map(|pos| Some(make(t, crm, pos, store.customer_at(t, crm, pos)?)))
        .collect();
    Ok(req.respond(&slice, total, page))
}

pub fn one(
    state: &State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
    customer_id: &str,
) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let crm = lookup::crm(t, caller, owner, crm_type)?;
    let store = state.store.read().expect("store lock");
    let customer = store
        .find(t, crm, customer_id)
        .ok_or_else(ApiError::not_found)?;
    Ok(json_response(records::customer(crm, customer).to_json()))
}

pub fn custom_fields(
    state: &State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
) -> Result<Response, ApiError> {
    let crm = lookup::crm(&state.tenant, caller, owner, crm_type)?;
    let list: Vec<_> = crm.fields.iter().map(records::custom_field).collect();
    Ok(json_response(array_json(&list)))
}
