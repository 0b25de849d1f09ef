//! Field-level comparison of two matched records.

use super::diffable::Fields;
use super::types::{DiffOptions, FieldChange};

fn push<R: Fields>(
    out: &mut Vec<FieldChange>,
    field: &str,
    b: Option<&R::Value>,
    a: Option<&R::Value>,
) {
    out.push(FieldChange {
        field: field.to_string(),
        before: R::to_value(b),
        after: R::to_value(a),
    })
}

/// The fields that differ, in `after`'s order then fields only in `before`.
/// Allocates nothing when the records are equal.
pub(crate) fn field_changes<R: Fields>(
    before: &R,
    after: &R,
    options: &DiffOptions,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let differs = |f: &str, b: Option<&R::Value>, a: Option<&R::Value>| {
        !R::same(b, a, options.loose) && !options.ignored(f)
    };
    if before.count() == after.count() {
        // Common case (records of one endpoint): same keys in the same order, so one pass
        // without hashing; fall back below at the first misaligned key.
        let mut aligned = true;
        for ((field, b), (other, a)) in before.each().zip(after.each()) {
            if field != other {
                aligned = false;
                break;
            }
            if differs(field, Some(b), Some(a)) {
                push::<R>(&mut out, field, Some(b), Some(a));
            }
        }
        if aligned {
            return out;
        }
        out.clear();
    }
    for (field, a) in after.each() {
        let b = before.field(field);
        if differs(field, b, Some(a)) {
            push::<R>(&mut out, field, b, Some(a));
        }
    }
    for (field, b) in before.each() {
        if after.field(field).is_none() && differs(field, Some(b), None) {
            push::<R>(&mut out, field, Some(b), None);
        }
    }
    out
}
