//! Hand-made change-detection cases.

mod common;
use common::rec;

use cube_records::{diff, fields, DiffOptions, Record, Side};
use serde_json::{json, Value};
use std::borrow::Cow;

fn customer(id: Value, name: &str, phone: Value) -> Record {
    rec(json!({
        "crm__customer_id": id,
        "crm__standard_info__name": name,
        "crm__standard_info__phone_1": phone,
        "crm__change_log__updated": "2024-01-01",
    }))
}

#[test]
fn added_removed_changed_unchanged() {
    let before = vec![
        customer(json!("1"), "Ola", json!("111")),
        customer(json!("2"), "Kari", json!("222")),
        customer(json!("3"), "Per", json!("333")),
    ];
    let after = vec![
        customer(json!("4"), "Åse", json!("444")),
        customer(json!("3"), "Per Ødegård", json!("333")),
        customer(json!("1"), "Ola", json!("111")),
    ];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert_eq!(d.added, [Cow::Borrowed(&after[0])]);
    assert_eq!(d.removed, [Cow::Borrowed(&before[1])]);
    assert_eq!(d.changed.len(), 1);
    let c = &d.changed[0];
    assert_eq!(c.key, "3");
    assert_eq!(c.fields.len(), 1);
    assert_eq!(c.fields[0].field, fields::NAME);
    assert_eq!(c.fields[0].before, json!("Per"));
    assert_eq!(c.fields[0].after, json!("Per Ødegård"));
    assert_eq!(d.unchanged, 1);
    assert!(d.anonymized.is_empty() && d.duplicate_keys.is_empty());
}

#[test]
fn loose_types_by_default_strict_on_request() {
    let before = vec![customer(json!(233), "A", json!(""))];
    let after = vec![customer(json!("233"), "A", json!(null))];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert_eq!(d.unchanged, 1, "{d:?}");
    assert!(d.changed.is_empty());

    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    let d = diff(&before, &after, &strict).unwrap();
    assert_eq!(d.changed.len(), 1, "keys still match as text");
    let names: Vec<_> = d.changed[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(names, [fields::CUSTOMER_ID, "crm__standard_info__phone_1"]);
}

#[test]
fn missing_field_equals_empty_when_loose() {
    let before = vec![rec(
        json!({"crm__customer_id": "1", "crm__custom_info__64": ""}),
    )];
    let after = vec![rec(json!({"crm__customer_id": "1"}))];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert_eq!(d.unchanged, 1);
    let after = vec![rec(
        json!({"crm__customer_id": "1", "crm__custom_info__65": "x"}),
    )];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert_eq!(d.changed[0].fields[0].field, "crm__custom_info__65");
    assert_eq!(d.changed[0].fields[0].before, Value::Null);
}

#[test]
fn ignore_change_log() {
    let mut a = customer(json!("1"), "Ola", json!("111"));
    let before = vec![a.clone()];
    a.insert(fields::UPDATED.into(), json!("2024-02-02"));
    let after = vec![a];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert_eq!(d.changed.len(), 1);
    let opts = DiffOptions {
        ignore_fields: fields::CHANGE_LOG.iter().map(|s| s.to_string()).collect(),
        ..DiffOptions::default()
    };
    let d = diff(&before, &after, &opts).unwrap();
    assert_eq!(d.unchanged, 1);
}

#[test]
fn anonymized_are_reported_never_merged() {
    let anon = |n| customer(json!(""), "Anonymized", json!(n));
    let before = vec![anon("1"), customer(json!("5"), "E", json!(""))];
    let after = vec![anon("2"), anon("3"), customer(json!("5"), "E", json!(""))];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
    assert_eq!(d.unchanged, 1);
    let sides: Vec<_> = d.anonymized.iter().map(|a| (a.side, a.index)).collect();
    assert_eq!(
        sides,
        [(Side::After, 0), (Side::After, 1), (Side::Before, 0)]
    );
}

#[test]
fn duplicate_keys_are_reported_and_left_out() {
    let before = vec![
        customer(json!("1"), "A", json!("")),
        customer(json!("2"), "B", json!("")),
        customer(json!("2"), "B2", json!("")),
        customer(json!("3"), "C", json!("")),
    ];
    let after = vec![
        customer(json!("1"), "A", json!("")),
        customer(json!("1"), "A again", json!("")),
        customer(json!("2"), "B", json!("")),
        customer(json!("3"), "C", json!("")),
    ];
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    let dups: Vec<_> = d
        .duplicate_keys
        .iter()
        .map(|k| (k.key.as_str(), k.side, k.count))
        .collect();
    assert_eq!(dups, [("1", Side::After, 2), ("2", Side::Before, 2)]);
    assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
    assert_eq!(d.unchanged, 1);
}

#[test]
fn custom_key_and_order() {
    let k = |id: &str, v: &str| rec(json!({"email": id, "v": v}));
    let before = vec![k("a", "1"), k("b", "1"), k("c", "1"), k("d", "1")];
    let after = vec![k("e", "1"), k("c", "2"), k("a", "2"), k("f", "1")];
    let opts = DiffOptions {
        key: "email".into(),
        ..DiffOptions::default()
    };
    let d = diff(&before, &after, &opts).unwrap();
    let keys = |rs: &[Cow<Record>]| rs.iter().map(|r| r["email"].clone()).collect::<Vec<_>>();
    assert_eq!(keys(&d.added), [json!("e"), json!("f")]);
    assert_eq!(keys(&d.removed), [json!("b"), json!("d")]);
    let changed: Vec<_> = d.changed.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(changed, ["c", "a"]);
}

#[test]
fn bad_options_are_named() {
    let e = diff::<Record>(
        &[],
        &[],
        &DiffOptions {
            key: String::new(),
            ..DiffOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(e.to_string().contains("key"), "{e}");
    let opts = DiffOptions {
        ignore_fields: vec![fields::CUSTOMER_ID.into()],
        ..DiffOptions::default()
    };
    assert!(diff::<Record>(&[], &[], &opts)
        .unwrap_err()
        .to_string()
        .contains("ignoreFields"));
}

#[test]
fn serializes_camel_case() {
    let before = vec![customer(json!("1"), "A", json!(""))];
    let d = diff(&before, &[], &DiffOptions::default()).unwrap();
    let v = serde_json::to_value(&d).unwrap();
    assert!(v.get("duplicateKeys").is_some());
    assert_eq!(v["removed"][0]["crm__customer_id"], json!("1"));
}

#[test]
fn into_owned_detaches_from_input() {
    let owned = {
        let before = vec![customer(json!("1"), "A", json!(""))];
        let after = vec![customer(json!("1"), "B", json!(""))];
        diff(&before, &after, &DiffOptions::default())
            .unwrap()
            .into_owned()
    };
    assert_eq!(
        owned.changed[0].after["crm__standard_info__name"],
        json!("B")
    );
}
