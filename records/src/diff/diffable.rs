//! What the diff needs of a record, so that it runs on decoded maps ([`Record`], e.g. rebuilt
//! from a snapshot) and on records borrowing from their JSON text ([`TextRecord`]) alike.

use crate::text_record::{decode, TextRecord};
use crate::value::{canonical, field_hash, same, string_hash, text};
use crate::Record;
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

/// A record as the diff reads it.
pub trait Fields: Clone + Serialize {
    /// One field's value.
    type Value: ?Sized;
    /// How many fields.
    fn count(&self) -> usize;
    /// The fields in order.
    fn each(&self) -> impl Iterator<Item = (&str, &Self::Value)>;
    /// One field.
    fn field(&self, name: &str) -> Option<&Self::Value>;
    /// A field's value as key text; `None` when missing or empty (see [`canonical`]).
    fn key_text(&self, name: &str) -> Option<Cow<'_, str>>;
    /// Whether two values are equal under the given mode (see [`same`]).
    fn same(a: Option<&Self::Value>, b: Option<&Self::Value>, loose: bool) -> bool;
    /// A value decoded for a [`super::FieldChange`] (`null` when missing).
    fn to_value(v: Option<&Self::Value>) -> Value;
    /// A field's hash for snapshot fingerprints (see [`field_hash`]).
    fn hash(field: &str, v: &Self::Value, loose: bool) -> Option<u64>;
    /// The record as a map (borrowed when it is one).
    fn as_record(&self) -> Cow<'_, Record>;
    /// A value as shown in a file (see [`text`]).
    fn text(v: &Self::Value) -> Cow<'_, str>;
    /// A value as a JSON value (borrowed when it is one).
    fn decoded(v: &Self::Value) -> Cow<'_, Value>;
}

impl Fields for Record {
    type Value = Value;

    fn count(&self) -> usize {
        self.len()
    }

    fn each(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.iter().map(|(k, v)| (k.as_str(), v))
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }

    fn key_text(&self, name: &str) -> Option<Cow<'_, str>> {
        canonical(self.get(name))
    }

    fn same(a: Option<&Value>, b: Option<&Value>, loose: bool) -> bool {
        same(a, b, loose)
    }

    fn to_value(v: Option<&Value>) -> Value {
        v.cloned().unwrap_or(Value::Null)
    }

    fn hash(field: &str, v: &Value, loose: bool) -> Option<u64> {
        field_hash(field, v, loose)
    }

    fn as_record(&self) -> Cow<'_, Record> {
        Cow::Borrowed(self)
    }

    fn text(v: &Value) -> Cow<'_, str> {
        text(v)
    }

    fn decoded(v: &Value) -> Cow<'_, Value> {
        Cow::Borrowed(v)
    }
}

impl Fields for TextRecord<'_> {
    type Value = str;

    fn count(&self) -> usize {
        self.len()
    }

    fn each(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.get(name)
    }

    fn key_text(&self, name: &str) -> Option<Cow<'_, str>> {
        let raw = self.get(name)?;
        // A plain string key (no escapes) is its own text; anything else is decoded.
        match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(inner) if !inner.contains('\\') => {
                (!inner.is_empty()).then_some(Cow::Borrowed(inner))
            }
            _ => {
                let value: Value = serde_json::from_str(raw).ok()?;
                canonical(Some(&value)).map(|k| Cow::Owned(k.into_owned()))
            }
        }
    }

    fn same(a: Option<&str>, b: Option<&str>, loose: bool) -> bool {
        // The same JSON text is the same value in both modes; otherwise decide on the values
        // (`"a"` and `"\u0061"`, or `233` and `"233"` when loose).
        if let (Some(x), Some(y)) = (a, b) {
            if x == y {
                return true;
            }
        }
        same(a.map(decode).as_ref(), b.map(decode).as_ref(), loose)
    }

    fn to_value(v: Option<&str>) -> Value {
        v.map(decode).unwrap_or(Value::Null)
    }

    fn hash(field: &str, v: &str, loose: bool) -> Option<u64> {
        match plain_string(v) {
            Some(s) => string_hash(field, s, loose),
            None => field_hash(field, &decode(v), loose),
        }
    }

    fn as_record(&self) -> Cow<'_, Record> {
        Cow::Owned(
            self.iter()
                .map(|(k, v)| (k.to_string(), decode(v)))
                .collect(),
        )
    }

    fn text(v: &str) -> Cow<'_, str> {
        match plain_string(v) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(text(&decode(v)).into_owned()),
        }
    }

    fn decoded(v: &str) -> Cow<'_, Value> {
        Cow::Owned(match plain_string(v) {
            Some(s) => Value::String(s.to_string()),
            None => decode(v),
        })
    }
}

/// The text of a JSON string without escapes, read in place.
fn plain_string(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_records;
    use crate::text_record::parse_text_records;

    /// Both representations answer alike for every pair of these values, in both modes.
    #[test]
    fn raw_and_decoded_agree() {
        let values = [
            r#""233""#,
            "233",
            "233.0",
            "2.33e2",
            r#""a""#,
            r#""\u0061""#,
            r#""""#,
            "null",
            "true",
            r#""true""#,
            "[1,2]",
            "[1, 2]",
            r#"{"a":1}"#,
            r#""æ""#,
            r#""\u00e6""#,
            r#""a\"b""#,
            "-0",
            "1e2",
        ];
        let text = format!("[{}]", values.map(|v| format!(r#"{{"k":{v}}}"#)).join(","));
        let maps = parse_records(&text).unwrap();
        let raws = parse_text_records(&text).unwrap();
        for loose in [true, false] {
            for i in 0..values.len() {
                assert_eq!(
                    maps[i].key_text("k"),
                    raws[i].key_text("k"),
                    "{}",
                    values[i]
                );
                assert_eq!(
                    <Record as Fields>::hash("k", &maps[i]["k"], loose),
                    <TextRecord as Fields>::hash("k", raws[i].field("k").unwrap(), loose),
                    "{} (loose {loose})",
                    values[i]
                );
                assert_eq!(raws[i].as_record().as_ref(), &maps[i]);
                for j in 0..values.len() {
                    let m = <Record as Fields>::same(maps[i].field("k"), maps[j].field("k"), loose);
                    let r =
                        <TextRecord as Fields>::same(raws[i].field("k"), raws[j].field("k"), loose);
                    assert_eq!(m, r, "{} vs {} (loose {loose})", values[i], values[j]);
                }
                assert_eq!(
                    <TextRecord as Fields>::same(raws[i].field("k"), None, loose),
                    <Record as Fields>::same(maps[i].field("k"), None, loose)
                );
            }
        }
    }
}
