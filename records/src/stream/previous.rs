//! Reading a stored snapshot in place: one pass over its text, no JSON value tree. Keys are
//! copied into one buffer; each record's values stay in the text and are decoded only when
//! the record is reported (changed or removed).

use super::checksum::Checksum;
use super::feed::{about, check_end, About, Header};
use crate::error::{quote, RecordsError, Result};
use crate::snapshot::{SnapshotStore, SNAPSHOT_VERSION};
use crate::text_record::KeySeed;
use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

/// The newest snapshot format, written by the streaming sync.
pub const STREAM_SNAPSHOT_VERSION: u64 = 2;

fn bad(why: impl Into<String>) -> RecordsError {
    RecordsError::InvalidSnapshot(why.into())
}

pub(super) struct Entry {
    pub key: Range<usize>,
    pub fingerprint: u64,
    pub values: Option<Range<usize>>,
}

/// A snapshot read from its stored bytes (format version 1 or 2).
pub(crate) struct StoredSnapshot {
    /// Its bytes, unchanged.
    pub text: String,
    /// Its options, read and origin (`None`: unknown, a snapshot older than the member).
    pub about: About,
    pub fields: Vec<String>,
    keys: String,
    entries: Vec<Entry>,
}

/// What the reader collects; `None` for a member not (yet) seen.
#[derive(Default)]
struct Parts {
    version: Option<u64>,
    key: Option<String>,
    loose: Option<bool>,
    ignore_fields: Option<Vec<String>>,
    store: Option<SnapshotStore>,
    source: Option<Option<String>>,
    origin: Option<Option<String>>,
    fields: Option<Vec<String>>,
    entries: Option<Vec<Entry>>,
    count: Option<u64>,
    checksum: Option<u64>,
    records_sum: Checksum,
    keys: String,
}

struct Reader<'t> {
    base: usize,
    /// The error to report instead of serde's (a precise one found while reading).
    error: &'t RefCell<Option<RecordsError>>,
}

impl<'t> Reader<'t> {
    fn fail<E: Error>(&self, e: RecordsError) -> E {
        let message = e.to_string();
        *self.error.borrow_mut() = Some(e);
        E::custom(message)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Parts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Parts, A::Error> {
        let mut p = Parts::default();
        while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match name.as_ref() {
                "version" => {
                    let v: &RawValue = map.next_value()?;
                    match v.get().parse::<u64>() {
                        Ok(n @ (SNAPSHOT_VERSION | STREAM_SNAPSHOT_VERSION)) => p.version = Some(n),
                        _ => {
                            return Err(self.fail(RecordsError::UnsupportedSnapshotVersion {
                                found: v.get().to_string(),
                            }))
                        }
                    }
                }
                "key" => p.key = Some(map.next_value()?),
                "loose" => p.loose = Some(map.next_value()?),
                "ignoreFields" => p.ignore_fields = Some(map.next_value()?),
                "store" => p.store = Some(map.next_value()?),
                "source" => p.source = Some(map.next_value()?),
                "origin" => p.origin = Some(map.next_value()?),
                "fields" => p.fields = Some(map.next_value()?),
                "count" => p.count = Some(map.next_value()?),
                "checksum" => {
                    let hex: std::borrow::Cow<'de, str> = map.next_value()?;
                    let sum = (hex.len() == 16)
                        .then(|| u64::from_str_radix(&hex, 16).ok())
                        .flatten()
                        .ok_or_else(|| A::Error::custom("\"checksum\" must be 16 hex digits"))?;
                    p.checksum = Some(sum);
                }
                "records" => {
                    let seed = EntriesSeed {
                        base: self.base,
                        keys: &mut p.keys,
                        sum: &mut p.records_sum,
                    };
                    p.entries = Some(map.next_value_seed(seed)?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(p)
    }
}

struct EntriesSeed<'p> {
    base: usize,
    keys: &'p mut String,
    sum: &'p mut Checksum,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = Vec<Entry>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Vec<Entry>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = Vec<Entry>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("\"records\": an array of [key, fingerprint, values?]")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<Entry>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(1024));
        while let Some(entry) = seq.next_element_seed(EntrySeed {
            index: out.len(),
            base: self.base,
            keys: self.keys,
            sum: self.sum,
        })? {
            out.push(entry);
        }
        Ok(out)
    }
}

/// One record `[key, fingerprint, values?]`: its key is appended to `keys`, its values'
/// place is given from `base` (the address of the text's first byte), and it is mixed into
/// `sum`.
pub(super) struct EntrySeed<'p> {
    pub index: usize,
    pub base: usize,
    pub keys: &'p mut String,
    pub sum: &'p mut Checksum,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = Entry;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Entry, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_> {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "records[{}]: an array [key, fingerprint, values?]",
            self.index
        )
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Entry, A::Error> {
        let i = self.index;
        let key = seq
            .next_element_seed(KeySeed)?
            .filter(|k| !k.is_empty())
            .ok_or_else(|| A::Error::custom(format!("records[{i}][0] must be a non-empty key")))?;
        let fp: std::borrow::Cow<'de, str> = seq.next_element()?.ok_or_else(|| {
            A::Error::custom(format!("records[{i}] must have 2 or 3 items, has 1"))
        })?;
        let fingerprint = (fp.len() == 16)
            .then(|| u64::from_str_radix(&fp, 16).ok())
            .flatten()
            .ok_or_else(|| {
                A::Error::custom(format!(
                    "records[{i}][1] must be 16 hex digits, found {}",
                    quote(&fp)
                ))
            })?;
        self.sum.add(key.as_bytes());
        self.sum.add_u64(fingerprint);
        let values = match seq.next_element::<&'de RawValue>()? {
            None => None,
            Some(v) if v.get().starts_with('[') => {
                self.sum.add(v.get().as_bytes());
                let start = v.get().as_ptr() as usize - self.base;
                Some(start..start + v.get().len())
            }
            Some(_) => {
                return Err(A::Error::custom(format!(
                    "records[{i}][2] (values) must be an array"
                )))
            }
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(A::Error::custom(format!(
                "records[{i}] must have 2 or 3 items, has more"
            )));
        }
        let start = self.keys.len();
        self.keys.push_str(&key);
        Ok(Entry {
            key: start..self.keys.len(),
            fingerprint,
            values,
        })
    }
}

