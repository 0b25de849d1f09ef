//! Simulated Cube users editing customers: new phone, e-mail or last name, with the
//! change log set to today, a caller's e-mail and "Manual update". Only generated customers
//! get these; edits with chosen values, of any customer, are [`crate::data::targeted`]'s.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::data::customers::{is_anonymized, phone};
use crate::data::names::{ascii_slug, AGENTS, LAST_NAMES, MAIL_DOMAINS};
use crate::data::rng::{tag, Draw};
use crate::data::store::Store;
use crate::data::targeted::SetEdit;
use crate::data::tenant::{Crm, CrmType, Tenant};

/// `POST /_sandbox/edits` body: every member optional (`{}` edits one customer), none other
/// taken. `set` lists targeted edits (see [`crate::data::targeted`]) and goes alone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EditRequest {
    /// Simulated edits to make; default 1 (none with `set`).
    pub count: Option<u32>,
    pub data_owner_id: Option<u32>,
    pub crm_type: Option<String>,
    pub seed: Option<u64>,
    pub set: Option<Vec<SetEdit>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditReport {
    pub data_owner_id: u32,
    pub crm_type: &'static str,
    pub customer_id: String,
    /// The changed fields, as named in `/api/v1` customer records.
    pub fields: Vec<String>,
    /// New values of the changed fields (change-log fields included).
    pub values: Map<String, Value>,
}

/// Applies `count` edits. Without a seed, each call edits different customers.
pub fn apply(
    tenant: &Tenant,
    store: &mut Store,
    count: u32,
    owner: Option<u32>,
    crm_type: Option<CrmType>,
    seed: Option<u64>,
) -> Vec<EditReport> {
    let n = tenant.customers_per_crm;
    if n == 0 || tenant.owners.is_empty() {
        return Vec::new();
    }
    let round = match seed {
        Some(s) => s,
        None => {
            store.edit_rounds += 1;
            store.edit_rounds
        }
    };
    let mut d = Draw::new(&[tenant.seed, tag::EDIT, round]);
    let mut reports = Vec::new();
    let mut attempts = 0;
    while reports.len() < count as usize && attempts < count as usize * 20 + 20 {
        attempts += 1;
        let owner_id = owner.unwrap_or_else(|| 1 + d.below(tenant.owners.len() as u64) as u32);
        let t = crm_type.unwrap_or(if d.chance(50) {
            CrmType::B2C
        } else {
            CrmType::B2B
        });
        let Some(crm) = tenant.crm(owner_id, t) else {
            break;
        };
        let index = d.below(n as u64) as u32;
        if is_anonymized(tenant, crm, index) {
            continue;
        }
        reports.push(edit(tenant, store, &mut d, crm, index));
    }
    reports
}

/// The changed fields of an edit and their new values, as [`EditReport`] lists them.
#[derive(Default)]
struct Changed {
    fields: Vec<String>,
    values: Map<String, Value>,
}

impl Changed {
    fn field(&mut self, key: &'static str, value: String) {
        self.fields.push(key.to_string());
        self.values.insert(key.into(), value.into());
    }

    /// The change log's values (not listed among the changed fields).
    fn change_log(&mut self, tenant: &Tenant, agent: &str) {
        self.values.insert(
            "crm__change_log__updated".into(),
            tenant.today.to_string().into(),
        );
        self.values
            .insert("crm__change_log__updated_by".into(), agent.into());
        self.values.insert(
            "crm__change_log__update_method".into(),
            "Manual update".into(),
        );
    }
}

/// One customer's edit (the `index`th of `crm`, not anonymized): its last name (B2C), phone
/// or e-mail, drawn from `d`, kept as the customer's patch.
fn edit(tenant: &Tenant, store: &mut Store, d: &mut Draw, crm: &Crm, index: u32) -> EditReport {
    let (owner_id, t) = (crm.owner_id, crm.crm_type);
    let before = store.generated(tenant, crm, index);
    let agent = d.pick(AGENTS).0;
    let change_name = t == CrmType::B2C && d.chance(35);
    let change_email = d.chance(50);
    let change_phone = !(change_name || change_email) || d.chance(50);
    let mut changed = Changed::default();
    let patch = store.patch_mut(owner_id, t, index);
    let mut last = before.last_name.clone();
    if change_name {
        let new_last = other_last_name(d, &before.last_name);
        last = new_last.to_string();
        let name = format!("{} {new_last}", before.first_name);
        patch.last_name = Some(last.clone());
        patch.name = Some(name.clone());
        changed.field("crm__standard_info__name", name);
    }
    if change_phone {
        let p = phone(d, true);
        patch.phones[0] = Some(p.clone());
        changed.field("crm__standard_info__phone_1", p);
    }
    if change_email {
        let local = match t {
            CrmType::B2C => format!("{}.{}", ascii_slug(&before.first_name), ascii_slug(&last)),
            CrmType::B2B => "kontakt".to_string(),
        };
        let email = format!("{local}{}@{}", d.below(100), d.pick(MAIL_DOMAINS));
        patch.email = Some(email.clone());
        changed.field("crm__standard_info__email", email);
    }
    patch.updated = Some(tenant.today);
    patch.updated_by = Some(agent.to_string());
    patch.update_method = Some("Manual update".into());
    changed.change_log(tenant, agent);
    EditReport {
        data_owner_id: owner_id,
        crm_type: t.as_str(),
        customer_id: before.id,
        fields: changed.fields,
        values: changed.values,
    }
}

/// A last name drawn from `d`, the next one in the list when it is `current`.
fn other_last_name(d: &mut Draw, current: &str) -> &'static str {
    let mut new_last = *d.pick(LAST_NAMES);
    if new_last == current {
        new_last = LAST_NAMES
            [(LAST_NAMES.iter().position(|l| *l == new_last).unwrap_or(0) + 1) % LAST_NAMES.len()];
    }
    new_last
}
