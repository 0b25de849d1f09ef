//! Reading a JSON array of records, fast.
//!
//! serde_json builds a `Map` (an `IndexMap` with `preserve_order`) by inserting into an empty
//! map, which regrows and rehashes it several times per record. Collecting each record's
//! fields into a vector first and building the map once at its final size is several times
//! faster, with the same result (BENCHMARKS.md §5 has the figures).

use crate::Record;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// Parse `[{…}, {…}, …]` into records, keeping each record's key order.
pub fn parse_records(json: &str) -> serde_json::Result<Vec<Record>> {
    parse_array::<RecordSeed>(json)
}

/// A record reader for [`parse_array`], sized from the previous record.
pub(crate) trait SizedSeed<'de>: DeserializeSeed<'de> {
    /// A reader expecting about `width` fields.
    fn sized(width: usize) -> Self;
    /// How many fields `record` has.
    fn width(record: &Self::Value) -> usize;
}

/// Parse a JSON array of records with the reader `S`; nothing may follow the array.
pub(crate) fn parse_array<'de, S: SizedSeed<'de>>(
    json: &'de str,
) -> serde_json::Result<Vec<S::Value>> {
    let mut de = serde_json::Deserializer::from_str(json);
    let records = de.deserialize_seq(RecordsVisitor::<S>(PhantomData))?;
    de.end()?;
    Ok(records)
}

struct RecordsVisitor<S>(PhantomData<S>);

impl<'de, S: SizedSeed<'de>> Visitor<'de> for RecordsVisitor<S> {
    type Value = Vec<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of record objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        // Records of one endpoint have the same fields: size each from the previous one.
        let mut width = 8;
        while let Some(record) = seq.next_element_seed(S::sized(width))? {
            width = S::width(&record).max(1);
            out.push(record);
        }
        Ok(out)
    }
}

struct RecordSeed {
    width: usize,
}

impl<'de> SizedSeed<'de> for RecordSeed {
    fn sized(width: usize) -> Self {
        RecordSeed { width }
    }

    fn width(record: &Record) -> usize {
        record.len()
    }
}

impl<'de> DeserializeSeed<'de> for RecordSeed {
    type Value = Record;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let mut fields: Vec<(String, Value)> = Vec::with_capacity(self.width);
        while let Some(entry) = map.next_entry::<String, Value>()? {
            fields.push(entry);
        }
        // A key given twice keeps its first position and its last value, as serde_json does.
        Ok(fields.into_iter().collect())
    }

    fn visit_unit<E: Error>(self) -> Result<Record, E> {
        Err(E::custom("a record is null, not an object"))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn same_result_as_serde_json() {
        let text = r#"[{"b":1,"a":"x","c":null},{"a":"æøå","z":[1,2],"b":{"n":true}},{}]"#;
        let expected: Vec<Record> = serde_json::from_str(text).unwrap();
        let got = parse_records(text).unwrap();
        assert_eq!(got, expected);
        let keys: Vec<&String> = got[0].keys().collect();
        assert_eq!(keys, ["b", "a", "c"], "key order kept");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_like_serde_json() {
        let text = r#"[{"a":1,"a":2}]"#;
        let expected: Vec<Record> = serde_json::from_str(text).unwrap();
        assert_eq!(parse_records(text).unwrap(), expected);
    }

    /// Inputs every record reader refuses.
    pub(crate) const NOT_RECORD_ARRAYS: [&str; 7] = [
        r#"[1]"#,
        r#"[null]"#,
        r#"{"a":1}"#,
        r#"[{"a":1}] x"#,
        r#"[{"a":1}"#,
        r#"[{"a":}]"#,
        "",
    ];

    #[test]
    fn non_objects_and_trailing_data_are_refused() {
        for bad in NOT_RECORD_ARRAYS {
            assert!(parse_records(bad).is_err(), "{bad:?}");
        }
    }
}
