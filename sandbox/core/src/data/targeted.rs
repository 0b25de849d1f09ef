//! Targeted edits: `POST /_sandbox/edits` with `{"set": [...]}`. A test names the customer
//! and the values, and the sandbox makes them a Cube user's manual edit: the fields set, the
//! change log today, a caller's e-mail and `Manual update`. Generated, created and imported
//! customers alike.
//!
//! * **Editable**: the name (`crm__standard_info__name`; in a B2C CRM its first word is the
//!   first name, the rest the last name, as an import splits it), the three phones, the
//!   e-mail, and the CRM's custom fields by key (`crm__custom_info__N`). Not the id, not the
//!   change log (the edit sets it), nothing else: such a field is an error naming it.
//! * **Values** are text, trimmed (as Cube's forms trim); `""` clears the field. A custom
//!   field also takes a whole number (stored as a number, as Cube's custom fields hold one),
//!   and its text is at most the field's `max_length`.
//! * **A value equal to the stored one** (as text) is no change: such a field is not in the
//!   report, and an entry with no change at all leaves the customer, change log included, as
//!   it is and is not in `edited`.
//! * **All or nothing**: every entry is checked first (the CRM, the customer, each field and
//!   value, one entry a customer); any error and nothing changes.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::data::customers::{Customer, FieldValue};
use crate::data::edits::EditReport;
use crate::data::import::{split_name, text_of};
use crate::data::names::AGENTS;
use crate::data::rng::{tag, Draw};
use crate::data::store::Store;
use crate::data::tenant::{Crm, CrmType, Tenant};

/// One entry of `set`: a customer and the values a Cube user gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetEdit {
    pub customer_id: String,
    pub data_owner_id: u32,
    pub crm_type: String,
    /// Field key → new value (`""` clears).
    pub fields: Map<String, Value>,
}

/// The standard fields an edit may set, in the order a report lists them.
pub const STANDARD: [&str; 5] = [
    NAME,
    "crm__standard_info__phone_1",
    "crm__standard_info__phone_2",
    "crm__standard_info__phone_3",
    EMAIL,
];
const NAME: &str = "crm__standard_info__name";
const EMAIL: &str = "crm__standard_info__email";

/// What a field key sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Name,
    Phone(usize),
    Email,
    /// The custom field at this position of the CRM's fields.
    Custom(usize),
}

/// A checked entry.
struct Planned<'t> {
    crm: &'t Crm,
    customer: Customer,
    /// Generated customers are patched by index; created (imported) ones changed in place.
    index: Option<u32>,
    values: Vec<(Target, String, FieldValue)>,
}

fn target(crm: &Crm, key: &str) -> Result<Target, String> {
    match key {
        NAME => return Ok(Target::Name),
        EMAIL => return Ok(Target::Email),
        "crm__standard_info__phone_1" => return Ok(Target::Phone(0)),
        "crm__standard_info__phone_2" => return Ok(Target::Phone(1)),
        "crm__standard_info__phone_3" => return Ok(Target::Phone(2)),
        _ => {}
    }
    if let Some(i) = crm.fields.iter().position(|f| f.lookup_key == key) {
        return Ok(Target::Custom(i));
    }
    if key == "crm__customer_id" {
        return Err("is the customer's id, which a Cube user cannot edit".into());
    }
    if key.starts_with("crm__change_log__") {
        return Err(
            "is set by the edit itself (today, a caller's e-mail, Manual update): leave it out"
                .into(),
        );
    }
    let custom: Vec<&str> = crm.fields.iter().map(|f| f.lookup_key.as_str()).collect();
    Err(format!(
        "is no field a Cube user can edit in data owner {}'s {} CRM; those are {} and its custom \
         fields {}",
        crm.owner_id,
        crm.crm_type.as_str(),
        STANDARD.join(", "),
        custom.join(", ")
    ))
}

/// The value to store: trimmed text (`""` clears), or a whole number for a custom field.
fn value(crm: &Crm, t: Target, v: &Value) -> Result<FieldValue, String> {
    let custom = match t {
        Target::Custom(i) => Some(&crm.fields[i]),
        _ => None,
    };
    let stored = match (v, custom) {
        (Value::String(s), _) => match s.trim() {
            "" => FieldValue::Empty,
            s => FieldValue::Text(s.to_string()),
        },
        (Value::Number(n), Some(_)) if n.is_i64() => FieldValue::Number(n.as_i64().unwrap_or(0)),
        (other, Some(_)) => {
            return Err(format!(
                "is text or a whole number (\"\" clears the field), not {other}"
            ))
        }
        (other, None) => return Err(format!("is text (\"\" clears the field), not {other}")),
    };
    if let Some(f) = custom {
        let chars = text_of(&stored).chars().count();
        if chars > f.max_length as usize {
            return Err(format!(
                "has {chars} characters; {} holds at most {}",
                f.label, f.max_length
            ));
        }
    }
    Ok(stored)
}

