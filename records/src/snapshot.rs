//! A compact, versioned snapshot of a sync, and the `sync` helper.
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

use crate::diff::{
    diff_core, key_of, match_keys, Anonymized, Before, Changed, Diff, DiffOptions, Side,
};
use crate::error::{quote, RecordsError, Result};
use crate::value::field_hash;
use crate::Record;
use serde::ser::{SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
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
pub fn fingerprint(record: &Record, options: &DiffOptions) -> u64 {
    record
        .iter()
        .filter(|(f, _)| !options.ignored(f))
        .filter_map(|(f, v)| field_hash(f, v, options.loose))
        .fold(0u64, u64::wrapping_add)
}

impl Snapshot {
    /// Takes a snapshot of `records`.
    pub fn build(records: &[Record], options: &DiffOptions, store: SnapshotStore) -> Result<Self> {
        options.validate()?;
        let mut fields: Vec<String> = Vec::new();
        let mut known: HashSet<&str> = HashSet::new();
        let with_values = store == SnapshotStore::Values;
        if with_values {
            for r in records {
                for f in r.keys() {
                    if !known.contains(f.as_str()) && !options.ignored(f) {
                        known.insert(f);
                        fields.push(f.clone());
                    }
                }
            }
        }
        let out = records
            .iter()
            .filter_map(|r| {
                let key = key_of(r, &options.key)?.into_owned();
                let values = with_values.then(|| {
                    let mut v: Vec<Value> = fields
                        .iter()
                        .map(|f| r.get(f).cloned().unwrap_or(Value::Null))
                        .collect();
                    while v.last().is_some_and(Value::is_null) {
                        v.pop();
                    }
                    v
                });
                Some(SnapshotRecord {
                    fingerprint: fingerprint(r, options),
                    key,
                    values,
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

    /// Checks that the snapshot was made with `options`.
    fn check_options(&self, options: &DiffOptions) -> Result<()> {
        let mismatch = |option, s: String, r: String| RecordsError::SnapshotMismatch {
            option,
            snapshot: s,
            requested: r,
        };
        let mine = &self.options;
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

    /// The stored records rebuilt (only stored fields, no `null`s); `None` without values.
    fn into_records(self) -> Option<Vec<Record>> {
        let fields = self.fields;
        self.records
            .into_iter()
            .map(|r| {
                let values = r.values?;
                Some(
                    fields
                        .iter()
                        .zip(values)
                        .filter(|(_, v)| !v.is_null())
                        .map(|(f, v)| (f.clone(), v))
                        .collect(),
                )
            })
            .collect()
    }
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

/// Compares `current` with the previous snapshot (everything is `added` when there is
/// none) and returns the changes and the snapshot to keep, with values stored.
pub fn sync<'a>(
    previous: Option<Snapshot>,
    current: &'a [Record],
    options: &DiffOptions,
) -> Result<(Diff<'a>, Snapshot)> {
    sync_with(previous, current, options, SnapshotStore::Values)
}

/// [`sync`] choosing what the new snapshot stores.
pub fn sync_with<'a>(
    previous: Option<Snapshot>,
    current: &'a [Record],
    options: &DiffOptions,
    store: SnapshotStore,
) -> Result<(Diff<'a>, Snapshot)> {
    options.validate()?;
    if let Some(p) = &previous {
        p.check_options(options)?;
    }
    let next = Snapshot::build(current, options, store)?;
    let changes = match previous {
        None => diff_core(Before::Borrowed(&[]), current, options),
        Some(p) if p.records.iter().all(|r| r.values.is_some()) => {
            let before = p.into_records().unwrap_or_default();
            diff_core(Before::Owned(before), current, options)
        }
        Some(p) => by_fingerprint(&p, current, &next, options),
    };
    Ok((changes, next))
}

/// Diff against a snapshot without values: per-record changes only.
fn by_fingerprint<'a>(
    prev: &Snapshot,
    current: &'a [Record],
    next: &Snapshot,
    o: &DiffOptions,
) -> Diff<'a> {
    let bkeys: Vec<_> = prev
        .records
        .iter()
        .map(|r| Some(Cow::from(r.key.as_str())))
        .collect();
    let akeys: Vec<_> = current.iter().map(|r| key_of(r, &o.key)).collect();
    let m = match_keys(&bkeys, &akeys);
    let key_only = |key: &str| {
        let mut r = Record::new();
        r.insert(o.key.clone(), Value::String(key.to_string()));
        Cow::Owned(r)
    };
    // Fingerprints of `current`, in the order `next` stored them (non-anonymized records).
    let mut fps = next.records.iter().map(|r| r.fingerprint);
    let fp_of: Vec<Option<u64>> = akeys
        .iter()
        .map(|k| k.as_ref().and_then(|_| fps.next()))
        .collect();

    let mut out = Diff::default();
    for &(ai, bi) in &m.pairs {
        let a = &current[ai];
        match bi {
            None => out.added.push(Cow::Borrowed(a)),
            Some(bi) if Some(prev.records[bi].fingerprint) == fp_of[ai] => out.unchanged += 1,
            Some(bi) => out.changed.push(Changed {
                key: prev.records[bi].key.clone(),
                before: key_only(&prev.records[bi].key),
                after: Cow::Borrowed(a),
                fields: Vec::new(),
            }),
        }
    }
    out.removed = m
        .removed
        .iter()
        .map(|&i| key_only(&prev.records[i].key))
        .collect();
    out.anonymized = m
        .anonymized_after
        .iter()
        .map(|&index| Anonymized {
            side: Side::After,
            index,
            record: Cow::Borrowed(&current[index]),
        })
        .collect();
    out.duplicate_keys = m.duplicates;
    out
}
