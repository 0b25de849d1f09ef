//! The new snapshot taken piece by piece as pages arrive: the pieces, one after the other
//! and then `finish`'s, are the very bytes of a sync that took none — for a first sync, a
//! steady one and a baseline, with either store.

mod common;

use common::gen::{generate, mutate};
use cube_records::{DiffOptions, Record, SnapshotStore, SyncMode, SyncSource, SyncStream};

const SOURCE: SyncSource<'static> = SyncSource {
    read: Some("GET /api/v1/data_owners/1/B2C/customers/"),
    origin: Some("https://acme.headshed.com"),
    allow_other_origin: false,
};

/// The snapshot of a sync of `records` in pages of 37, taking pieces or not; and how many
/// non-empty pieces there were.
fn snapshot(
    previous: Option<&[u8]>,
    records: &[Record],
    store: SnapshotStore,
    mode: SyncMode,
    in_pieces: bool,
) -> (Vec<u8>, usize) {
    let mut s = SyncStream::with_mode(
        previous.map(<[u8]>::to_vec),
        DiffOptions::default(),
        store,
        SOURCE,
        mode,
    )
    .unwrap();
    let mut out = Vec::new();
    let mut pieces = 0;
    let mut take = |s: &mut SyncStream, out: &mut Vec<u8>| {
        if in_pieces {
            let piece = s.take_snapshot();
            pieces += usize::from(!piece.is_empty());
            out.extend_from_slice(&piece);
        }
    };
    take(&mut s, &mut out);
    for page in records.chunks(37) {
        s.push_json(&serde_json::to_string(page).unwrap()).unwrap();
        take(&mut s, &mut out);
    }
    let (_, _, rest) = s.finish_counted().unwrap();
    out.extend_from_slice(&rest);
    (out, pieces)
}

#[test]
fn the_pieces_are_the_snapshot() {
    let first = generate(500, 7);
    let (second, _) = mutate(&first, 11);
    for store in [SnapshotStore::Values, SnapshotStore::Fingerprints] {
        for counts_only in [false, true] {
            let mode = SyncMode { counts_only };
            let (a, none) = snapshot(None, &first, store, mode, false);
            let (b, n) = snapshot(None, &first, store, mode, true);
            assert_eq!(none, 0);
            assert_eq!(a, b, "first sync, {store:?}, counts only {counts_only}");
            assert!(n > first.len() / 37, "a piece per page ({n})");
            let (c, _) = snapshot(Some(&a), &second, store, mode, false);
            let (d, _) = snapshot(Some(&a), &second, store, mode, true);
            assert_eq!(c, d, "steady sync, {store:?}, counts only {counts_only}");
            // The snapshot made of pieces is a state the next sync reads.
            snapshot(Some(&d), &second, store, mode, false);
        }
    }
}
