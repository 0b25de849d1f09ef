//! The JSON shapes of the API's records, built from the generated data. Current records
//! use `<part>__<group>__<field>` keys; legacy records use short flat keys.

use crate::data::callflow::CallStatus;
use crate::data::customers::{Customer, FieldValue};
use crate::data::outcomes::Outcome;
use crate::data::tenant::{Campaign, Crm, CustomField, Tenant};
use crate::record::{Record, Val};

pub fn customer<'a>(crm: &'a Crm, c: Customer) -> Record<'a> {
    let mut r = Record::with_capacity(11 + crm.fields.len());
    let [p1, p2, p3] = c.phones;
    r.put("crm__customer_id", c.id);
    r.put("crm__standard_info__name", c.name);
    r.put("crm__standard_info__phone_1", p1);
    r.put("crm__standard_info__phone_2", p2);
    r.put("crm__standard_info__phone_3", p3);
    r.put("crm__standard_info__email", c.email);
    r.put("crm__change_log__updated", c.updated.to_string());
    r.put("crm__change_log__updated_by", c.updated_by);
    r.put("crm__change_log__update_method", c.update_method);
    for (field, value) in crm.fields.iter().zip(c.custom) {
        r.put(field.lookup_key.as_str(), owned(value));
    }
    r
}

fn owned<'a>(v: FieldValue) -> Val<'a> {
    match v {
        FieldValue::Text(s) => Val::from(s),
        FieldValue::Number(n) => Val::Int(n),
        FieldValue::Empty => Val::from(""),
    }
}

pub fn campaign<'a>(tenant: &'a Tenant, c: &'a Campaign) -> Record<'a> {
    let owner = tenant
        .owner(c.owner_id)
        .map(|o| o.name.as_str())
        .unwrap_or("");
    let mut r = Record::with_capacity(11);
    r.put("campaign__id", c.id);
    r.put("campaign__name", c.name.as_str());
    r.put("campaign__start_date", &c.start_date);
    r.put("campaign__end_date", &c.end_date);
    r.put("campaign__archived_date", &c.archived_date);
    r.put("campaign__is_active", c.is_active);
    r.put("campaign__crm_type", c.crm_type.as_str());
    r.put("service__id", c.service_id());
    r.put("service__name", c.service_name());
    r.put("data_owner__id", c.owner_id);
    r.put("data_owner__name", owner);
    r
}

pub fn custom_field(f: &CustomField) -> Record<'_> {
    let mut r = Record::with_capacity(6);
    r.put("id", f.id);
    r.put("key", f.label);
    r.put("type", f.field_type.as_str());
    r.put("max_length", f.max_length);
    r.put("hint", f.hint);
    r.put("lookup__id", f.lookup_key.as_str());
    r
}

pub fn callflow<'a>(campaign: Option<&'a Campaign>, c: Customer, s: CallStatus) -> Record<'a> {
    let mut r = Record::with_capacity(14);
    let [p1, _, _] = c.phones;
    r.put("crm__customer_id", c.id);
    r.put("crm__standard_info__name", c.name);
    r.put("crm__standard_info__phone_1", p1);
    match campaign {
        Some(k) => {
            r.put("campaign__id", k.id);
            r.put("campaign__name", k.name.as_str());
        }
        None => {
            r.put("campaign__id", "");
            r.put("campaign__name", "");
        }
    }
    r.put("segment__name", s.segment);
    r.put("callflow__callstate__name", s.state);
    r.put("callflow__attempts_status__attempts", s.attempts);
    match s.last_change {
        Some(l) => {
            r.put("callflow__last_change__user", l.user);
            r.put("callflow__last_change__when", l.when);
            r.put("callflow__last_change__cause", l.cause);
            r.put("callflow__last_change__alternative", l.alternative);
            r.put("callflow__last_change__comment", l.comment);
        }
        None => {
            for key in [
                "callflow__last_change__user",
                "callflow__last_change__when",
                "callflow__last_change__cause",
                "callflow__last_change__alternative",
                "callflow__last_change__comment",
            ] {
                r.put(key, "");
            }
        }
    }
    r
}

