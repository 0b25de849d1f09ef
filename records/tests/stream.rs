//! The streaming sync against the array sync (the reference): same changes, snapshots that
//! read back, and refusal of snapshots that are damaged, foreign or of another version.

mod common;

use common::gen::{generate, mutate};
use common::recs;
use cube_records::{
    parse_text_records, sync_with, DiffOptions, Record, RecordsError, Snapshot, SnapshotStore,
    SyncSource, SyncStream,
};
use serde_json::{json, Value};

const SOURCE: &str = "GET /api/v1/data_owners/1/B2C/customers/";
const ORIGIN: &str = "https://acme.headshed.com";

/// The read of these tests, against `origin`.
fn source(origin: Option<&str>, allow_other_origin: bool) -> SyncSource<'_> {
    SyncSource {
        read: Some(SOURCE),
        origin,
        allow_other_origin,
    }
}

/// A streaming sync of `records` pushed in pages of `page` records (as JSON text, the way
/// pages arrive), against [`ORIGIN`].
fn stream(
    previous: Option<Vec<u8>>,
    records: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
    page: usize,
) -> Result<(String, Vec<u8>), RecordsError> {
    stream_from(
        previous,
        records,
        options,
        store,
        page,
        source(Some(ORIGIN), false),
    )
}

/// [`stream`] of any read.
fn stream_from(
    previous: Option<Vec<u8>>,
    records: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
    page: usize,
    source: SyncSource<'_>,
) -> Result<(String, Vec<u8>), RecordsError> {
    let mut s = SyncStream::new(previous, options.clone(), store, source)?;
    // Pages alternately as one array text and as one text per record (how the client's
    // pages arrive).
    for (i, chunk) in records.chunks(page.max(1)).enumerate() {
        if i % 2 == 0 {
            s.push_json(&serde_json::to_string(chunk).unwrap())?;
        } else {
            let texts: Vec<String> = chunk
                .iter()
                .map(|r| serde_json::to_string(r).unwrap())
                .collect();
            s.push_texts(texts.iter().map(String::as_str))?;
        }
    }
    assert_eq!(s.len(), records.len());
    let (diff, snapshot) = s.finish()?;
    Ok((serde_json::to_string(&diff).unwrap(), snapshot))
}

/// The array sync's result, as JSON, and its snapshot.
fn reference(
    previous: Option<Snapshot>,
    records: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
) -> (String, Snapshot) {
    let text = serde_json::to_string(records).unwrap();
    let raw = parse_text_records(&text).unwrap();
    let (diff, snapshot) = sync_with(previous, &raw, options, store).unwrap();
    (serde_json::to_string(&diff).unwrap(), snapshot)
}

/// Both syncs, twice (first run, next run), must agree; returns the second diff.
fn agree(
    before: &[Record],
    after: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
    page: usize,
) -> Value {
    let (d1, snap1) = stream(None, before, options, store, page).unwrap();
    let (r1, ref1) = reference(None, before, options, store);
    assert_eq!(d1, r1, "first sync");
    let (d2, snap2) = stream(Some(snap1.clone()), after, options, store, page).unwrap();
    let (r2, _) = reference(Some(ref1.clone()), after, options, store);
    assert_eq!(
        d2, r2,
        "next sync (loose {}, {store:?}, page {page})",
        options.loose
    );
    // The snapshot the array sync writes (version 1) gives the same changes.
    let v1 = serde_json::to_vec(&ref1.to_json()).unwrap();
    let (d3, _) = stream(Some(v1), after, options, store, page).unwrap();
    assert_eq!(d3, r2, "from a version 1 snapshot");
    // Each snapshot is valid JSON with the documented members.
    let v: Value = serde_json::from_slice(&snap2).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(
        v["count"],
        after.iter().filter(|r| !is_anonymized(r, options)).count()
    );
    assert_eq!(v["source"], SOURCE);
    assert_eq!(v["origin"], ORIGIN);
    serde_json::from_str(&d2).unwrap()
}

fn is_anonymized(r: &Record, o: &DiffOptions) -> bool {
    matches!(r.get(&o.key), None | Some(Value::Null)) || r.get(&o.key) == Some(&json!(""))
}

