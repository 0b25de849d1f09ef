//! Flat API records and a fast JSON writer for them (pages of 500 records are written
//! straight into one pre-sized buffer).

use std::borrow::Cow;
use std::io::Write;

use crate::data::customers::FieldValue;
use crate::data::tenant::{LooseBool, LooseDate};

/// A JSON value of a flat record.
#[derive(Clone, Debug)]
pub enum Val<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Bytes written between quotes as they are (the `invalid_utf8` fault).
    RawBytes(Vec<u8>),
}

impl<'a> From<&'a str> for Val<'a> {
    fn from(s: &'a str) -> Self {
        Val::Str(Cow::Borrowed(s))
    }
}
impl From<String> for Val<'_> {
    fn from(s: String) -> Self {
        Val::Str(Cow::Owned(s))
    }
}
impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<u32> for Val<'_> {
    fn from(v: u32) -> Self {
        Val::Int(v as i64)
    }
}
impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Float(v)
    }
}
impl From<bool> for Val<'_> {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}
impl From<&LooseDate> for Val<'_> {
    fn from(d: &LooseDate) -> Self {
        match d {
            LooseDate::Date(d) => Val::Str(Cow::Owned(d.to_string())),
            LooseDate::Empty => Val::Str(Cow::Borrowed("")),
            LooseDate::Null => Val::Null,
        }
    }
}
impl From<LooseBool> for Val<'_> {
    fn from(b: LooseBool) -> Self {
        match b {
            LooseBool::True => Val::Bool(true),
            LooseBool::False => Val::Bool(false),
            LooseBool::Empty => Val::Str(Cow::Borrowed("")),
        }
    }
}
impl<'a> From<&'a FieldValue> for Val<'a> {
    fn from(v: &'a FieldValue) -> Self {
        match v {
            FieldValue::Text(s) => Val::Str(Cow::Borrowed(s)),
            FieldValue::Number(n) => Val::Int(*n),
            FieldValue::Empty => Val::Str(Cow::Borrowed("")),
        }
    }
}

/// An ordered flat object.
#[derive(Clone, Debug, Default)]
pub struct Record<'a> {
    pub fields: Vec<(Cow<'a, str>, Val<'a>)>,
}

impl<'a> Record<'a> {
    pub fn with_capacity(n: usize) -> Self {
        Record {
            fields: Vec::with_capacity(n),
        }
    }

    pub fn put(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Val<'a>>) {
        self.fields.push((key.into(), value.into()));
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Val<'a>> {
        self.fields
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, key);
            out.push(b':');
            write_val(out, value);
        }
        out.push(b'}');
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 * self.fields.len());
        self.write_json(&mut out);
        out
    }
}

/// Writes `[r1,r2,...]`.
pub fn write_array(out: &mut Vec<u8>, records: &[Record<'_>]) {
    out.push(b'[');
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        r.write_json(out);
    }
    out.push(b']');
}

pub fn array_json(records: &[Record<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 512 + 2);
    write_array(&mut out, records);
    out
}

pub fn write_val(out: &mut Vec<u8>, value: &Val<'_>) {
    match value {
        Val::Str(s) => write_str(out, s),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f}");
        }
        Val::Float(_) | Val::Null => out.extend_from_slice(b"null"),
        Val::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Val::RawBytes(bytes) => {
            out.push(b'"');
            out.extend_from_slice(bytes);
            out.push(b'"');
        }
    }
}

/// A JSON string with the escapes JSON requires (UTF-8 passes through).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let mut r = Record::default();
        r.put("a", "Bjørn \"quoted\" \\ \n \u{1}");
        r.put("b", 7i64);
        r.put("c", 2.5f64);
        r.put("d", Val::Null);
        r.put("e", true);
        let v: serde_json::Value = serde_json::from_slice(&r.to_json()).unwrap();
        assert_eq!(v["a"], "Bjørn \"quoted\" \\ \n \u{1}");
        assert_eq!(v["b"], 7);
        assert_eq!(v["c"], 2.5);
        assert!(v["d"].is_null());
        assert_eq!(v["e"], true);
    }
}
