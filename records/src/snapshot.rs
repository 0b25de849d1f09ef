//! A compact, versioned snapshot of a sync (see [`crate::sync()`] for the helper).
//!
//! # Format (version 1)
//!
//! ```json
//! {
//!   "version": 1,
//!   "key": "crm__customer_id",
//!   "loose": true,
//!   "ignoreFields": ["crm__change_log__updated"],
//!   "fields": ["crm__customer_id", "crm__standard_info__name", "crm__custom_info__64"],
//!   "records": [
//!     ["0042", "9c1f0e6a2b7d4410", ["0042", "Kari Nordmann", "Storgata 1"]],
//!     ["0043", "51aa03c9e2f08b77"]
//!   ]
//! }
//! ```
//!
//! * `key`, `loose`, `ignoreFields`: the [`DiffOptions`] the snapshot was made with; a sync
//!   with other options is refused ([`RecordsError::SnapshotMismatch`]).
//! * `fields`: every compared field (ignored fields are not stored), in first-seen order.
//! * `records`: one entry per record with a non-empty key, in input order (duplicate keys
//!   are kept, so the next sync reports them again; anonymized records are not stored):
//!   `[key, fingerprint, values?]`.
//!   * `key`: the key as text.
//!   * `fingerprint`: 16 hex digits, a stable 64-bit hash of the record's compared fields
//!     (field name + canonical value, summed over fields, so field order does not matter);
//!     equal records under the snapshot's mode have equal fingerprints.
//!   * `values` (present unless the snapshot was made with [`SnapshotStore::Fingerprints`]):
//!     the record's raw values in `fields` order, `null` for missing, trailing `null`s cut.
//!
//! Without values a sync still finds added, removed and changed records, but changed
//! records carry no field-level changes and `before` (like removed records) holds only the
//! key. Records rebuilt from values omit fields that were `null` or missing.

use crate::diff::{DiffOptions, Fields};
use crate::error::{quote, RecordsError, Result};
use crate::Record;
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::HashSet;

/// The snapshot format version this crate writes and reads.
pub const SNAPSHOT_VERSION: u64 = 1;

/// What a snapshot keeps of each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SnapshotStore {
    /// Fingerprint and values: the next sync reports field-level changes (default).
    #[default]
    Values,
    /// Fingerprint only: much smaller, changes are reported per record.
    Fingerprints,
}

impl SnapshotStore {
    /// The store named as in JS (`"values"`, `"fingerprints"`).
    pub fn from_name(name: &str) -> Option<SnapshotStore> {
        match name {
            "values" => Some(SnapshotStore::Values),
            "fingerprints" => Some(SnapshotStore::Fingerprints),
            _ => None,
        }
    }
}

/// One record of a snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRecord {
    /// The key as text.
    pub key: String,
    /// Stable hash of the compared fields.
    pub fingerprint: u64,
    /// Raw values in the snapshot's `fields` order (trailing `null`s cut), if stored.
    pub values: Option<Vec<Value>>,
}

/// The state of a sync, to keep for the next one. Serializes to the format above.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The options the snapshot was made with.
    pub options: DiffOptions,
    /// The stored fields.
    pub fields: Vec<String>,
    /// The records.
    pub records: Vec<SnapshotRecord>,
}

/// Fingerprint of a record: see the module docs.
pub fn fingerprint<R: Fields>(record: &R, options: &DiffOptions) -> u64 {
    record
        .each()
        .filter(|(f, _)| !options.ignored(f))
        .filter_map(|(f, v)| R::hash(f, v, options.loose))
        .fold(0u64, u64::wrapping_add)
}

/// Every compared (not ignored) field of `records`, in first-seen order.
fn compared_fields<R: Fields>(records: &[R], options: &DiffOptions) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut known: HashSet<&str> = HashSet::new();
    for r in records {
        let compared = r.each().map(|(f, _)| f).filter(|f| !options.ignored(f));
        for (i, f) in compared.enumerate() {
            // Records of one endpoint share their key order: a cheap positional check first.
            if fields.get(i).map(String::as_str) != Some(f) && !known.contains(f) {
                known.insert(f);
                fields.push(f.to_string());
            }
        }
    }
    fields
}