/// The customer's current text of a field.
fn current(c: &Customer, t: Target) -> String {
    match t {
        Target::Name => c.name.clone(),
        Target::Phone(i) => c.phones[i].clone(),
        Target::Email => c.email.clone(),
        Target::Custom(i) => c.custom.get(i).map(text_of).unwrap_or_default(),
    }
}

fn plan<'t>(
    tenant: &'t Tenant,
    store: &Store,
    edits: &[SetEdit],
) -> Result<Vec<Planned<'t>>, String> {
    let mut planned: Vec<Planned<'t>> = Vec::with_capacity(edits.len());
    let mut seen: std::collections::HashMap<(u32, CrmType, &str), usize> =
        std::collections::HashMap::new();
    for (i, e) in edits.iter().enumerate() {
        let at = format!("edits: set[{i}]");
        let t = CrmType::parse(&e.crm_type)
            .ok_or_else(|| format!("{at}.crmType '{}' is not B2C or B2B", e.crm_type))?;
        let crm = tenant
            .crm(e.data_owner_id, t)
            .ok_or_else(|| format!("{at}.dataOwnerId: no data owner {}", e.data_owner_id))?;
        let id = e.customer_id.as_str();
        let customer = store.find(tenant, crm, id).ok_or_else(|| {
            format!(
                "{at}.customerId: no customer '{id}' in data owner {}'s {} CRM (generated, \
                 created or imported; anonymized customers have no id)",
                e.data_owner_id,
                t.as_str()
            )
        })?;
        if let Some(first) = seen.insert((e.data_owner_id, t, id), i) {
            return Err(format!(
                "{at}.customerId: customer '{id}' of data owner {}'s {} CRM is also set[{first}]: \
                 one entry a customer",
                e.data_owner_id,
                t.as_str()
            ));
        }
        if e.fields.is_empty() {
            return Err(format!(
                "{at}.fields is empty: give the fields to set, e.g. {{\"{}\": \"+4791234567\"}}",
                STANDARD[1]
            ));
        }
        let mut values = Vec::with_capacity(e.fields.len());
        for (key, v) in &e.fields {
            let field = target(crm, key).map_err(|m| format!("{at}.fields: '{key}' {m}"))?;
            let stored = value(crm, field, v).map_err(|m| format!("{at}.fields: '{key}' {m}"))?;
            values.push((field, key.clone(), stored));
        }
        let index = crate::data::customers::index_of(tenant, crm, id);
        planned.push(Planned {
            crm,
            customer,
            index,
            values,
        });
    }
    Ok(planned)
}

/// Sets the values the entries give, as Cube users' manual edits (see the module
/// documentation): the reports of the customers changed, or the first error and no change.
pub fn set(
    tenant: &Tenant,
    store: &mut Store,
    edits: &[SetEdit],
) -> Result<Vec<EditReport>, String> {
    let planned = plan(tenant, store, edits)?;
    let mut reports = Vec::new();
    for (i, p) in planned.into_iter().enumerate() {
        let changed: Vec<&(Target, String, FieldValue)> = p
            .values
            .iter()
            .filter(|(t, _, v)| current(&p.customer, *t) != text_of(v))
            .collect();
        if changed.is_empty() {
            continue;
        }
        let agent = Draw::new(&[tenant.seed, tag::EDIT, u64::MAX, i as u64])
            .pick(AGENTS)
            .0;
        let mut c = p.customer.clone();
        edited(&mut c, &changed, p.crm.crm_type == CrmType::B2C);
        c.updated = tenant.today;
        c.updated_by = agent.to_string();
        c.update_method = "Manual update".into();
        keep(store, &p, &c, &changed);
        reports.push(report(p.crm, &c, &changed));
    }
    Ok(reports)
}

/// `c` with the changed values (a B2C name split into first and last name too).
fn edited(c: &mut Customer, changed: &[&(Target, String, FieldValue)], b2c: bool) {
    for (t, _, v) in changed {
        match *t {
            Target::Name => {
                c.name = text_of(v);
                if b2c {
                    (c.first_name, c.last_name) = split_name(&c.name);
                }
            }
            Target::Phone(n) => c.phones[n] = text_of(v),
            Target::Email => c.email = text_of(v),
            Target::Custom(n) => c.custom[n] = v.clone(),
        }
    }
}