impl Parts {
    /// The header members read, taken out.
    fn header(&mut self, version: u64) -> Header {
        Header {
            version,
            key: self.key.take(),
            loose: self.loose,
            ignore_fields: self.ignore_fields.take(),
            store: self.store,
            source: self.source.take().flatten(),
            origin: self.origin.take().flatten(),
        }
    }
}

impl StoredSnapshot {
    /// Reads a snapshot from its bytes, checking its version, shape and (version 2) checksum.
    pub fn read(bytes: Vec<u8>) -> Result<StoredSnapshot> {
        let text = String::from_utf8(bytes).map_err(|e| {
            bad(format!(
                "not UTF-8 text (at byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let error = RefCell::new(None);
        let reader = Reader {
            base: text.as_ptr() as usize,
            error: &error,
        };
        let mut de = serde_json::Deserializer::from_str(&text);
        let parsed = de.deserialize_map(reader).and_then(|p| de.end().map(|_| p));
        let mut p = match parsed {
            Ok(p) => p,
            Err(e) => {
                if let Some(precise) = error.into_inner() {
                    return Err(precise);
                }
                return Err(bad(match e.classify() {
                    serde_json::error::Category::Eof => {
                        format!("it ends too early (a cut-off copy?): {e}")
                    }
                    serde_json::error::Category::Syntax => format!("it is not JSON: {e}"),
                    _ => format!("it is not a sync snapshot: {e}"),
                }));
            }
        };
        let version = p
            .version
            .ok_or_else(|| bad("\"version\" is missing (is this a sync snapshot?)"))?;
        let about = about(p.header(version))?;
        let fields = p
            .fields
            .take()
            .ok_or_else(|| bad("\"fields\" must be an array of strings"))?;
        let entries = p
            .entries
            .take()
            .ok_or_else(|| bad("\"records\" must be an array"))?;
        if version == STREAM_SNAPSHOT_VERSION {
            let count = entries.len() as u64;
            check_end(&about, &p.records_sum, count, p.count, &fields, p.checksum)?;
        }
        Ok(StoredSnapshot {
            text,
            about,
            fields,
            keys: p.keys,
            entries,
        })
    }

    /// Puts its records into `index`, each with where its values are in its text (which is
    /// the stored bytes unchanged).
    pub fn index_into(&self, index: &mut super::index::PreviousIndex) -> Result<()> {
        for (i, e) in self.entries.iter().enumerate() {
            let values = e.values.clone().map(|v| (v.start as u64, v.len() as u32));
            index
                .insert(self.key(i), e.fingerprint, values)
                .map_err(bad)?;
        }
        Ok(())
    }

    /// Record `i`'s key.
    fn key(&self, i: usize) -> &str {
        &self.keys[self.entries[i].key.clone()]
    }
}
