//! Snapshot format, versioning and sync.

mod common;
use common::recs;

use cube_records::Record;
use cube_records::{
    fields, sync, sync_with, DiffOptions, RecordsError, Snapshot, SnapshotStore, SyncSource,
    SyncStream,
};
use serde_json::json;

#[test]
fn format_is_documented_shape() {
    let r = recs(json!([
        {"crm__customer_id": "0042", "crm__standard_info__name": "Kari", "crm__custom_info__64": ""},
        {"crm__customer_id": "0043", "crm__standard_info__name": "Per", "crm__custom_info__64": 7},
        {"crm__customer_id": "", "crm__standard_info__name": "Anonymized"}
    ]));
    let (d, snap) = sync(None, &r, &DiffOptions::default()).unwrap();
    assert_eq!(d.added.len(), 2);
    assert_eq!(d.anonymized.len(), 1);
    let v = serde_json::to_value(&snap).unwrap();
    assert_eq!(v["version"], json!(1));
    assert_eq!(v["key"], json!("crm__customer_id"));
    assert_eq!(v["loose"], json!(true));
    assert_eq!(v["ignoreFields"], json!([]));
    assert_eq!(
        v["fields"],
        json!([
            "crm__customer_id",
            "crm__standard_info__name",
            "crm__custom_info__64"
        ])
    );
    let rows = v["records"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "anonymized records are not stored");
    assert_eq!(rows[0][0], json!("0042"));
    assert_eq!(rows[0][1].as_str().unwrap().len(), 16);
    assert_eq!(rows[0][2], json!(["0042", "Kari", ""]));
    assert_eq!(rows[1][2], json!(["0043", "Per", 7]));
    assert_eq!(Snapshot::from_json(v).unwrap(), snap);
}

#[test]
fn fingerprints_ignore_field_order_and_loose_types() {
    let a = recs(json!([{"crm__customer_id": "1", "x": "233", "y": ""}]));
    let b = recs(json!([{"y": null, "x": 233, "crm__customer_id": 1}]));
    let o = DiffOptions::default();
    let (_, sa) = sync_with(None, &a, &o, SnapshotStore::Fingerprints).unwrap();
    let (_, sb) = sync_with(None, &b, &o, SnapshotStore::Fingerprints).unwrap();
    assert_eq!(sa.records[0].fingerprint, sb.records[0].fingerprint);
    let strict = DiffOptions { loose: false, ..o };
    let (_, sa) = sync_with(None, &a, &strict, SnapshotStore::Fingerprints).unwrap();
    let (_, sb) = sync_with(None, &b, &strict, SnapshotStore::Fingerprints).unwrap();
    assert_ne!(sa.records[0].fingerprint, sb.records[0].fingerprint);
}

#[test]
fn second_sync_reports_field_changes_and_removed_records() {
    let o = DiffOptions {
        ignore_fields: fields::CHANGE_LOG.iter().map(|s| s.to_string()).collect(),
        ..DiffOptions::default()
    };
    let first = recs(json!([
        {"crm__customer_id": "1", "crm__standard_info__email": "a@x.no", "crm__change_log__updated": "2024-01-01"},
        {"crm__customer_id": "2", "crm__standard_info__email": "b@x.no", "crm__change_log__updated": "2024-01-01"}
    ]));
    let (_, snap) = sync(None, &first, &o).unwrap();
    let text = serde_json::to_string(&snap).unwrap();
    let stored = &serde_json::to_value(&snap).unwrap()["fields"];
    let want = json!(["crm__customer_id", "crm__standard_info__email"]);
    assert_eq!(stored, &want, "ignored fields are not stored");
    let second = recs(json!([
        {"crm__customer_id": "1", "crm__standard_info__email": "new@x.no", "crm__change_log__updated": "2024-02-02"},
        {"crm__customer_id": "3", "crm__standard_info__email": "c@x.no"}
    ]));
    let (d, _) = sync(Some(serde_json::from_str(&text).unwrap()), &second, &o).unwrap();
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].fields[0].before, json!("a@x.no"));
    assert_eq!(d.changed[0].fields[0].after, json!("new@x.no"));
    assert_eq!(d.removed.len(), 1);
    assert_eq!(d.removed[0]["crm__standard_info__email"], json!("b@x.no"));
    assert_eq!(d.added.len(), 1);
}

#[test]
fn bad_snapshots_are_refused_with_reasons() {
    let o = DiffOptions::default();
    let (_, snap) = sync(None, &recs(json!([{"crm__customer_id": "1"}])), &o).unwrap();
    let good = snap.to_json();

    let mut v = good.clone();
    v["version"] = json!(2);
    let e = Snapshot::from_json(v).unwrap_err();
    assert!(
        matches!(e, RecordsError::UnsupportedSnapshotVersion { .. }),
        "{e}"
    );
    assert!(e.to_string().contains('2'));

    let mut v = good.clone();
    v["records"][0][1] = json!("xyz");
    let e = Snapshot::from_json(v).unwrap_err();
    assert!(e.to_string().contains("records[0][1]"), "{e}");

    let e = Snapshot::from_json(json!([1])).unwrap_err();
    assert!(e.to_string().contains("object"), "{e}");

    let e: Result<Snapshot, _> = serde_json::from_str(r#"{"version":1}"#);
    assert!(e.unwrap_err().to_string().contains("key"));

    let other = DiffOptions {
        key: "crm__standard_info__email".into(),
        ..DiffOptions::default()
    };
    let e = sync::<Record>(Some(snap), &[], &other).unwrap_err();
    assert!(
        matches!(e, RecordsError::SnapshotMismatch { option: "key", .. }),
        "{e}"
    );
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn version_1_has_no_origin_and_reads_against_any() {
    let o = DiffOptions::default();
    let (_, snap) = sync(None, &recs(json!([{"crm__customer_id": "1"}])), &o).unwrap();
    let v = snap.to_json();
    assert!(
        v.get("origin").is_none() && v.get("source").is_none(),
        "{v}"
    );
    for origin in ["https://acme.headshed.com", "http://127.0.0.1:8787"] {
        let source = SyncSource {
            read: Some("GET /api/v1/data_owners/1/B2C/customers/"),
            origin: Some(origin),
            allow_other_origin: false,
        };
        let bytes = serde_json::to_vec(&v).unwrap();
        let stream = SyncStream::new(Some(bytes), o.clone(), SnapshotStore::Values, source);
        let (_, next) = stream.unwrap().finish().unwrap();
        let next: serde_json::Value = serde_json::from_slice(&next).unwrap();
        assert_eq!(next["version"], json!(2));
        assert_eq!(next["origin"], json!(origin));
    }
}
