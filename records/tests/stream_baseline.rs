//! The baseline run of the streaming sync against a normal sync of the same pages: the same
//! snapshot bytes, counts equal to the normal report's list lengths, no record kept.

mod common;

use common::gen::{generate, mutate};
use common::recs;
use cube_records::{Diff, DiffOptions, Record, SnapshotStore, SyncCounts, SyncSource, SyncStream};
use serde_json::json;

const SOURCE: SyncSource<'static> = SyncSource {
    read: Some("GET /api/v1/data_owners/1/B2C/customers/"),
    origin: Some("https://acme.headshed.com"),
    allow_other_origin: false,
};

/// What a run gave: the changes, their counts, the snapshot, and how many record texts the
/// engine held once every page was pushed.
struct Run {
    diff: Diff<'static>,
    counts: SyncCounts,
    snapshot: Vec<u8>,
    kept: usize,
}

/// A sync of `records` in pages of `page` records, each page as one text per record (as the
/// client's pages arrive); `baseline` picks the run.
fn run(
    baseline: bool,
    previous: Option<&[u8]>,
    records: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
    page: usize,
) -> Run {
    let previous = previous.map(<[u8]>::to_vec);
    let start = if baseline {
        SyncStream::baseline
    } else {
        SyncStream::new
    };
    let mut s = start(previous, options.clone(), store, SOURCE).unwrap();
    for chunk in records.chunks(page) {
        let texts: Vec<String> = chunk
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        s.push_texts(texts.iter().map(String::as_str)).unwrap();
    }
    let kept = s.kept_len();
    let (diff, counts, snapshot) = s.finish_counted().unwrap();
    Run {
        diff,
        counts,
        snapshot,
        kept,
    }
}

/// A baseline run and a normal run of the same pages must write the same bytes and count
/// the same; the baseline keeps and lists nothing. Returns the baseline's counts.
fn same_as_normal(
    previous: Option<&[u8]>,
    records: &[Record],
    options: &DiffOptions,
    store: SnapshotStore,
    page: usize,
) -> SyncCounts {
    let normal = run(false, previous, records, options, store, page);
    let base = run(true, previous, records, options, store, page);
    assert!(
        base.snapshot == normal.snapshot,
        "the baseline snapshot differs from the normal one"
    );
    assert_eq!(base.counts, normal.counts, "counts");
    assert_eq!(normal.counts, SyncCounts::from(&normal.diff));
    assert_eq!(base.kept, 0, "a baseline run keeps no record text");
    assert!(
        normal.kept > 0 || normal.diff.is_empty(),
        "the measure counts what a normal run keeps"
    );
    let d = &base.diff;
    assert!(d.is_empty(), "a baseline lists nothing: {d:?}");
    assert_eq!(d.unchanged, base.counts.unchanged);
    base.counts
}

#[test]
fn a_first_baseline_writes_the_normal_snapshot_and_counts_every_record_as_added() {
    let records = generate(3_000, 21);
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    for options in [DiffOptions::default(), strict] {
        for store in [SnapshotStore::Values, SnapshotStore::Fingerprints] {
            for page in [250, 7] {
                let c = same_as_normal(None, &records, &options, store, page);
                assert_eq!(
                    c,
                    SyncCounts {
                        added: 3_000,
                        ..SyncCounts::default()
                    }
                );
            }
        }
    }
}

#[test]
fn a_re_baseline_counts_against_the_previous_state() {
    let before = generate(3_000, 22);
    let (after, e) = mutate(&before, 23);
    let ignore = DiffOptions {
        ignore_fields: vec!["crm__change_log__updated".into()],
        ..DiffOptions::default()
    };
    for options in [DiffOptions::default(), ignore] {
        for store in [SnapshotStore::Values, SnapshotStore::Fingerprints] {
            let first = run(false, None, &before, &options, store, 500).snapshot;
            let c = same_as_normal(Some(&first), &after, &options, store, 250);
            assert_eq!(
                (c.added, c.removed, c.changed, c.unchanged),
                (e.added, e.removed, e.changed, e.unchanged),
                "{options:?} {store:?}"
            );
        }
    }
}

#[test]
fn a_baseline_snapshot_is_a_real_state() {
    let before = generate(2_000, 24);
    let (after, e) = mutate(&before, 25);
    let o = DiffOptions::default();
    let base = run(true, None, &before, &o, SnapshotStore::Values, 300).snapshot;
    let next = run(false, Some(&base), &after, &o, SnapshotStore::Values, 300);
    assert_eq!(next.diff.added.len(), e.added);
    assert_eq!(next.diff.removed.len(), e.removed);
    assert_eq!(next.diff.changed.len(), e.changed);
    assert!(next.diff.changed.iter().all(|c| !c.fields.is_empty()));
}

#[test]
fn anonymized_and_duplicate_keys_are_counted_not_kept() {
    let before = recs(json!([
        {"crm__customer_id": "1", "a": "x"},
        {"crm__customer_id": "2", "a": "y"},
        {"crm__customer_id": "", "a": "anon"},
        {"crm__customer_id": "4", "a": "dup"},
        {"crm__customer_id": "4", "a": "dup2"},
        {"crm__customer_id": "6", "a": "gone"},
    ]));
    let after = recs(json!([
        {"crm__customer_id": "1", "a": "x"},
        {"crm__customer_id": "2", "a": "y2"},
        {"a": "anon2"},
        {"crm__customer_id": null, "a": "anon3"},
        {"crm__customer_id": "4", "a": "dup"},
        {"crm__customer_id": "9", "x": "added"},
        {"crm__customer_id": "9", "x": "added twice"},
        {"crm__customer_id": "10", "x": "added"},
    ]));
    let o = DiffOptions::default();
    let first = same_as_normal(None, &before, &o, SnapshotStore::Values, 2);
    assert_eq!(
        first,
        SyncCounts {
            // The first record of a key is the one counted (and kept), a later one is a
            // duplicate.
            added: 4,
            anonymized: 1,
            duplicate_keys: 1,
            ..SyncCounts::default()
        }
    );
    let previous = run(false, None, &before, &o, SnapshotStore::Values, 2).snapshot;
    let again = same_as_normal(Some(&previous), &after, &o, SnapshotStore::Values, 3);
    assert_eq!(
        again,
        SyncCounts {
            added: 2,
            removed: 1,
            changed: 1,
            unchanged: 2,
            anonymized: 2,
            duplicate_keys: 1,
        }
    );
}
