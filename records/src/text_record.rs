//! Records that borrow from their JSON text, for reading large inputs once.
//!
//! [`crate::parse_records`] builds a map per record with an owned string per key and a
//! [`serde_json::Value`] per field: about forty small allocations a record. A [`TextRecord`]
//! is one vector of `(key, raw JSON value)` pairs pointing into the input text, so reading
//! 100,000 records costs 100,000 allocations and the values are never decoded unless a caller
//! asks for one. It serializes back to the same JSON object.

use crate::parse::{parse_array, SizedSeed};
use crate::same_text::same_text;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// One record: its fields in input order, keys unescaped, values as their JSON text.
///
/// A key given twice keeps its first position and its last value, as [`crate::Record`] does.
#[derive(Debug, Clone)]
pub struct TextRecord<'a> {
    /// Each value is valid JSON text, checked when read.
    fields: Vec<(Cow<'a, str>, &'a str)>,
}

/// Equal when the same keys in the same order have the same JSON text.
impl PartialEq for TextRecord<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.fields.len() == other.fields.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((k, v), (l, w))| k == l && v == w)
    }
}

impl<'a> TextRecord<'a> {
    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a str)> + '_ {
        self.fields.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether it has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// One field's JSON text.
    pub fn get(&self, field: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, _)| same_text(k, field))
            .map(|(_, v)| *v)
    }
}

/// A value's JSON text decoded (it was validated when read, so this cannot fail).
pub fn decode(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

impl Serialize for TextRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            let raw: &RawValue = serde_json::from_str(v).map_err(serde::ser::Error::custom)?;
            map.serialize_entry(k.as_ref(), raw)?;
        }
        map.end()
    }
}

/// Read `[{…}, {…}, …]` into records borrowing from `json`.
pub fn parse_text_records(json: &str) -> serde_json::Result<Vec<TextRecord<'_>>> {
    parse_array::<RecordSeed>(json)
}

/// Read one record object borrowing from `json`; nothing may follow it.
pub fn parse_text_record(json: &str) -> serde_json::Result<TextRecord<'_>> {
    let mut de = serde_json::Deserializer::from_str(json);
    let record = RecordSeed { width: 24 }.deserialize(&mut de)?;
    de.end()?;
    Ok(record)
}

struct RecordSeed {
    width: usize,
}

impl<'de> SizedSeed<'de> for RecordSeed {
    fn sized(width: usize) -> Self {
        RecordSeed { width }
    }

    fn width(record: &TextRecord<'de>) -> usize {
        record.len()
    }
}

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = TextRecord<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// A cheap fingerprint of a key for the duplicate check: one bit of 64.
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let h = b.len() as u64 ^ u64::from(b.last().copied().unwrap_or(0)).wrapping_mul(31);
    1 << (h & 63)
}

/// A record's fields as they are read: a key given again keeps its first place and takes the
/// new value.
pub(crate) struct Fielder<'a> {
    list: Vec<(Cow<'a, str>, &'a str)>,
    seen: u64,
}

impl<'a> Fielder<'a> {
    pub fn new(width: usize) -> Self {
        Fielder {
            list: Vec::with_capacity(width),
            seen: 0,
        }
    }

    pub fn done(self) -> TextRecord<'a> {
        TextRecord { fields: self.list }
    }

    pub fn put(&mut self, key: Cow<'a, str>, value: &'a str) {
        let bit = key_bit(&key);
        if self.seen & bit != 0 {
            if let Some(slot) = self.list.iter_mut().find(|(k, _)| same_text(k, &key)) {
                slot.1 = value;
                return;
            }
        }
        self.seen |= bit;
        self.list.push((key, value));
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = TextRecord<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fielder::new(self.width);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value: &'de RawValue = map.next_value()?;
            fields.put(key, value.get());
        }
        Ok(fields.done())
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Err(E::custom("a record is null, not an object"))
    }
}

/// A key borrowed from the input when it has no escapes.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_records, Record};

    /// The same record as a map, for comparing with [`parse_records`].
    fn as_map(r: &TextRecord<'_>) -> Record {
        r.iter().map(|(k, v)| (k.to_string(), decode(v))).collect()
    }

    #[test]
    fn same_records_as_the_map_parser() {
        let text = r#"[{"b":1,"a":"x","c":null},{"a":"æøå","z":[1, 2],"b":{"n":true}},{},
            {"k\u0065y":"\u00e6","a":1,"a":2,"b":3,"a":4}]"#;
        let maps = parse_records(text).unwrap();
        let raw = parse_text_records(text).unwrap();
        assert_eq!(raw.iter().map(as_map).collect::<Vec<_>>(), maps);
        let keys: Vec<&str> = raw[3].iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["key", "a", "b"], "first position, last value");
        assert_eq!(raw[3].get("a").unwrap(), "4");
        assert_eq!(raw[1].get("z").unwrap(), "[1, 2]", "values keep their text");
    }

    #[test]
    fn serializes_back_to_the_same_object() {
        let text = r#"[{"id":"007","n":1.50,"s":"a\"b","o":{"x":[true,null]}}]"#;
        let raw = parse_text_records(text).unwrap();
        let out = serde_json::to_string(&raw).unwrap();
        assert_eq!(
            out,
            r#"[{"id":"007","n":1.50,"s":"a\"b","o":{"x":[true,null]}}]"#
        );
    }

    #[test]
    fn non_objects_and_trailing_data_are_refused() {
        for bad in crate::parse::tests::NOT_RECORD_ARRAYS {
            assert!(parse_text_records(bad).is_err(), "{bad:?}");
        }
    }
}
