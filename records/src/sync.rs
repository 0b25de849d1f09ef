//! The sync helper: changes since the last snapshot, and the snapshot to keep.
//!
//! Matched records whose fingerprints are equal are unchanged without looking at their
//! fields; only records whose fingerprint differs are rebuilt from the snapshot's values
//! and compared field by field. (A change that keeps the 64-bit fingerprint equal would go
//! unnoticed; the odds are about 2⁻⁶⁴ per changed record.)

use crate::diff::{
    field_changes, match_keys, Anonymized, Changed, Diff, DiffOptions, Fields, Side,
};
use crate::error::Result;
use crate::snapshot::{Snapshot, SnapshotStore};
use std::borrow::Cow;

/// Compares `current` with the previous snapshot (everything is `added` when there is
/// none) and returns the changes and the snapshot to keep, with values stored.
pub fn sync<'a, R: Fields>(
    previous: Option<Snapshot>,
    current: &'a [R],
    options: &DiffOptions,
) -> Result<(Diff<'a>, Snapshot)> {
    sync_with(previous, current, options, SnapshotStore::Values)
}

/// [`sync`] choosing what the new snapshot stores.
///
/// Against a previous snapshot without values, changed records carry no field changes and
/// their `before` (like removed records) holds only the key.
///
/// `current` may be decoded [`crate::Record`]s or [`crate::RawRecord`]s read from JSON text; the
/// changes are reported as records either way (raw ones decoded only when reported).
pub fn sync_with<'a, R: Fields>(
    previous: Option<Snapshot>,
    current: &'a [R],
    options: &DiffOptions,
    store: SnapshotStore,
) -> Result<(Diff<'a>, Snapshot)> {
    options.validate()?;
    if let Some(p) = &previous {
        p.check_options(options)?;
    }
    let next = Snapshot::build(current, options, store)?;
    let empty = Snapshot {
        options: options.clone(),
        fields: Vec::new(),
        records: Vec::new(),
    };
    let changes = against(previous.as_ref().unwrap_or(&empty), current, &next, options);
    Ok((changes, next))
}

/// Diff of `current` (whose snapshot is `next`) against the snapshot `prev`.
fn against<'a, R: Fields>(
    prev: &Snapshot,
    current: &'a [R],
    next: &Snapshot,
    o: &DiffOptions,
) -> Diff<'a> {
    let bkeys: Vec<_> = prev
        .records
        .iter()
        .map(|r| Some(Cow::from(r.key.as_str())))
        .collect();
    let akeys: Vec<_> = current.iter().map(|r| r.key_text(&o.key)).collect();
    let m = match_keys(&bkeys, &akeys);
    // Fingerprints of `current`, in the order `next` stored them (non-anonymized records).
    let mut fps = next.records.iter().map(|r| r.fingerprint);
    let fp_of: Vec<Option<u64>> = akeys
        .iter()
        .map(|k| k.as_ref().and_then(|_| fps.next()))
        .collect();

    let mut out = Diff::default();
    for &(ai, bi) in &m.pairs {
        let a = &current[ai];
        let Some(bi) = bi else {
            out.added.push(a.as_record());
            continue;
        };
        if Some(prev.records[bi].fingerprint) == fp_of[ai] {
            out.unchanged += 1;
            continue;
        }
        let before = prev.record(bi);
        let a = a.as_record();
        let fields = match prev.records[bi].values {
            Some(_) => field_changes(&before, a.as_ref(), o),
            None => Vec::new(),
        };
        if fields.is_empty() && prev.records[bi].values.is_some() {
            // Fingerprints differ but no compared field does (a snapshot edited by hand).
            out.unchanged += 1;
            continue;
        }
        out.changed.push(Changed {
            key: prev.records[bi].key.clone(),
            before: Cow::Owned(before),
            after: a,
            fields,
        });
    }
    out.removed = m
        .removed
        .iter()
        .map(|&i| Cow::Owned(prev.record(i)))
        .collect();
    out.anonymized = m
        .anonymized_after
        .iter()
        .map(|&index| Anonymized {
            side: Side::After,
            index,
            record: current[index].as_record(),
        })
        .collect();
    out.duplicate_keys = m.duplicates;
    out
}
