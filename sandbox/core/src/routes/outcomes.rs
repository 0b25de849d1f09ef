//! Call outcomes and product registrations, all / in a CRM / in a campaign, filtered by
//! `from_date`/`to_date` (YYYYMMDD; either missing → today only), oldest first.

use crate::auth::Caller;
use crate::data::outcomes::{outcome, range_between, Outcome};
use crate::data::tenant::{Campaign, Tenant};
use crate::dates::Date;
use crate::error::ApiError;
use crate::http::Response;
use crate::pagination::ListRequest;
use crate::params::date_range;
use crate::routes::{lookup, records};
use crate::state::State;

/// Outcomes of these campaigns between two dates, in time order.
pub fn collect<'a>(
    tenant: &Tenant,
    campaigns: &[&'a Campaign],
    from: Date,
    to: Date,
    products_only: bool,
) -> Vec<(&'a Campaign, Outcome)> {
    let n = tenant.outcomes_per_campaign;
    let mut all = Vec::new();
    for &c in campaigns {
        for j in range_between(tenant.today, n, from, to) {
            if let Some(o) = outcome(tenant.seed, tenant.today, c, n, j) {
                if !products_only || o.product.is_some() {
                    all.push((c, o));
                }
            }
        }
    }
    all.sort_by_key(|(c, o)| (o.sort_key(), c.id));
    all
}

fn respond(
    state: &State,
    req: &ListRequest,
    campaigns: &[&Campaign],
    products: bool,
) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let (from, to) = date_range(&req.query, "from_date", "to_date", t.today)?;
    if let ([campaign], false) = (campaigns, products) {
        return respond_one(state, req, campaign, from, to);
    }
    let list = collect(t, campaigns, from, to, products);
    let slice = req.page(list.len())?;
    let store = state.store.read().expect("store lock");
    let page: Vec<_> = list[slice.range.clone()]
        .iter()
        .filter_map(|(c, o)| {
            let crm = t.crm(c.owner_id, c.crm_type)?;
            let customer = store.generated(t, crm, o.customer);
            Some(if products {
                records::product(t, c, o, customer)
            } else {
                records::outcome(t, c, o, customer)
            })
        })
        .collect();
    Ok(req.respond(&slice, list.len(), page))
}

/// One campaign's outcomes are already in time order: only the page is computed.
fn respond_one(
    state: &State,
    req: &ListRequest,
    campaign: &Campaign,
    from: Date,
    to: Date,
) -> Result<Response, ApiError> {
    let t = &state.tenant;
    let n = t.outcomes_per_campaign;
    let js = range_between(t.today, n, from, to);
    let total = js.len();
    let slice = req.page(total)?;
    let crm = t
        .crm(campaign.owner_id, campaign.crm_type)
        .ok_or_else(ApiError::not_found)?;
    let store = state.store.read().expect("store lock");
    let page: Vec<_> = slice
        .range
        .clone()
        .filter_map(|k| outcome(t.seed, t.today, campaign, n, js.start + k as u32))
        .map(|o| {
            let customer = store.generated(t, crm, o.customer);
            records::outcome(t, campaign, &o, customer)
        })
        .collect();
    Ok(req.respond(&slice, total, page))
}

/// `GET /api/v1/call_outcomes/`: every campaign the caller may see.
pub fn all(state: &State, caller: &Caller, req: &ListRequest) -> Result<Response, ApiError> {
    let campaigns: Vec<&Campaign> = state
        .tenant
        .campaigns
        .iter()
        .filter(|c| caller.can_see_owner(c.owner_id))
        .collect();
    respond(state, req, &campaigns, false)
}

fn crm_campaigns<'a>(
    state: &'a State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
) -> Result<Vec<&'a Campaign>, ApiError> {
    let t = &state.tenant;
    let crm = lookup::crm(t, caller, owner, crm_type)?;
    Ok(t.campaigns_of(crm.owner_id)
        .filter(|c| c.crm_type == crm.crm_type)
        .collect())
}

/// Which list an outcomes route answers, as its const parameter: `in_crm::<OUTCOMES>`.
pub const OUTCOMES: bool = false;
/// … or `in_crm::<PRODUCTS>`: the product registrations.
pub const PRODUCTS: bool = true;

/// Call outcomes ([`OUTCOMES`]) or product registrations ([`PRODUCTS`]) of a CRM's campaigns.
pub fn in_crm<const PRODUCTS: bool>(
    state: &State,
    caller: &Caller,
    owner: &str,
    crm_type: &str,
    req: &ListRequest,
) -> Result<Response, ApiError> {
    let campaigns = crm_campaigns(state, caller, owner, crm_type)?;
    respond(state, req, &campaigns, PRODUCTS)
}

/// Call outcomes ([`OUTCOMES`]) or product registrations ([`PRODUCTS`]) of one campaign.
pub fn in_campaign<const PRODUCTS: bool>(
    state: &State,
    caller: &Caller,
    campaign_id: &str,
    req: &ListRequest,
) -> Result<Response, ApiError> {
    let campaign = lookup::campaign(&state.tenant, caller, "campaign_id", campaign_id)?;
    respond(state, req, &[campaign], PRODUCTS)
}
