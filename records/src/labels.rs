//! Labels of custom fields: `crm__custom_info__N` ↔ the label shown in Cube.
//!
//! Built from Cube's custom-fields answer
//! (`[{"id":64,"key":"Address street","lookup__id":"crm__custom_info__64", …}]`).
//!
//! # Rules
//!
//! * The record key is `lookup__id`; when it is missing, `crm__custom_info__<id>`.
//! * The label is `key`, trimmed. An empty label becomes the record key itself.
//! * **Duplicate labels**: when two or more fields share a label, *every* one of them gets
//!   its id appended, `"City (65)"`, `"City (71)"`, so the result does not depend on which
//!   came first. If such a label is still taken (or a label would equal another field's
//!   record key), the record key itself is used as the label.
//! * A later entry with the same record key as an earlier one is ignored.
//! * [`Labels::label_record`] keeps the record's key order. A label equal to a standard key
//!   that the record also has (say a custom field labelled `crm__standard_info__name`) would
//!   collide with it: the later of the two in the record wins. Cube labels are plain words,
//!   so this is not guarded further.

use crate::error::{RecordsError, Result};
use crate::fields::CUSTOM_PREFIX;
use crate::Record;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Two-way map between custom-field record keys and labels, in custom-field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// `(record key, label)` in the order of the custom-fields list.
    pairs: Vec<(String, String)>,
    by_key: HashMap<String, usize>,
    by_label: HashMap<String, usize>,
}

impl Labels {
    /// Builds the map from Cube's custom-fields list (a JSON array of objects).
    pub fn from_custom_fields(fields: &Value) -> Result<Labels> {
        let list = fields.as_array().ok_or_else(|| {
            RecordsError::InvalidCustomFields(format!(
                "expected an array of custom-field objects, got {}",
                kind(fields)
            ))
        })?;
        let mut raw: Vec<(String, String, String)> = Vec::with_capacity(list.len());
        let mut seen = HashSet::new();
        for (i, item) in list.iter().enumerate() {
            let obj = item.as_object().ok_or_else(|| {
                RecordsError::InvalidCustomFields(format!(
                    "entry {i} is {}, expected an object",
                    kind(item)
                ))
            })?;
            let id = match obj.get("id") {
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ => String::new(),
            };
            let key = match obj.get("lookup__id") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                _ if !id.is_empty() => format!("{CUSTOM_PREFIX}{id}"),
                _ => {
                    return Err(RecordsError::InvalidCustomFields(format!(
                        "entry {i} has neither lookup__id nor id"
                    )))
                }
            };
            let label = obj
                .get("key")
                .and_then(Value::as_str)
                .map(str::trim)
                .unwrap_or("")
                .to_string();
            if seen.insert(key.clone()) {
                let id = if id.is_empty() {
                    key.rsplit("__").next().unwrap_or(&key).to_string()
                } else {
                    id
                };
                raw.push((key, label, id));
            }
        }
        Ok(Labels::build(raw))
    }

    /// Builds the map from `(record key, label)` pairs; duplicates are resolved as documented.
    pub fn from_pairs<K: Into<String>, L: Into<String>>(
        pairs: impl IntoIterator<Item = (K, L)>,
    ) -> Labels {
        let mut seen = HashSet::new();
        let raw = pairs
            .into_iter()
            .map(|(k, l)| (k.into(), l.into().trim().to_string()))
            .filter(|(k, _)| seen.insert(k.clone()))
            .map(|(k, l)| {
                let id = k.rsplit("__").next().unwrap_or(&k).to_string();
                (k, l, id)
            })
            .collect();
        Labels::build(raw)
    }

    fn build(raw: Vec<(String, String, String)>) -> Labels {
        let keys: HashSet<&str> = raw.iter().map(|(k, _, _)| k.as_str()).collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for (_, label, _) in &raw {
            *count.entry(label.as_str()).or_default() += 1;
        }
        let mut pairs = Vec::with_capacity(raw.len());
        let mut by_label: HashMap<String, usize> = HashMap::new();
        for (key, label, id) in &raw {
            let mut wanted = if label.is_empty() {
                key.clone()
            } else if count[label.as_str()] > 1 {
                format!("{label} ({id})")
            } else {
                label.clone()
            };
            let clashes_with_key = wanted != *key && keys.contains(wanted.as_str());
            if by_label.contains_key(&wanted) || clashes_with_key {
                wanted = key.clone();
            }
            by_label.insert(wanted.clone(), pairs.len());
            pairs.push((key.clone(), wanted));
        }
        let by_key = pairs
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        Labels {
            pairs,
            by_key,
            by_label,
        }
    }

    /// The label of a record key, if it is a known custom field.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.by_key.get(key).map(|&i| self.pairs[i].1.as_str())
    }

    /// The record key of a label, if known.
    pub fn key(&self, label: &str) -> Option<&str> {
        self.by_label.get(label).map(|&i| self.pairs[i].0.as_str())
    }

    /// `(record key, label)` pairs in custom-field order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, l)| (k.as_str(), l.as_str()))
    }

    /// Number of custom fields.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no custom fields.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The record with known custom keys replaced by their labels, in the same order.
    /// Other keys are kept as they are.
    pub fn label_record(&self, record: &Record) -> Record {
        record
            .iter()
            .map(|(k, v)| (self.label(k).unwrap_or(k).to_string(), v.clone()))
            .collect()
    }

    /// The reverse of [`Labels::label_record`]: known labels become record keys again.
    pub fn unlabel(&self, record: &Record) -> Record {
        record
            .iter()
            .map(|(k, v)| (self.key(k).unwrap_or(k).to_string(), v.clone()))
            .collect()
    }
}

/// What a JSON value is, for a message ("a number", "an array").
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
