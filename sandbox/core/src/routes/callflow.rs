//! Callflow customers: each customer's call status in a CRM or a campaign
//! (`call_state` filters the campaign list by exact state name).

use crate::auth::Caller;
use crate::data::callflow::{state_of, status};
use crate::error::ApiError;
use crate::http::Response;
use crate::pagination::ListRequest;
use crate::routes::{customers, lookup, records};
use crate::state::State;

pub fn in_crm(
    state: &State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
    req: &ListRequest,
) -> Result<Response, ApiError> {
    customers::crm_page(state, caller, owner, crm_type, req, |t, crm, pos, c| {
        let campaign = t.campaign_for_customer(crm.owner_id, crm.crm_type, pos as u32);
        let (id, segments) = campaign.map_or((0, &[][..]), |k| (k.id, &k.segments[..]));
        let s = status(t.seed, id, pos as u32, segments, t.today);
        records::callflow(campaign, c, s)
    })
}

pub fn in_campaign(
    state: &State,
    caller: &Caller,
    campaign_id: &str,
    req: &ListRequest,
) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let campaign = lookup::campaign(t, caller, "campaign_id", campaign_id)?;
    let crm = t
        .crm(campaign.owner_id, campaign.crm_type)
        .ok_or_else(ApiError::not_found)?;
    let range = campaign.lo..campaign.lo + campaign.len;
    let indices: Vec<u32> = match req.param("call_state").filter(|s| !s.is_empty()) {
        Some(wanted) => range
            .filter(|i| state_of(t.seed, campaign.id, *i) == wanted)
            .collect(),
        None => range.collect(),
    };
    let slice = req.page(indices.len())?;
    let store = state.store.read().expect("store lock");
    let page: Vec<_> = indices[slice.range.clone()]
        .iter()
        .map(|&i| {
            let customer = store.generated(t, crm, i);
            let s = status(t.seed, campaign.id, i, &campaign.segments, t.today);
            records::callflow(Some(campaign), customer, s)
        })
        .collect();
    Ok(req.respond(&slice, indices.len(), page))
}
