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
use crate::snapshot::{check_options, Snapshot, SnapshotStore};
use crate::Record;
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
/// `current` may be decoded [`crate::Record`]s or [`crate::TextRecord`]s read from JSON text; the
/// changes are reported as records either way (raw ones decoded only when reported).
pub fn sync_with<'a, R: Fields>(
    previous: Option<Snapshot>,
    current: &'a [R],
    options: &DiffOptions,
    store: SnapshotStore,
) -> Result<(Diff<'a>, Snapshot)> {
    options.validate()?;
    if let Some(p) = &previous {
        check_options(&p.options, options)?;
    }
    let next = Snapshot::build(current, options, store)?;
    let empty = Snapshot::empty(options);
    let changes = against(previous.as_ref().unwrap_or(&empty), current, &next, options);
    Ok((changes, next))
}

/// The current side of a sync: each record's key (`None`: anonymized) and fingerprint, and
/// the record itself, asked for only when it is reported.
pub(crate) struct Current<'k, F> {
    pub keys: &'k [Option<Cow<'k, str>>],
    pub fingerprints: &'k [Option<u64>],
    pub record: F,
}

/// Diff of `current` (whose snapshot is `next`) against the snapshot `prev`.
fn against<'a, R: Fields>(
    prev: &Snapshot,
    current: &'a [R],
    next: &Snapshot,
    o: &DiffOptions,
) -> Diff<'a> {
    let akeys: Vec<_> = current.iter().map(|r| r.key_text(&o.key)).collect();
    // Fingerprints of `current`, in the order `next` stored them (non-anonymized records).
    let mut fps = next.records.iter().map(|r| r.fingerprint);
    let fp_of: Vec<Option<u64>> = akeys
        .iter()
        .map(|k| k.as_ref().and_then(|_| fps.next()))
        .collect();
    let side = Current {
        keys: &akeys,
        fingerprints: &fp_of,
        record: |i: usize| Ok(current[i].as_record()),
    };
    // An in-memory snapshot rebuilds its records without failing.
    compare(prev, side, o).unwrap_or_default()
}

/// The changes from `prev` to `current`.
fn compare<'a, F>(prev: &Snapshot, current: Current<'_, F>, o: &DiffOptions) -> Result<Diff<'a>>
where
    F: Fn(usize) -> Result<Cow<'a, Record>>,
{
    let bkeys: Vec<_> = prev
        .records
        .iter()
        .map(|r| Some(Cow::from(r.key.as_str())))
        .collect();
    let m = match_keys(&bkeys, current.keys);
    let mut out = Diff::default();
    for &(ai, bi) in &m.pairs {
        let Some(bi) = bi else {
            out.added.push((current.record)(ai)?);
            continue;
        };
        let b = &prev.records[bi];
        if Some(b.fingerprint) == current.fingerprints[ai] {
            out.unchanged += 1;
            continue;
        }
        let before = prev.record(bi);
        let a = (current.record)(ai)?;
        let with_values = b.values.is_some();
        let fields = match with_values {
            true => field_changes(&before, a.as_ref(), o),
            false => Vec::new(),
        };
        if fields.is_empty() && with_values {
            // Fingerprints differ but no compared field does (a snapshot edited by hand).
            out.unchanged += 1;
            continue;
        }
        out.changed.push(Changed {
            key: b.key.clone(),
            before: Cow::Owned(before),
            after: a,
            fields,
        });
    }
    for &i in &m.removed {
        out.removed.push(Cow::Owned(prev.record(i)));
    }
    for &index in &m.anonymized_after {
        out.anonymized.push(Anonymized {
            side: Side::After,
            index,
            record: (current.record)(index)?,
        });
    }
    out.duplicate_keys = m.duplicates;
    Ok(out)
}
