//! Reading the JSON form of a [`Snapshot`], with a precise error for each shape problem.

use crate::diff::DiffOptions;
use crate::error::{RecordsError, Result};
use crate::snapshot::{Snapshot, SnapshotRecord, SNAPSHOT_VERSION};
use serde_json::{Map, Value};

fn bad(why: impl Into<String>) -> RecordsError {
    RecordsError::InvalidSnapshot(why.into())
}

fn strings(obj: &Map<String, Value>, name: &str) -> Result<Vec<String>> {
    let arr = obj
        .get(name)
        .and_then(Value::as_array)
        .ok_or_else(|| bad(format!("\"{name}\" must be an array of strings")))?;
    arr.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| bad(format!("\"{name}\" must be an array of strings, found {v}")))
        })
        .collect()
}

fn record(i: usize, v: Value, fields: usize) -> Result<SnapshotRecord> {
    let Value::Array(mut e) = v else {
        return Err(bad(format!(
            "records[{i}] must be an array [key, fingerprint, values?]"
        )));
    };
    if e.len() < 2 || e.len() > 3 {
        return Err(bad(format!(
            "records[{i}] must have 2 or 3 items, has {}",
            e.len()
        )));
    }
    let values = if e.len() == 3 {
        match e.pop() {
            Some(Value::Array(v)) if v.len() <= fields => Some(v),
            Some(Value::Array(v)) => {
                return Err(bad(format!(
                    "records[{i}] has {} values for {fields} fields",
                    v.len()
                )))
            }
            _ => return Err(bad(format!("records[{i}][2] (values) must be an array"))),
        }
    } else {
        None
    };
    let fingerprint = e[1]
        .as_str()
        .filter(|s| s.len() == 16)
        .and_then(|s| u64::from_str_radix(s, 16).ok())
        .ok_or_else(|| {
            bad(format!(
                "records[{i}][1] must be 16 hex digits, found {}",
                e[1]
            ))
        })?;
    let key = match &e[0] {
        Value::String(s) if !s.is_empty() => s.clone(),
        other => {
            return Err(bad(format!(
                "records[{i}][0] must be a non-empty key, found {other}"
            )))
        }
    };
    Ok(SnapshotRecord {
        key,
        fingerprint,
        values,
    })
}

/// Parses and validates the JSON form.
pub(crate) fn parse(value: Value) -> Result<Snapshot> {
    let Value::Object(mut obj) = value else {
        return Err(bad("expected a JSON object"));
    };
    match obj.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(SNAPSHOT_VERSION) => {}
        Some(v) => {
            return Err(RecordsError::UnsupportedSnapshotVersion {
                found: v.to_string(),
            })
        }
        None => return Err(bad("\"version\" is missing")),
    }
    let key = match obj.get("key") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(bad("\"key\" must be a non-empty string")),
    };
    let loose = obj
        .get("loose")
        .and_then(Value::as_bool)
        .ok_or_else(|| bad("\"loose\" must be true or false"))?;
    let options = DiffOptions {
        key,
        loose,
        ignore_fields: strings(&obj, "ignoreFields")?,
    };
    let fields = strings(&obj, "fields")?;
    let Some(Value::Array(list)) = obj.remove("records") else {
        return Err(bad("\"records\" must be an array"));
    };
    let records = list
        .into_iter()
        .enumerate()
        .map(|(i, v)| record(i, v, fields.len()))
        .collect::<Result<Vec<_>>>()?;
    Ok(Snapshot {
        options,
        fields,
        records,
    })
}
