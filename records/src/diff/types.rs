//! Options and results of a diff.

use crate::error::{quote, RecordsError, Result};
use crate::fields::CUSTOMER_ID;
use crate::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

/// A record in a diff: borrowed from the caller's input, or owned when rebuilt from a
/// snapshot. Serializes as the plain record.
pub type RecordRef<'a, R = Record> = Cow<'a, R>;

/// How records are matched and compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct DiffOptions {
    /// The field that identifies a record (default `crm__customer_id`). Its value is read as
    /// text (`233` and `"233"` are the same key in both modes); an empty key (missing,
    /// `null`, `""`) makes the record *anonymized*.
    pub key: String,
    /// Loose comparison of values (default `true`); see [`crate::value`] for the exact rules.
    pub loose: bool,
    /// Fields left out of the comparison (e.g. [`crate::fields::CHANGE_LOG`]).
    pub ignore_fields: Vec<String>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            key: CUSTOMER_ID.to_string(),
            loose: true,
            ignore_fields: Vec::new(),
        }
    }
}

impl DiffOptions {
    /// Checks the options: the key must not be empty nor ignored.
    pub fn validate(&self) -> Result<()> {
        if self.key.is_empty() {
            return Err(RecordsError::option(
                "key",
                "must be a field name, got \"\"",
            ));
        }
        if self.ignore_fields.contains(&self.key) {
            return Err(RecordsError::option(
                "ignoreFields",
                format!("cannot ignore the key field {}", quote(&self.key)),
            ));
        }
        Ok(())
    }

    pub(crate) fn ignored(&self, field: &str) -> bool {
        self.ignore_fields.iter().any(|f| f == field)
    }
}

/// Which input a reported record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    /// The earlier records (or the snapshot).
    Before,
    /// The later records.
    After,
}

/// One field that differs between two matched records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field's key.
    pub field: String,
    /// Its value before (`null` when missing).
    pub before: Value,
    /// Its value after (`null` when missing).
    pub after: Value,
}

/// A record present on both sides whose compared fields differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed<'a, R: Clone = Record> {
    /// The key value as text.
    pub key: String,
    /// The record before.
    pub before: RecordRef<'a, R>,
    /// The record after.
    pub after: RecordRef<'a, R>,
    /// The fields that differ: in `after`'s field order, then fields only in `before`.
    pub fields: Vec<FieldChange>,
}

/// A record whose key is empty: it can't be matched, so it is reported and never merged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anonymized<'a, R: Clone = Record> {
    /// Which input it is in.
    pub side: Side,
    /// Its position in that input.
    pub index: usize,
    /// The record.
    pub record: RecordRef<'a, R>,
}

/// A key that occurs more than once on one side.
///
/// Every record with such a key, on *both* sides, stays out of `added`, `removed`,
/// `changed` and `unchanged`: which of them would be "the" record is unknowable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateKey {
    /// The key value as text.
    pub key: String,
    /// The side it is duplicated on.
    pub side: Side,
    /// How many records on that side have it.
    pub count: usize,
}

/// What changed between two sets of records.
///
/// Reported records borrow from the input (nothing is copied); records rebuilt from a
/// snapshot are owned. [`Diff::into_owned`] detaches the result from the input.
///
/// Order is deterministic: `added` and `changed` follow `after`; `removed` follows
/// `before`; `anonymized` lists `after` records then `before` records; `duplicate_keys`
/// lists `after` keys then `before` keys, each in order of first occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff<'a, R: Clone = Record> {
    /// Records whose key is only in `after`.
    pub added: Vec<RecordRef<'a, R>>,
    /// Records whose key is only in `before`.
    pub removed: Vec<RecordRef<'a, R>>,
    /// Records on both sides with differing fields.
    pub changed: Vec<Changed<'a, R>>,
    /// Records with an empty key.
    pub anonymized: Vec<Anonymized<'a, R>>,
    /// Keys occurring more than once on a side.
    pub duplicate_keys: Vec<DuplicateKey>,
    /// How many matched records are equal.
    pub unchanged: usize,
}

impl<R: Clone> Default for Diff<'_, R> {
    fn default() -> Self {
        Diff {
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
            anonymized: Vec::new(),
            duplicate_keys: Vec::new(),
            unchanged: 0,
        }
    }
}

impl<R: Clone> Diff<'_, R> {
    /// Whether nothing at all was reported (only unchanged records).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.anonymized.is_empty()
            && self.duplicate_keys.is_empty()
    }
}

impl Diff<'_> {
    /// The same diff owning all its records.
    pub fn into_owned(self) -> Diff<'static> {
        let own = |r: RecordRef<'_>| Cow::Owned(r.into_owned());
        Diff {
            added: self.added.into_iter().map(own).collect(),
            removed: self.removed.into_iter().map(own).collect(),
            changed: self
                .changed
                .into_iter()
                .map(|c| Changed {
                    key: c.key,
                    before: own(c.before),
                    after: own(c.after),
                    fields: c.fields,
                })
                .collect(),
            anonymized: self
                .anonymized
                .into_iter()
                .map(|a| Anonymized {
                    side: a.side,
                    index: a.index,
                    record: own(a.record),
                })
                .collect(),
            duplicate_keys: self.duplicate_keys,
            unchanged: self.unchanged,
        }
    }
}
