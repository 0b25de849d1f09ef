//! Labels, the customer view and "changed since".

mod common;
use common::rec;

use cube_records::{changed_since, customer_view, Labels, Record};
use serde_json::{json, Value};

fn custom_fields() -> Value {
    json!([
        {"id": 64, "key": "Address street", "type": "text", "max_length": 200, "hint": "", "lookup__id": "crm__custom_info__64"},
        {"id": 65, "key": "City", "type": "text", "max_length": 100, "hint": "", "lookup__id": "crm__custom_info__65"},
        {"id": 71, "key": "City", "type": "text", "max_length": 100, "hint": "", "lookup__id": "crm__custom_info__71"},
        {"id": 80, "key": "  ", "type": "text", "lookup__id": "crm__custom_info__80"},
        {"id": 81, "key": "Sum"}
    ])
}

#[test]
fn labels_both_ways_with_duplicates() {
    let l = Labels::from_custom_fields(&custom_fields()).unwrap();
    assert_eq!(l.len(), 5);
    assert_eq!(l.label("crm__custom_info__64"), Some("Address street"));
    assert_eq!(l.label("crm__custom_info__65"), Some("City (65)"));
    assert_eq!(l.label("crm__custom_info__71"), Some("City (71)"));
    assert_eq!(
        l.label("crm__custom_info__80"),
        Some("crm__custom_info__80")
    );
    assert_eq!(
        l.label("crm__custom_info__81"),
        Some("Sum"),
        "key built from id"
    );
    assert_eq!(l.key("City (71)"), Some("crm__custom_info__71"));
    assert_eq!(l.key("City"), None);

    let r = rec(json!({
        "crm__customer_id": "1",
        "crm__custom_info__64": "Storgata 1",
        "crm__custom_info__71": "Tromsø",
        "crm__custom_info__99": "unknown stays"
    }));
    let labelled = l.label_record(&r);
    let keys: Vec<_> = labelled.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "crm__customer_id",
            "Address street",
            "City (71)",
            "crm__custom_info__99"
        ]
    );
    assert_eq!(labelled["City (71)"], json!("Tromsø"));
    assert_eq!(l.unlabel(&labelled), r);
}

#[test]
fn labels_reject_bad_input() {
    let e = Labels::from_custom_fields(&json!({"id": 1})).unwrap_err();
    assert!(e.to_string().contains("array"), "{e}");
    let e = Labels::from_custom_fields(&json!([{"key": "no id"}])).unwrap_err();
    assert!(e.to_string().contains("entry 0"), "{e}");
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn customer_view_normalizes() {
    let l = Labels::from_custom_fields(&custom_fields()).unwrap();
    let r = rec(json!({
        "crm__customer_id": 233,
        "crm__standard_info__name": "Åse Ødegård",
        "crm__standard_info__phone_1": "",
        "crm__standard_info__phone_2": " +47 900 00 000 ",
        "crm__standard_info__phone_3": 22334455,
        "crm__standard_info__email": null,
        "crm__change_log__updated": "2024-03-05",
        "crm__change_log__updated_by": "agent@example.com",
        "crm__change_log__update_method": "Manual update",
        "crm__custom_info__64": "Storgata 1",
        "crm__custom_info__99": 7
    }));
    let v = customer_view(&r, Some(&l));
    assert_eq!(
        serde_json::to_value(&v).unwrap(),
        json!({
            "customerId": "233",
            "name": "Åse Ødegård",
            "phones": ["+47 900 00 000", "22334455"],
            "email": "",
            "changeLog": {"updated": "2024-03-05", "updatedBy": "agent@example.com", "method": "Manual update"},
            "custom": {"Address street": "Storgata 1", "crm__custom_info__99": 7}
        })
    );
    let bare = customer_view(&rec(json!({})), None);
    assert_eq!(bare.customer_id, "");
    assert!(bare.phones.is_empty() && bare.custom.is_empty());
}

#[test]
fn changed_since_uses_change_log() {
    let recs: Vec<Record> = [
        json!({"crm__customer_id": "1", "crm__change_log__updated": "2024-03-04"}),
        json!({"crm__customer_id": "2", "crm__change_log__updated": "2024-03-05"}),
        json!({"crm__customer_id": "3", "crm__change_log__updated": "2024-12-01 10:27"}),
        json!({"crm__customer_id": "4", "crm__change_log__updated": ""}),
        json!({"crm__customer_id": "5"}),
    ]
    .into_iter()
    .map(rec)
    .collect();
    let ids = |rs: Vec<&Record>| {
        rs.iter()
            .map(|r| r["crm__customer_id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(changed_since(&recs, "2024-03-05").unwrap()),
        [json!("2"), json!("3")]
    );
    assert_eq!(
        ids(changed_since(&recs, "20240305").unwrap()),
        [json!("2"), json!("3")]
    );
    let e = changed_since(&recs, "05.03.2024").unwrap_err();
    assert!(e.to_string().contains("05.03.2024"), "{e}");
}