/// The values of `r` in `fields` order, `null` for missing, trailing `null`s cut.
fn values_of<R: Fields>(r: &R, fields: &[String], options: &DiffOptions) -> Vec<Value> {
    let mut out = Vec::with_capacity(fields.len());
    let mut aligned = true;
    for (f, v) in r.each().filter(|(f, _)| !options.ignored(f)) {
        if fields.get(out.len()).map(String::as_str) != Some(f) {
            aligned = false;
            break;
        }
        out.push(R::to_value(Some(v)));
    }
    if !aligned {
        out.clear();
        out.extend(fields.iter().map(|f| R::to_value(r.field(f))));
    }
    while out.last().is_some_and(Value::is_null) {
        out.pop();
    }
    out
}

impl Snapshot {
    /// Takes a snapshot of `records`.
    pub fn build<R: Fields>(
        records: &[R],
        options: &DiffOptions,
        store: SnapshotStore,
    ) -> Result<Self> {
        options.validate()?;
        let with_values = store == SnapshotStore::Values;
        let fields = if with_values {
            compared_fields(records, options)
        } else {
            Vec::new()
        };
        let out = records
            .iter()
            .filter_map(|r| {
                Some(SnapshotRecord {
                    key: r.key_text(&options.key)?.into_owned(),
                    fingerprint: fingerprint(r, options),
                    values: with_values.then(|| values_of(r, &fields, options)),
                })
            })
            .collect();
        Ok(Snapshot {
            options: options.clone(),
            fields,
            records: out,
        })
    }

    /// The JSON form (see the module docs).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads the JSON form, checking its version and shape.
    pub fn from_json(value: Value) -> Result<Self> {
        crate::snapshot_json::parse(value)
    }

    /// A snapshot of nothing (what a first sync compares with).
    pub(crate) fn empty(options: &DiffOptions) -> Snapshot {
        Snapshot {
            options: options.clone(),
            fields: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Stored record `i` rebuilt from its values (stored fields that are not `null`), or
    /// just its key when the snapshot has no values.
    pub fn record(&self, i: usize) -> Record {
        let r = &self.records[i];
        match &r.values {
            Some(values) => self
                .fields
                .iter()
                .zip(values)
                .filter(|(_, v)| !v.is_null())
                .map(|(f, v)| (f.clone(), v.clone()))
                .collect(),
            None => {
                let mut out = Record::new();
                out.insert(self.options.key.clone(), Value::String(r.key.clone()));
                out
            }
        }
    }
}

/// Checks that a snapshot made with `mine` may be compared under `options`.
pub(crate) fn check_options(mine: &DiffOptions, options: &DiffOptions) -> Result<()> {
    let mismatch = |option, s: String, r: String| RecordsError::SnapshotMismatch {
        option,
        snapshot: s,
        requested: r,
    };
    if mine.key != options.key {
        return Err(mismatch("key", quote(&mine.key), quote(&options.key)));
    }
    if mine.loose != options.loose {
        return Err(mismatch(
            "loose",
            mine.loose.to_string(),
            options.loose.to_string(),
        ));
    }
    let (s, r) = (&mine.ignore_fields, &options.ignore_fields);
    if !s.iter().all(|f| r.contains(f)) || !r.iter().all(|f| s.contains(f)) {
        let list = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
        return Err(mismatch("ignoreFields", list(s), list(r)));
    }
    Ok(())
}

impl Serialize for Snapshot {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("version", &SNAPSHOT_VERSION)?;
        m.serialize_entry("key", &self.options.key)?;
        m.serialize_entry("loose", &self.options.loose)?;
        m.serialize_entry("ignoreFields", &self.options.ignore_fields)?;
        m.serialize_entry("fields", &self.fields)?;
        m.serialize_entry("records", &Entries(&self.records))?;
        m.end()
    }
}

/// Serializes the records without building a JSON tree first.
struct Entries<'a>(&'a [SnapshotRecord]);

impl Serialize for Entries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for r in self.0 {
            seq.serialize_element(r)?;
        }
        seq.end()
    }
}

impl Serialize for SnapshotRecord {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let len = if self.values.is_some() { 3 } else { 2 };
        let mut t = s.serialize_tuple(len)?;
        t.serialize_element(&self.key)?;
        t.serialize_element(&format!("{:016x}", self.fingerprint))?;
        if let Some(v) = &self.values {
            t.serialize_element(v)?;
        }
        t.end()
    }
}

impl<'de> Deserialize<'de> for Snapshot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Snapshot::from_json(v).map_err(serde::de::Error::custom)
    }
}
