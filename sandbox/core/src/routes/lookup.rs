//! Resolving path parameters to tenant objects, in DRF's order: 400 for a malformed
//! parameter, 403 for a data owner the caller may not see, 404 for one that does not exist.

use crate::auth::Caller;
use crate::data::tenant::{Campaign, Crm, Tenant};
use crate::error::ApiError;
use crate::params::{crm_type_param, int_param};

pub fn crm<'a>(
    tenant: &'a Tenant,
    caller: &Caller,
    data_owner_id: &str,
    crm_type: &str,
) -> Result<&'a Crm, ApiError> {
    let owner = int_param("data_owner_id", data_owner_id)?;
    let t = crm_type_param(crm_type)?;
    caller.require_owner(owner)?;
    tenant.crm(owner, t).ok_or_else(ApiError::not_found)
}

pub fn campaign<'a>(
    tenant: &'a Tenant,
    caller: &Caller,
    name: &'static str,
    campaign_id: &str,
) -> Result<&'a Campaign, ApiError> {
    let id = int_param(name, campaign_id)?;
    let campaign = tenant.campaign(id).ok_or_else(ApiError::not_found)?;
    caller.require_owner(campaign.owner_id)?;
    Ok(campaign)
}
