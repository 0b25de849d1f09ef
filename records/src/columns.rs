//! Choosing the columns of an export: which field, under which header.

use crate::diff::Fields;
use crate::error::{RecordsError, Result};
use crate::labels::Labels;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One output column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// The record key, or a custom-field label when labels are given.
    pub field: String,
    /// The header text; defaults to the field's label, else the field itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl Column {
    /// A column with an explicit header.
    pub fn new(field: impl Into<String>, header: impl Into<String>) -> Self {
        Column {
            field: field.into(),
            header: Some(header.into()),
        }
    }
}

/// A column resolved to a record key and a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub key: String,
    pub header: String,
}

/// Every key of `records`, in first-seen order.
pub fn union_of_keys<R: Fields>(records: &[R]) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for r in records {
        for (k, _) in r.each() {
            if seen.insert(k) {
                out.push(k.to_string());
            }
        }
    }
    out
}

/// Resolves `columns` against `records`; `None` means every key in first-seen order.
///
/// A column's field may be a record key or (with `labels`) a custom-field label. A field
/// that is neither a key of some record nor a known label is an
/// [`RecordsError::UnknownColumn`] (unless there are no records to check against).
pub(crate) fn resolve<R: Fields>(
    records: &[R],
    columns: Option<&[Column]>,
    labels: Option<&Labels>,
) -> Result<Vec<Resolved>> {
    let header_of = |key: &str| labels.and_then(|l| l.label(key)).unwrap_or(key).to_string();
    let Some(columns) = columns else {
        return Ok(union_of_keys(records)
            .into_iter()
            .map(|key| Resolved {
                header: header_of(&key),
                key,
            })
            .collect());
    };
    if columns.is_empty() {
        return Err(RecordsError::option(
            "columns",
            "must list at least one column",
        ));
    }
    let keys = union_of_keys(records);
    let present: HashSet<&str> = keys.iter().map(String::as_str).collect();
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.field.is_empty() {
                return Err(RecordsError::option(
                    "columns",
                    format!("column {i} has an empty field"),
                ));
            }
            let key = if present.contains(c.field.as_str()) || records.is_empty() {
                c.field.clone()
            } else if let Some(k) = labels.and_then(|l| l.key(&c.field)) {
                k.to_string()
            } else if labels.and_then(|l| l.label(&c.field)).is_some() {
                c.field.clone()
            } else {
                return Err(RecordsError::UnknownColumn {
                    field: c.field.clone(),
                });
            };
            let header = c.header.clone().unwrap_or_else(|| header_of(&key));
            Ok(Resolved { key, header })
        })
        .collect()
}

/// The values of `record` for `columns`, in order (`None` when missing).
///
/// Records usually have their keys in column order: those are read by position, the rest
/// (after the first mismatch) by lookup.
pub(crate) fn row_values<'r, R: Fields>(
    record: &'r R,
    columns: &[Resolved],
    out: &mut Vec<Option<&'r R::Value>>,
) {
    out.clear();
    for ((key, value), c) in record.each().zip(columns) {
        if key != c.key {
            break;
        }
        out.push(Some(value));
    }
    let done = out.len();
    out.extend(columns[done..].iter().map(|c| record.field(&c.key)));
}
