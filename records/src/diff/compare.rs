//! Field-level comparison of two matched records.

use super::types::{DiffOptions, FieldChange};
use crate::value::same;
use crate::Record;
use serde_json::Value;

/// The fields that differ, in `after`'s order then fields only in `before`.
/// Allocates nothing when the records are equal.
pub(crate) fn field_changes(
    before: &Record,
    after: &Record,
    options: &DiffOptions,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, b: Option<&Value>, a: Option<&Value>| {
        out.push(FieldChange {
            field: field.to_string(),
            before: b.cloned().unwrap_or(Value::Null),
            after: a.cloned().unwrap_or(Value::Null),
        })
    };
    let same_shape =
        before.len() == after.len() && before.keys().zip(after.keys()).all(|(b, a)| a == b);
    if same_shape {
        // Common case (records of one endpoint): same keys in the same order, no hashing.
        for ((field, b), (_, a)) in before.iter().zip(after.iter()) {
            if !same(Some(b), Some(a), options.loose) && !options.ignored(field) {
                push(field, Some(b), Some(a));
            }
        }
        return out;
    }
    for (field, a) in after {
        let b = before.get(field);
        if !same(b, Some(a), options.loose) && !options.ignored(field) {
            push(field, b, Some(a));
        }
    }
    for (field, b) in before {
        if !after.contains_key(field)
            && !same(Some(b), None, options.loose)
            && !options.ignored(field)
        {
            push(field, Some(b), None);
        }
    }
    out
}