#[test]
fn same_changes_as_the_array_sync_on_generated_records() {
    let before = generate(5_000, 11);
    let (after, e) = mutate(&before, 12);
    let ignore = DiffOptions {
        ignore_fields: vec!["crm__change_log__updated".into()],
        ..DiffOptions::default()
    };
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    for options in [DiffOptions::default(), strict, ignore] {
        for store in [SnapshotStore::Values, SnapshotStore::Fingerprints] {
            for page in [500, 137, 1] {
                if page == 1 && store == SnapshotStore::Fingerprints {
                    continue;
                }
                let d = agree(&before, &after, &options, store, page);
                assert_eq!(d["added"].as_array().unwrap().len(), e.added);
                assert_eq!(d["removed"].as_array().unwrap().len(), e.removed);
            }
        }
    }
}

#[test]
fn same_changes_with_odd_records() {
    // Fields in other orders, fields appearing late, escapes, numbers, nested values, empty
    // keys, ignored fields, records emptied. (Duplicate keys: see `first_record_of_a_key_wins`.)
    let before = recs(json!([
        {"crm__customer_id": "1", "a": "x", "b": 1},
        {"crm__customer_id": "2", "b": 2, "a": "y"},
        {"crm__customer_id": "", "a": "anon"},
        {"crm__customer_id": "3", "a": "q\"\n\u{e6}", "c": [1, {"d": null}]},
        {"crm__customer_id": "4", "a": "dup"},
        {"crm__customer_id": 5, "a": 1.5, "z": null},
        {"crm__customer_id": "6", "a": "gone"},
        {"crm__customer_id": "7", "a": "same", "late": "v"},
        {"crm__customer_id": "8"},
    ]));
    let after = recs(json!([
        {"crm__customer_id": "1", "a": "x", "b": "1"},
        {"crm__customer_id": "2", "a": "y2", "b": 2},
        {"a": "anon2"},
        {"crm__customer_id": "3", "a": "q\"\n\u{e6}", "c": [1, {"d": 0}]},
        {"crm__customer_id": "4", "a": "dup"},
        {"crm__customer_id": "5", "a": 1.50, "z": ""},
        {"crm__customer_id": "7", "late": "v", "a": "same"},
        {"crm__customer_id": "8", "new": true},
        {"crm__customer_id": "10", "x": "added"},
    ]));
    for loose in [true, false] {
        let o = DiffOptions {
            loose,
            ..DiffOptions::default()
        };
        for page in [1, 2, 3, 100] {
            let d = agree(&before, &after, &o, SnapshotStore::Values, page);
            assert_eq!(d["duplicateKeys"].as_array().unwrap().len(), 0, "{d}");
            assert_eq!(d["added"][0]["crm__customer_id"], "10");
            assert_eq!(d["removed"][0]["crm__customer_id"], "6");
        }
    }
}

#[test]
fn first_record_of_a_key_wins() {
    // A key read twice: the first record is matched, reported and kept; the later one is
    // only counted in duplicateKeys (the changes of the first may already be delivered when
    // the second is read). The same in the previous snapshot (a version 1 snapshot of the
    // array sync may hold a key twice).
    let o = DiffOptions::default();
    let before = recs(json!([
        {"crm__customer_id": "1", "a": "x"},
        {"crm__customer_id": "2", "a": "y"},
    ]));
    let (_, snap) = stream(None, &before, &o, SnapshotStore::Values, 10).unwrap();
    let after = recs(json!([
        {"crm__customer_id": "1", "a": "x2"},
        {"crm__customer_id": "9", "a": "new"},
        {"crm__customer_id": "1", "a": "x3"},
        {"crm__customer_id": "9", "a": "new again"},
        {"crm__customer_id": "9", "a": "and again"},
    ]));
    for page in [1, 2, 10] {
        let (d, next) =
            stream(Some(snap.clone()), &after, &o, SnapshotStore::Values, page).unwrap();
        let d: Value = serde_json::from_str(&d).unwrap();
        assert_eq!(d["changed"][0]["after"]["a"], "x2", "{d}");
        assert_eq!(d["changed"].as_array().unwrap().len(), 1);
        assert_eq!(d["added"], json!([{"crm__customer_id": "9", "a": "new"}]));
        assert_eq!(d["removed"][0]["crm__customer_id"], "2");
        assert_eq!(
            d["duplicateKeys"],
            json!([
                {"key": "1", "side": "after", "count": 2},
                {"key": "9", "side": "after", "count": 3}
            ])
        );
        let next: Value = serde_json::from_slice(&next).unwrap();
        assert_eq!(next["count"], 2, "the first record of each key is kept");
    }
    // A previous snapshot with a key twice: its first record is the one compared.
    let twice = recs(json!([
        {"crm__customer_id": "1", "a": "x"},
        {"crm__customer_id": "1", "a": "other"},
    ]));
    let (_, v1) = reference(None, &twice, &o, SnapshotStore::Values);
    let v1 = serde_json::to_vec(&v1.to_json()).unwrap();
    let (d, _) = stream(
        Some(v1),
        &recs(json!([{"crm__customer_id": "1", "a": "x"}])),
        &o,
        SnapshotStore::Values,
        1,
    )
    .unwrap();
    let d: Value = serde_json::from_str(&d).unwrap();
    assert_eq!(d["unchanged"], 1, "{d}");
    assert_eq!(
        d["duplicateKeys"],
        json!([{"key": "1", "side": "before", "count": 2}])
    );
}