/// The edited customer `c` kept in the store: a generated one as its patch, a created
/// (imported) one in place.
fn keep(
    store: &mut Store,
    p: &Planned<'_>,
    c: &Customer,
    changed: &[&(Target, String, FieldValue)],
) {
    let (owner, t) = (p.crm.owner_id, p.crm.crm_type);
    let Some(index) = p.index else {
        let slot = store
            .created_mut((owner, t), &c.id)
            .expect("a customer found by id and not generated is a created one");
        *slot = c.clone();
        return;
    };
    let patch = store.patch_mut(owner, t, index);
    for (target, _, v) in changed {
        match *target {
            Target::Name => {
                patch.name = Some(c.name.clone());
                patch.first_name = Some(c.first_name.clone());
                patch.last_name = Some(c.last_name.clone());
            }
            Target::Phone(n) => patch.phones[n] = Some(c.phones[n].clone()),
            Target::Email => patch.email = Some(c.email.clone()),
            Target::Custom(n) => {
                patch.custom.insert(n, v.clone());
            }
        }
    }
    patch.updated = Some(c.updated);
    patch.updated_by = Some(c.updated_by.clone());
    patch.update_method = Some(c.update_method.clone());
}

/// What `POST /_sandbox/edits` answers for one edited customer: its changed fields and their
/// new values, the change log's too.
fn report(crm: &Crm, c: &Customer, changed: &[&(Target, String, FieldValue)]) -> EditReport {
    let mut values = Map::new();
    let mut fields = Vec::with_capacity(changed.len());
    for (_, key, v) in changed {
        fields.push(key.clone());
        let value = match v {
            FieldValue::Number(n) => Value::from(*n),
            v => Value::from(text_of(v)),
        };
        values.insert(key.clone(), value);
    }
    values.insert(
        "crm__change_log__updated".into(),
        c.updated.to_string().into(),
    );
    values.insert(
        "crm__change_log__updated_by".into(),
        c.updated_by.clone().into(),
    );
    values.insert(
        "crm__change_log__update_method".into(),
        c.update_method.clone().into(),
    );
    EditReport {
        data_owner_id: crm.owner_id,
        crm_type: crm.crm_type.as_str(),
        customer_id: c.id.clone(),
        fields,
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::customers::index_of;
    use crate::data::import::import;
    use crate::data::tenant::Generation;
    use crate::dates::Date;
    use crate::sheet;
    use serde_json::json;

    fn tenant() -> Tenant {
        let generation = Generation {
            seed: 42,
            data_owners: 2,
            customers: 60,
            campaigns: 1,
            outcomes: 0,
        };
        Tenant::build(&generation, Date::parse_iso("2026-06-01").unwrap())
    }

    fn entries(value: Value) -> Vec<SetEdit> {
        serde_json::from_value(value).unwrap()
    }

    /// A generated B2C customer of data owner 1 that is not anonymized, with a phone 2.
    fn generated(t: &Tenant, store: &Store) -> Customer {
        let crm = t.crm(1, CrmType::B2C).unwrap();
        (0..t.customers_per_crm)
            .map(|i| store.generated(t, crm, i))
            .find(|c| !c.anonymized && !c.phones[1].is_empty() && !c.email.is_empty())
            .unwrap()
    }

    fn key(t: &Tenant, label: &str) -> String {
        t.crm(1, CrmType::B2C)
            .unwrap()
            .field(label)
            .unwrap()
            .lookup_key
            .clone()
    }

    #[test]
    fn a_generated_customer_gets_the_values_and_a_manual_update() {
        let t = tenant();
        let mut store = Store::default();
        let before = generated(&t, &store);
        let (city, year) = (key(&t, "City"), key(&t, "Birth year"));
        let edited = set(
            &t,
            &mut store,
            &entries(json!([{
                "customerId": before.id, "dataOwnerId": 1, "crmType": "B2C",
                "fields": {
                    "crm__standard_info__name": " Anne Marie  Ås Øvre ",
                    "crm__standard_info__phone_1": "+47 912 34 567",
                    "crm__standard_info__phone_2": "",
                    "crm__standard_info__email": before.email,
                    city.as_str(): "Tromsø",
                    year.as_str(): 1985,
                }
            }])),
        )
        .unwrap();
        let crm = t.crm(1, CrmType::B2C).unwrap();
        let after = store.find(&t, crm, &before.id).unwrap();
        assert_eq!(
            after.name, "Anne Marie  Ås Øvre",
            "trimmed, as typed inside"
        );
        assert_eq!(
            (after.first_name.as_str(), after.last_name.as_str()),
            ("Anne", "Marie  Ås Øvre")
        );
        assert_eq!(after.phones[0], "+47 912 34 567");
        assert_eq!(after.phones[1], "", "\"\" clears");
        assert_eq!(after.phones[2], before.phones[2]);
        assert_eq!(after.email, before.email);
        let city_at = crm.fields.iter().position(|f| f.label == "City").unwrap();
        let year_at = crm
            .fields
            .iter()
            .position(|f| f.label == "Birth year")
            .unwrap();
        assert_eq!(after.custom[city_at], FieldValue::Text("Tromsø".into()));
        assert_eq!(after.custom[year_at], FieldValue::Number(1985));
        assert_eq!(after.updated, t.today);
        assert!(AGENTS.iter().any(|(a, _)| *a == after.updated_by));
        assert_eq!(after.update_method, "Manual update");

        // The e-mail was set to what it was: no change, so not reported.
        assert_eq!(edited.len(), 1);
        let report = &edited[0];
        assert_eq!(report.customer_id, before.id);
        assert_eq!((report.data_owner_id, report.crm_type), (1, "B2C"));
        let mut fields = vec![
            "crm__standard_info__name".to_string(),
            "crm__standard_info__phone_1".into(),
            "crm__standard_info__phone_2".into(),
            city.clone(),
        ];
        if before.custom[year_at] != FieldValue::Number(1985) {
            fields.push(year.clone());
        }
        assert_eq!(report.fields, fields);
        assert_eq!(report.values["crm__standard_info__phone_2"], "");
        assert_eq!(
            report.values["crm__change_log__update_method"],
            "Manual update"
        );
        assert_eq!(report.values["crm__change_log__updated"], "2026-06-01");
        // Only data owner 1's customer: one patch.
        assert_eq!(store.patches.len(), 1);
    }

    #[test]
    fn an_imported_customer_is_edited_in_place() {
        let t = tenant();
        let mut store = Store::default();
        let crm = t.crm(1, CrmType::B2C).unwrap();
        let csv = "Customer ID,Name,Phone 1,Email,Postal code\n\
                   003A000001ABCdEFG1,Kari Ås Øvre,912 34 567,kari@example.no,0150\n";
        import(&t, &mut store, crm, &sheet::read(csv.as_bytes()).unwrap()).unwrap();
        let postal = key(&t, "Postal code");
        let edited = set(
            &t,
            &mut store,
            &entries(json!([{
                "customerId": "003A000001ABCdEFG1", "dataOwnerId": 1, "crmType": "B2C",
                "fields": { "crm__standard_info__email": "", postal.as_str(): "0151",
                            "crm__standard_info__phone_1": "+4791234567" }
            }])),
        )
        .unwrap();
        assert_eq!(edited.len(), 1);
        let c = store.find(&t, crm, "003A000001ABCdEFG1").unwrap();
        assert_eq!(c.email, "");
        assert_eq!(c.phones[0], "+4791234567");
        let postal_at = crm
            .fields
            .iter()
            .position(|f| f.lookup_key == postal)
            .unwrap();
        assert_eq!(c.custom[postal_at], FieldValue::Text("0151".into()));
        assert_eq!(c.update_method, "Manual update");
        assert_eq!(c.updated, t.today);
        assert!(store.patches.is_empty(), "no generated customer touched");
        assert_eq!(
            store.count(&t, (1, CrmType::B2C)),
            61,
            "still one created customer"
        );
    }

    #[test]
    fn an_entry_without_a_change_leaves_the_customer_and_its_change_log() {
        let t = tenant();
        let mut store = Store::default();
        let before = generated(&t, &store);
        let edited = set(
            &t,
            &mut store,
            &entries(json!([{
                "customerId": before.id, "dataOwnerId": 1, "crmType": "B2C",
                "fields": { "crm__standard_info__phone_1": format!(" {} ", before.phones[0]) }
            }])),
        )
        .unwrap();
        assert!(edited.is_empty());
        assert!(store.patches.is_empty());
        let crm = t.crm(1, CrmType::B2C).unwrap();
        assert_eq!(
            store.find(&t, crm, &before.id).unwrap().updated,
            before.updated
        );
    }

    #[test]
    fn mistakes_name_the_entry_and_change_nothing() {
        let t = tenant();
        let before = generated(&t, &Store::default());
        let crm = t.crm(1, CrmType::B2C).unwrap();
        let anonymized = (0..t.customers_per_crm)
            .find(|&i| {
                index_of(&t, crm, &crate::data::customers::customer_id(&t, crm, i)).is_none()
            })
            .map(|i| crate::data::customers::customer_id(&t, crm, i))
            .unwrap();
        let ok = json!({"customerId": before.id, "dataOwnerId": 1, "crmType": "B2C",
                        "fields": {"crm__standard_info__phone_1": "+4790000000"}});
        let other = (0..t.customers_per_crm)
            .map(|i| Store::default().generated(&t, crm, i))
            .find(|c| !c.anonymized && c.id != before.id)
            .unwrap();
        let with = |fields: Value| json!({"customerId": other.id, "dataOwnerId": 1, "crmType": "B2C", "fields": fields});
        let cases = [
            (
                json!({"customerId": "NOPE-1", "dataOwnerId": 1, "crmType": "B2C", "fields": {"crm__standard_info__email": "a@b.no"}}),
                "edits: set[1].customerId: no customer 'NOPE-1' in data owner 1's B2C CRM",
            ),
            (
                json!({"customerId": anonymized, "dataOwnerId": 1, "crmType": "B2C", "fields": {"crm__standard_info__email": "a@b.no"}}),
                "no customer",
            ),
            (
                json!({"customerId": before.id, "dataOwnerId": 9, "crmType": "B2C", "fields": {}}),
                "edits: set[1].dataOwnerId: no data owner 9",
            ),
            (
                json!({"customerId": before.id, "dataOwnerId": 1, "crmType": "b2c", "fields": {}}),
                "edits: set[1].crmType 'b2c' is not B2C or B2B",
            ),
            (ok.clone(), "is also set[0]: one entry a customer"),
            (with(json!({})), "edits: set[1].fields is empty"),
            (
                with(json!({"crm__customer_id": "X"})),
                "edits: set[1].fields: 'crm__customer_id' is the customer's id",
            ),
            (
                with(json!({"crm__change_log__updated": "2026-01-01"})),
                "'crm__change_log__updated' is set by the edit itself",
            ),
            (
                with(json!({"crm__standard_info__fax": "1"})),
                "'crm__standard_info__fax' is no field a Cube user can edit in data owner 1's B2C CRM; those are crm__standard_info__name, crm__standard_info__phone_1",
            ),
            (
                with(json!({"crm__custom_info__1": "1"})),
                "'crm__custom_info__1' is no field",
            ),
            (
                with(json!({"crm__standard_info__phone_2": 4791234567u64})),
                "'crm__standard_info__phone_2' is text (\"\" clears the field), not 4791234567",
            ),
            (
                with(json!({"crm__standard_info__email": null})),
                "is text (\"\" clears the field), not null",
            ),
            (
                with(json!({key(&t, "City"): 1.5})),
                "is text or a whole number (\"\" clears the field), not 1.5",
            ),
            (
                with(json!({key(&t, "City"): "x".repeat(201)})),
                "has 201 characters; City holds at most 200",
            ),
        ];
        for (second, message) in cases {
            let mut store = Store::default();
            let err = set(&t, &mut store, &entries(json!([ok, second]))).unwrap_err();
            assert!(err.contains(message), "{err}\n  should say: {message}");
            assert!(store.patches.is_empty(), "{message}: set[0] not applied");
        }
    }

    #[test]
    fn an_edit_then_a_simulated_edit_of_the_same_customer_keep_both() {
        let t = tenant();
        let mut store = Store::default();
        let before = generated(&t, &store);
        let crm = t.crm(1, CrmType::B2C).unwrap();
        set(
            &t,
            &mut store,
            &entries(
                json!([{"customerId": before.id, "dataOwnerId": 1, "crmType": "B2C",
                             "fields": {"crm__standard_info__phone_3": "22 33 44 55"}}]),
            ),
        )
        .unwrap();
        // The simulated edits keep the targeted value (they never touch phone 3).
        crate::data::edits::apply(&t, &mut store, 200, Some(1), Some(CrmType::B2C), Some(1));
        assert_eq!(
            store.find(&t, crm, &before.id).unwrap().phones[2],
            "22 33 44 55"
        );
    }
}
