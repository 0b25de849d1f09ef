//! Field-level comparison of two matched records.

use super::types::{DiffOptions, FieldChange};
use crate::value::same;
use crate::Record;
use serde_json::Value;

fn push(out: &mut Vec<FieldChange>, field: &str, b: Option<&Value>, a: Option<&Value>) {
    out.push(FieldChange {
        field: field.to_string(),
        before: b.cloned().unwrap_or(Value::Null),
        after: a.cloned().unwrap_or(Value::Null),
    })
}

/// The fields that differ, in `after`'s order then fields only in `before`.
/// Allocates nothing when the records are equal.
pub(crate) fn field_changes(
    before: &Record,
    after: &Record,
    options: &DiffOptions,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let differs = |f: &str, b: Option<&Value>, a: Option<&Value>| {
        !same(b, a, options.loose) && !options.ignored(f)
    };
    if before.len() == after.len() {
        // Common case (records of one endpoint): same keys in the same order, so one pass
        // without hashing; fall back below at the first misaligned key.
        let mut aligned = true;
        for ((field, b), (other, a)) in before.iter().zip(after.iter()) {
            if field != other {
                aligned = false;
                break;
            }
            if differs(field, Some(b), Some(a)) {
                push(&mut out, field, Some(b), Some(a));
            }
        }
        if aligned {
            return out;
        }
        out.clear();
    }
    for (field, a) in after {
        let b = before.get(field);
        if differs(field, b, Some(a)) {
            push(&mut out, field, b, Some(a));
        }
    }
    for (field, b) in before {
        if !after.contains_key(field) && differs(field, Some(b), None) {
            push(&mut out, field, Some(b), None);
        }
    }
    out
}
