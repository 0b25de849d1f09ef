//! Change detection between two sets of records.
//!
//! Records are matched by the key field (see [`DiffOptions`]); matched records are compared
//! field by field, loosely or strictly (see [`crate::value`]). Records with an empty key are
//! reported as [`Anonymized`], keys that occur more than once on a side as [`DuplicateKey`];
//! neither is ever merged. Unchanged records are only counted, never copied.

mod compare;
mod matching;
mod types;

pub use types::{Anonymized, Changed, Diff, DiffOptions, DuplicateKey, FieldChange, Side};

pub(crate) use compare::field_changes;
pub(crate) use matching::{match_keys, Matching};

use crate::error::Result;
use crate::value::canonical;
use crate::Record;
use std::borrow::Cow;

/// The key of a record as text; `None` when empty (anonymized).
pub(crate) fn key_of<'a>(record: &'a Record, key: &str) -> Option<Cow<'a, str>> {
    canonical(record.get(key))
}

/// Compares `before` with `after`.
///
/// Runs in time linear in the number of records and fields (one hash map by key); only
/// reported records are cloned.
pub fn diff(before: &[Record], after: &[Record], options: &DiffOptions) -> Result<Diff> {
    options.validate()?;
    let bkeys: Vec<_> = before.iter().map(|r| key_of(r, &options.key)).collect();
    let akeys: Vec<_> = after.iter().map(|r| key_of(r, &options.key)).collect();
    let m = match_keys(&bkeys, &akeys);

    let mut out = Diff::default();
    for &(ai, bi) in &m.pairs {
        let a = &after[ai];
        match bi {
            None => out.added.push(a.clone()),
            Some(bi) => {
                let b = &before[bi];
                let fields = field_changes(b, a, options);
                if fields.is_empty() {
                    out.unchanged += 1;
                } else {
                    out.changed.push(Changed {
                        key: akeys[ai].as_deref().unwrap_or_default().to_string(),
                        before: b.clone(),
                        after: a.clone(),
                        fields,
                    });
                }
            }
        }
    }
    out.removed = m.removed.iter().map(|&i| before[i].clone()).collect();
    out.anonymized = anonymized(&m, before, after);
    out.duplicate_keys = m.duplicates;
    Ok(out)
}

pub(crate) fn anonymized(m: &Matching, before: &[Record], after: &[Record]) -> Vec<Anonymized> {
    let a = m.anonymized_after.iter().map(|&index| Anonymized {
        side: Side::After,
        index,
        record: after[index].clone(),
    });
    let b = m.anonymized_before.iter().map(|&index| Anonymized {
        side: Side::Before,
        index,
        record: before[index].clone(),
    });
    a.chain(b).collect()
}