fn snapshot_of(records: &[Record]) -> Vec<u8> {
    stream(
        None,
        records,
        &DiffOptions::default(),
        SnapshotStore::Values,
        100,
    )
    .unwrap()
    .1
}

fn refused(previous: Vec<u8>) -> String {
    let records = generate(10, 1);
    match stream(
        Some(previous),
        &records,
        &DiffOptions::default(),
        SnapshotStore::Values,
        100,
    ) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn damaged_snapshots_are_refused() {
    let snap = snapshot_of(&generate(300, 5));
    // Every single changed byte inside the records (a value, a key, a fingerprint) is caught.
    let text = String::from_utf8(snap.clone()).unwrap();
    let start = text.find("\"records\":[").unwrap() + 12;
    let end = text.find("],\"fields\"").unwrap();
    let mut checked = 0;
    for i in (start..end).step_by(37) {
        let c = snap[i];
        let replacement = match c {
            b'0'..=b'8' => c + 1,
            b'a'..=b'y' => c + 1,
            _ => continue,
        };
        let mut bad = snap.clone();
        bad[i] = replacement;
        let message = refused(bad);
        assert!(
            message.contains("checksum") || message.contains("snapshot"),
            "byte {i}: {message}"
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
    // Cut short anywhere.
    for cut in [1, 10, snap.len() / 3, snap.len() / 2, snap.len() - 3] {
        let message = refused(snap[..cut].to_vec());
        assert!(message.starts_with("invalid snapshot: "), "{message}");
    }
    // A record removed by hand (still valid JSON): the count or checksum catches it.
    let edited = text.replacen("\n[\"000001\"", "\n[\"000001x\"", 1);
    assert!(refused(edited.into_bytes()).contains("checksum"));
}

#[test]
fn foreign_and_other_version_snapshots_are_refused() {
    let snap = String::from_utf8(snapshot_of(&generate(20, 5))).unwrap();
    let m = refused(
        snap.replacen("{\"version\":2", "{\"version\":3", 1)
            .into_bytes(),
    );
    assert!(m.contains("unsupported snapshot version 3"), "{m}");
    for foreign in [
        "[{\"crm__customer_id\":\"1\"}]",
        "{\"customers\":[]}",
        "crm__customer_id;name\n1;Kari\n",
        "",
        "null",
    ] {
        let m = refused(foreign.as_bytes().to_vec());
        assert!(m.starts_with("invalid snapshot: "), "{foreign:?}: {m}");
    }
    assert!(refused(vec![0xff, 0xfe, 0x00]).contains("UTF-8"));
    // A snapshot of another read (editing its source by hand is damage: the checksum).
    assert!(refused(snap.replace("/B2C/", "/B2B/").into_bytes()).contains("checksum"));
    let other = SyncStream::new(
        None,
        DiffOptions::default(),
        SnapshotStore::Values,
        SyncSource {
            read: Some("GET http://x/b2b"),
            ..source(Some(ORIGIN), false)
        },
    );
    let (_, other) = other.unwrap().finish().unwrap();
    let m = refused(other);
    assert!(m.contains("source") && m.contains("http://x/b2b"), "{m}");
    // Other options.
    let records = generate(10, 1);
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    let e = stream(
        Some(snap.into_bytes()),
        &records,
        &strict,
        SnapshotStore::Values,
        10,
    )
    .unwrap_err();
    assert!(e.to_string().contains("loose"), "{e}");
}

#[test]
fn snapshot_lines_and_size() {
    let records = generate(1_000, 9);
    let snap = snapshot_of(&records);
    let text = String::from_utf8(snap).unwrap();
    assert_eq!(text.lines().count(), 1_000 + 2, "one line per record");
    let (_, v1) = reference(
        None,
        &records,
        &DiffOptions::default(),
        SnapshotStore::Values,
    );
    let v1 = serde_json::to_string(&v1.to_json()).unwrap();
    // Version 2 keeps the input's JSON text: about the size of version 1.
    assert!(
        text.len() < v1.len() * 11 / 10,
        "{} vs {}",
        text.len(),
        v1.len()
    );
}

/// A sync whose previous snapshot is fed in `chunk`-byte pieces and whose values are read
/// by span (as the JS layer does from a file or Blob): the same changes and snapshot as one
/// that holds the snapshot's bytes.
fn stream_in_pieces(
    previous: &[u8],
    records: &[Record],
    options: &DiffOptions,
    chunk: usize,
    page: usize,
) -> Result<(String, Vec<u8>, usize), RecordsError> {
    let mode = cube_records::SyncMode::default();
    let mut s = SyncStream::start(
        options.clone(),
        SnapshotStore::Values,
        source(Some(ORIGIN), false),
        mode,
    )?;
    for piece in previous.chunks(chunk) {
        s.feed_previous(piece)?;
    }
    s.end_previous()?;
    let mut diff = cube_records::Diff::default();
    let mut snapshot = Vec::new();
    let mut held = 0;
    let drain =
        |s: &mut SyncStream, diff: &mut cube_records::Diff<'static>| -> Result<(), RecordsError> {
            while let Some(spans) = s.wanted()? {
                let mut bytes = Vec::new();
                for (a, b) in spans {
                    bytes.extend_from_slice(&previous[a as usize..b as usize]);
                }
                if !bytes.is_empty() {
                    s.supply(&bytes)?;
                }
                for c in s.take_changes() {
                    c.into_diff(diff);
                }
            }
            Ok(())
        };
    for chunk in records.chunks(page) {
        s.push_json(&serde_json::to_string(chunk).unwrap())?;
        drain(&mut s, &mut diff)?;
        snapshot.extend(s.take_snapshot());
        held = held.max(s.held_bytes());
    }
    s.end_pages()?;
    drain(&mut s, &mut diff)?;
    let (rest, _counts, tail) = s.finish_counted()?;
    assert!(rest.added.is_empty() && rest.changed.is_empty() && rest.removed.is_empty());
    diff.duplicate_keys = rest.duplicate_keys;
    diff.unchanged = rest.unchanged;
    snapshot.extend(tail);
    Ok((serde_json::to_string(&diff).unwrap(), snapshot, held))
}

#[test]
fn a_snapshot_fed_in_pieces_gives_the_same_changes_and_bytes() {
    let before = generate(3_000, 31);
    let (after, _) = mutate(&before, 32);
    let o = DiffOptions::default();
    let (_, snap) = stream(None, &before, &o, SnapshotStore::Values, 500).unwrap();
    let (whole, next) = stream(Some(snap.clone()), &after, &o, SnapshotStore::Values, 500).unwrap();
    for chunk in [1, 7, 4096, snap.len()] {
        let (d, bytes, _) = stream_in_pieces(&snap, &after, &o, chunk, 500).unwrap();
        assert_eq!(d, whole, "chunks of {chunk}");
        assert!(bytes == next, "the new snapshot, chunks of {chunk}");
    }
    // Damage found while feeding: a flipped fingerprint, a copy cut short, and a version 1
    // snapshot (read whole) still works.
    let text = String::from_utf8(snap.clone()).unwrap();
    let line = text.lines().nth(5).unwrap();
    let at = text.find(line).unwrap() + line.find("\",\"").unwrap() + 3;
    let mut damaged = snap.clone();
    damaged[at] = if damaged[at] == b'0' { b'1' } else { b'0' };
    let e = stream_in_pieces(&damaged, &after, &o, 100, 500).unwrap_err();
    assert!(e.to_string().contains("checksum"), "{e}");
    assert!(matches!(e, RecordsError::InvalidSnapshot(_)), "{e}");
    let cut = &snap[..snap.len() / 2];
    let e = stream_in_pieces(cut, &after, &o, 100, 500).unwrap_err();
    assert!(e.to_string().contains("ends too early"), "{e}");
}

#[test]
fn what_a_sync_holds_grows_by_the_documented_cost_per_record() {
    // The previous snapshot's index: at most 64 bytes a record (see README), nothing of the
    // records' values; the keys read that it lacks: at most 24.
    let o = DiffOptions::default();
    let before = generate(20_000, 41);
    let (_, snap) = stream(None, &before, &o, SnapshotStore::Values, 1_000).unwrap();
    let (_, _, held) = stream_in_pieces(&snap, &before, &o, 1 << 16, 1_000).unwrap();
    assert!(
        held <= 20_000 * 64 + (1 << 20) * 2,
        "{held} bytes for 20,000 records"
    );
    assert!(
        held < snap.len() / 2,
        "{held} bytes, the snapshot is {}",
        snap.len()
    );
}
