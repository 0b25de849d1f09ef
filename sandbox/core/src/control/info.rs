//! `GET /_sandbox/info`: what the sandbox generated and how to sign in.

use serde_json::{json, Value};

use crate::auth::EXTERNAL_DATA_OWNERS;
use crate::data::store::Store;
use crate::data::tenant::Tenant;
use crate::state::State;

pub fn info(state: &State) -> Value {
    let t = &state.tenant;
    let c = &state.config;
    let store = state.store.read().expect("store lock");
    let owners = owners(t, &store);
    let campaigns: Vec<Value> = t
        .campaigns
        .iter()
        .map(|k| {
            json!({
                "id": k.id,
                "dataOwnerId": k.owner_id,
                "crmType": k.crm_type.as_str(),
                "service": k.service_name(),
                "customers": k.len,
            })
        })
        .collect();
    json!({
        "seed": c.seed,
        "today": state.today.to_string(),
        "pageSize": c.page_size,
        "counts": {
            "dataOwners": t.owners.len(),
            "customersPerCrm": t.customers_per_crm,
            "campaignsPerDataOwner": c.campaigns,
            "campaigns": t.campaigns.len(),
            "outcomesPerCampaign": t.outcomes_per_campaign,
            "editedCustomers": store.patches.len(),
            "createdCustomers": store.created.values().map(|c| c.len()).sum::<usize>(),
        },
        "dataOwners": owners,
        "campaigns": campaigns,
        "users": {
            "internal": {
                "username": c.demo.username,
                "password": c.demo.password,
                "token": c.demo.token,
                "dataOwnerIds": t.owners.iter().map(|o| o.id).collect::<Vec<_>>(),
            },
            "external": {
                "username": c.external.username,
                "password": c.external.password,
                "token": c.external.token,
                "dataOwnerIds": EXTERNAL_DATA_OWNERS,
            },
        },
    })
}

/// Each data owner: its CRMs (customers, custom field ids) and its campaigns.
fn owners(t: &Tenant, store: &Store) -> Vec<Value> {
    t.owners
        .iter()
        .map(|o| {
            let crms: Vec<Value> = o
                .crms
                .iter()
                .map(|crm| {
                    json!({
                        "crmType": crm.crm_type.as_str(),
                        "customers": store.count(t, (o.id, crm.crm_type)),
                        "customFieldIds": crm.fields.iter().map(|f| f.id).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "id": o.id,
                "name": o.name,
                "crmTypes": ["B2C", "B2B"],
                "crms": crms,
                "campaignIds": t.campaigns_of(o.id).map(|k| k.id).collect::<Vec<_>>(),
            })
        })
        .collect()
}
