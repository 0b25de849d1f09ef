//! The origin a version 2 snapshot records: written after `source`, checked against the
//! sync's origin (refused when it differs, unless allowed), and unknown (`null` or missing, as
//! in snapshots written before the member) accepted against any origin.

mod common;

use common::gen::generate;
use cube_records::{DiffOptions, Record, RecordsError, SnapshotStore, SyncSource, SyncStream};
use serde_json::Value;

const SOURCE: &str = "GET /api/v1/data_owners/1/B2C/customers/";
const A: &str = "https://acme.headshed.com";
const B: &str = "http://127.0.0.1:8787";

/// A snapshot written by this crate before the `origin` member existed (commit 8a5ab79), of
/// two records read by [`SOURCE`] with the default options.
const BEFORE_ORIGIN: &str = include_str!("fixtures/v2-without-origin.json");

fn against(origin: Option<&str>, allow_other_origin: bool) -> SyncSource<'_> {
    SyncSource {
        read: Some(SOURCE),
        origin,
        allow_other_origin,
    }
}

/// A sync of `records` against `previous`: the changes (as JSON) and the new snapshot.
fn sync(
    previous: Option<&[u8]>,
    records: &[Record],
    source: SyncSource<'_>,
) -> Result<(Value, Vec<u8>), RecordsError> {
    let mut s = SyncStream::new(
        previous.map(<[u8]>::to_vec),
        DiffOptions::default(),
        SnapshotStore::Values,
        source,
    )?;
    s.push_json(&serde_json::to_string(records).unwrap())?;
    let (diff, snapshot) = s.finish()?;
    Ok((serde_json::to_value(&diff).unwrap(), snapshot))
}

fn origin_of(snapshot: &[u8]) -> Value {
    serde_json::from_slice::<Value>(snapshot).unwrap()["origin"].clone()
}

#[test]
fn the_origin_is_written_right_after_the_source() {
    let (_, snap) = sync(None, &generate(3, 1), against(Some(A), false)).unwrap();
    let text = String::from_utf8(snap).unwrap();
    let header = format!("\"source\":\"{SOURCE}\",\"origin\":\"{A}\",\"records\":[\n");
    assert!(text.contains(&header), "{text}");
    // Unknown (the array sync): null.
    let unknown = SyncSource {
        read: None,
        origin: None,
        allow_other_origin: false,
    };
    let (_, snap) = sync(None, &generate(3, 1), unknown).unwrap();
    let text = String::from_utf8(snap).unwrap();
    assert!(text.contains("\"source\":null,\"origin\":null,\"records\":["));
}

#[test]
fn a_snapshot_of_another_origin_is_refused_unless_allowed() {
    let records = generate(50, 3);
    let (_, snap) = sync(None, &records, against(Some(A), false)).unwrap();
    let e = sync(Some(&snap), &records, against(Some(B), false)).unwrap_err();
    assert_eq!(
        e,
        RecordsError::OtherOrigin {
            snapshot: A.into(),
            requested: B.into(),
        }
    );
    let message = e.to_string();
    assert!(message.contains(A) && message.contains(B), "{message}");
    // The same origin: accepted, nothing changed.
    let (same, _) = sync(Some(&snap), &records, against(Some(A), false)).unwrap();
    assert_eq!(same["unchanged"], records.len());
    // Allowed: the same changes, and the new snapshot records the new origin.
    let (moved, next) = sync(Some(&snap), &records, against(Some(B), true)).unwrap();
    assert_eq!(moved, same);
    assert_eq!(origin_of(&next), B);
    // From then on the new origin is the one checked.
    assert!(sync(Some(&next), &records, against(Some(B), false)).is_ok());
    assert!(matches!(
        sync(Some(&next), &records, against(Some(A), false)),
        Err(RecordsError::OtherOrigin { .. })
    ));
    // A sync of unknown origin checks nothing.
    assert!(sync(Some(&snap), &records, against(None, false)).is_ok());
}

#[test]
fn a_snapshot_without_an_origin_is_accepted_against_any_and_then_records_it() {
    let previous = BEFORE_ORIGIN.as_bytes();
    assert!(!BEFORE_ORIGIN.contains("origin"));
    for origin in [A, B] {
        let (changes, next) = sync(
            Some(previous),
            &generate(5, 2),
            against(Some(origin), false),
        )
        .unwrap();
        assert_eq!(changes["removed"].as_array().unwrap().len(), 2, "{changes}");
        assert_eq!(changes["added"].as_array().unwrap().len(), 5, "{changes}");
        assert_eq!(origin_of(&next), origin);
    }
    // `null` is the same as no member: the checksum holds either way.
    let null = BEFORE_ORIGIN.replacen(
        &format!("\"source\":\"{SOURCE}\""),
        &format!("\"source\":\"{SOURCE}\",\"origin\":null"),
        1,
    );
    assert!(sync(Some(null.as_bytes()), &[], against(Some(B), false)).is_ok());
}

#[test]
fn the_old_shape_is_the_new_one_without_the_member() {
    // The records of the fixture, written now with an unknown origin: the same bytes plus
    // `"origin":null` (so the checksum of a snapshot written before the member still holds).
    let records: Vec<Record> = serde_json::from_str(
        r#"[{"crm__customer_id":"old-0001","crm__standard_info__name":"Kari Nordmann","crm__standard_info__city":"Oslo"},{"crm__customer_id":"old-0002","crm__standard_info__name":"Ola Nordmann"}]"#,
    )
    .unwrap();
    let (_, now) = sync(None, &records, against(None, false)).unwrap();
    let now = String::from_utf8(now).unwrap();
    assert_eq!(now.replacen(",\"origin\":null", "", 1), BEFORE_ORIGIN);
}

#[test]
fn an_edited_or_removed_origin_is_damage() {
    let records = generate(10, 4);
    let (_, snap) = sync(None, &records, against(Some(A), false)).unwrap();
    let text = String::from_utf8(snap).unwrap();
    let member = format!(",\"origin\":\"{A}\"");
    let edits = [
        text.replacen(&member, "", 1),
        text.replacen(&member, ",\"origin\":null", 1),
        text.replacen(A, "https://acme.headshed.co", 1),
    ];
    for edited in edits {
        let e = sync(Some(edited.as_bytes()), &records, against(Some(B), true)).unwrap_err();
        assert!(e.to_string().contains("checksum"), "{e}");
    }
    // Something that is not an origin is refused as such, before the checksum.
    for bad in [
        "https://user:pass@acme.headshed.com",
        "https://acme.headshed.com/cube?x=1",
    ] {
        let edited = text.replacen(A, bad, 1);
        let e = sync(Some(edited.as_bytes()), &records, against(Some(A), false)).unwrap_err();
        assert!(matches!(e, RecordsError::InvalidSnapshot(_)), "{e}");
        assert!(e.to_string().contains("scheme://host[:port]"), "{e}");
        assert!(!e.to_string().contains("pass"), "{e}");
    }
    // And a sync is never started with one.
    let e = sync(
        None,
        &records,
        against(Some("https://u:p@x.example"), false),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            RecordsError::InvalidOption {
                option: "origin",
                ..
            }
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("u:p"), "{e}");
}
