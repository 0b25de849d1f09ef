//! Change detection between two sets of records.
//!
//! Records are matched by the key field (see [`DiffOptions`]); matched records are compared
//! field by field, loosely or strictly (see [`crate::value`]). Records with an empty key are
//! reported as [`Anonymized`], keys that occur more than once on a side as [`DuplicateKey`];
//! neither is ever merged. Nothing is copied: reported records borrow from the input and
//! unchanged records are only counted.

mod compare;
mod diffable;
mod matching;
mod types;

pub use diffable::Fields;

pub use types::{
    Anonymized, Changed, Diff, DiffOptions, DuplicateKey, FieldChange, RecordRef, Side,
};

pub(crate) use compare::field_changes;
pub(crate) use matching::match_keys;

use crate::error::Result;
use std::borrow::Cow;

/// Compares `before` with `after`: decoded [`crate::Record`]s or, for large inputs read once,
/// [`crate::TextRecord`]s borrowing from their JSON text (same results, far fewer allocations).
///
/// Runs in time linear in the number of records and fields (one hash map by key).
pub fn diff<'a, R: Fields>(
    before: &'a [R],
    after: &'a [R],
    options: &DiffOptions,
) -> Result<Diff<'a, R>> {
    options.validate()?;
    Ok(diff_core(before, after, options))
}

fn diff_core<'a, R: Fields>(before: &'a [R], after: &'a [R], options: &DiffOptions) -> Diff<'a, R> {
    let akeys: Vec<_> = after.iter().map(|r| r.key_text(&options.key)).collect();
    let (m, compared) = {
        let b = before;
        let bkeys: Vec<_> = b.iter().map(|r| r.key_text(&options.key)).collect();
        let m = match_keys(&bkeys, &akeys);
        let compared: Vec<_> = m
            .pairs
            .iter()
            .map(|&(ai, bi)| {
                (
                    ai,
                    bi.map(|bi| (bi, field_changes(&b[bi], &after[ai], options))),
                )
            })
            .collect();
        (m, compared)
    };

    let mut out = Diff::default();
    for (ai, matched) in compared {
        let a = &after[ai];
        match matched {
            None => out.added.push(Cow::Borrowed(a)),
            Some((_, fields)) if fields.is_empty() => out.unchanged += 1,
            Some((bi, fields)) => out.changed.push(Changed {
                key: akeys[ai].as_deref().unwrap_or_default().to_string(),
                before: Cow::Borrowed(&before[bi]),
                after: Cow::Borrowed(a),
                fields,
            }),
        }
    }
    out.removed = m
        .removed
        .iter()
        .map(|&i| Cow::Borrowed(&before[i]))
        .collect();
    let anon_after = m.anonymized_after.iter().map(|&index| Anonymized {
        side: Side::After,
        index,
        record: Cow::Borrowed(&after[index]),
    });
    out.anonymized = anon_after.collect();
    for &index in &m.anonymized_before {
        out.anonymized.push(Anonymized {
            side: Side::Before,
            index,
            record: Cow::Borrowed(&before[index]),
        });
    }
    out.duplicate_keys = m.duplicates;
    out
}
