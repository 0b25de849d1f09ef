//! Shared by the test files; each uses only part of it.
#![allow(dead_code)]

pub mod gen;

use cube_records::Record;
use serde_json::Value;

/// One record from a `json!({...})` object.
pub fn rec(v: Value) -> Record {
    v.as_object().expect("a JSON object").clone()
}

/// Records from a `json!([{...}, ...])` array.
pub fn recs(v: Value) -> Vec<Record> {
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| rec(r.clone()))
        .collect()
}