pub fn outcome<'a>(tenant: &'a Tenant, k: &'a Campaign, o: &Outcome, c: Customer) -> Record<'a> {
    let owner = tenant
        .owner(k.owner_id)
        .map(|o| o.name.as_str())
        .unwrap_or("");
    let mut r = Record::with_capacity(28);
    let [p1, _, _] = c.phones;
    r.put("crm__customer_id", c.id);
    r.put("crm__standard_info__name", c.name);
    r.put("crm__standard_info__phone_1", p1);
    r.put("campaign__id", k.id);
    r.put("campaign__name", k.name.as_str());
    r.put("campaign__crm_type", k.crm_type.as_str());
    r.put("service__id", k.service_id());
    r.put("service__name", k.service_name());
    r.put("data_owner__id", k.owner_id);
    r.put("data_owner__name", owner);
    r.put("segment__name", o.segment);
    r.put("call_outcome__type", o.outcome_type);
    r.put("call_outcome__subtype", o.subtype);
    r.put("call_outcome__comment", o.comment);
    r.put("call_outcome__report_as__submitted_by", o.submitted_by);
    r.put("call_outcome__report_as__submitted_in_team", o.team);
    r.put(
        "call_outcome__report_as__submitted_when",
        o.submitted_when(),
    );
    r.put(
        "call_outcome__report_as__submitted_when_timestamp",
        o.submitted_timestamp(),
    );
    for (label, value) in &o.extra {
        r.put(format!("call_outcome__extra__{label}"), value.clone());
    }
    r
}

pub fn product<'a>(tenant: &'a Tenant, k: &'a Campaign, o: &Outcome, c: Customer) -> Record<'a> {
    let mut r = outcome(tenant, k, o, c);
    if let Some(p) = &o.product {
        r.put("product__code", p.code);
        r.put("product__title", p.title);
        r.put("product__price", p.price);
        r.put("product__extra__Delivery", p.delivery);
        r.put(format!("product__{}", p.code), 1i64);
    }
    r
}

/// Legacy labels that have fixed keys in `/crm/customers`.
const LEGACY_KEYS: &[(&str, &str)] = &[
    ("Address street", "address"),
    ("Postal code", "postal_code"),
    ("City", "city"),
    ("Org number", "org_number"),
];

pub fn legacy_key(label: &str) -> Option<&'static str> {
    LEGACY_KEYS
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, k)| *k)
}

pub fn legacy_customer<'a>(crm: &'a Crm, c: Customer) -> Record<'a> {
    let mut r = Record::with_capacity(12 + crm.fields.len());
    let [p1, p2, p3] = c.phones;
    let b2b = crm.crm_type == crate::data::tenant::CrmType::B2B;
    r.put("customer_id", c.id);
    if b2b {
        r.put("org_name", c.name.clone());
    }
    r.put("name", c.name);
    r.put("phone_1", p1);
    r.put("phone_2", p2);
    r.put("phone_3", p3);
    r.put("email", c.email);
    for (field, value) in crm.fields.iter().zip(c.custom) {
        match legacy_key(field.label) {
            Some(key) => r.put(key, owned(value)),
            None => r.put(field.label, owned(value)),
        }
    }
    r.put("updated", c.updated.to_string());
    r.put("updated_by", c.updated_by);
    r.put("update_method", c.update_method);
    r
}

pub fn legacy_response<'a>(k: &'a Campaign, o: &Outcome, c: Customer) -> Record<'a> {
    let mut r = Record::with_capacity(16);
    let [p1, _, _] = c.phones;
    r.put("customer_id", c.id);
    r.put("name", c.name);
    r.put("phone", p1);
    r.put("campaign_id", k.id);
    r.put("campaign_name", k.name.as_str());
    r.put("type", o.outcome_type);
    r.put("subtype", o.subtype);
    r.put("comment", o.comment);
    r.put("submitted_by", o.submitted_by);
    r.put("submitted_in_team", o.team);
    r.put("submitted_when", o.submitted_when());
    if let Some(p) = &o.product {
        r.put("product_code", p.code);
        r.put("product_title", p.title);
        r.put("product_price", p.price);
    }
    for (label, value) in &o.extra {
        r.put(*label, value.clone());
    }
    r
}
