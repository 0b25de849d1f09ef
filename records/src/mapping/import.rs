//! A CRM's records (its export, read by `readCsv`) → Cube's import sheet, through a mapping.
//!
//! One row per record: the key column as `Customer ID`, the name joined (`First Last`, see
//! [`super::name`]) as `Name`, phones as E.164 under `Phone 1`..`Phone 3`, the e-mail as
//! `Email`, custom fields under their label (named by key, under the label `customFields`
//! gives it, else the key). Values are trimmed and transformed; dates in
//! `file.dateFormat` become `YYYY-MM-DD`; what does not read as a phone or a date is kept as
//! it is. Columns of the export that the mapping does not name are left out; fields mapped
//! `toCrm` only too.
//!
//! A mapped column missing from the export is an error naming the mapping's path, unless the
//! field is `optional` (it is then left out). A record without an id is an error naming it:
//! Cube needs one to match the customer on the way back.

use super::document::{CubeField, Direction, Mapping, NameColumns};
use super::name;
use super::values::to_cube;
use crate::columns::{union_of_keys, Column};
use crate::error::{quote, RecordsError, Result};
use crate::fields::{CUSTOMER_ID, EMAIL, NAME, PHONES};
use crate::labels::Labels;
use crate::value::text;
use crate::Record;
use serde_json::Value;

/// The header of a Cube field in the import sheet.
fn header(key: &str, labels: Option<&Labels>) -> String {
    match key {
        CUSTOMER_ID => "Customer ID".into(),
        NAME => "Name".into(),
        EMAIL => "Email".into(),
        k if k == PHONES[0] => "Phone 1".into(),
        k if k == PHONES[1] => "Phone 2".into(),
        k if k == PHONES[2] => "Phone 3".into(),
        k => labels.and_then(|l| l.label(k)).unwrap_or(k).to_string(),
    }
}

/// The records as Cube records (keys as the import sheet's columns name them) and the
/// sheet's columns.
pub fn import_records(
    records: &[Record],
    mapping: &Mapping,
    labels: Option<&Labels>,
) -> Result<(Vec<Record>, Vec<Column>)> {
    let (columns, used) = columns(records, mapping, labels)?;
    let mut out = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        out.push(cube_record(i, r, mapping, &used)?);
    }
    Ok((out, columns))
}

/// (field index, the Cube record key) of each of the mapping's fields going into Cube.
type Used = Vec<(usize, String)>;

/// The import sheet's columns, and the mapping's fields going into Cube; a mapped column the
/// records lack is an error (unless optional).
fn columns(
    records: &[Record],
    mapping: &Mapping,
    labels: Option<&Labels>,
) -> Result<(Vec<Column>, Used)> {
    let present = union_of_keys(records);
    let has = |column: &str| records.is_empty() || present.iter().any(|p| p == column);
    let missing = |path: String, column: &str| {
        let shown: Vec<String> = present.iter().take(20).map(|p| quote(p)).collect();
        RecordsError::mapping(
            path,
            format!(
                "the records have no column {} (theirs: {}{})",
                quote(column),
                shown.join(", "),
                if present.len() > 20 { ", …" } else { "" }
            ),
        )
    };
    if !has(&mapping.key.crm) {
        return Err(missing("mapping.key.crm".into(), &mapping.key.crm));
    }
    let key_header = header(&mapping.key.cube, labels);
    let mut columns = vec![Column::new(mapping.key.cube.as_str(), key_header)];
    match &mapping.name {
        Some(NameColumns::Full(full)) if !has(full) => {
            return Err(missing("mapping.name.full".into(), full))
        }
        Some(NameColumns::Parts { first, last }) => {
            for (path, column) in [("mapping.name.first", first), ("mapping.name.last", last)] {
                if !has(column) {
                    return Err(missing(path.into(), column));
                }
            }
        }
        _ => {}
    }
    if mapping.name.is_some() {
        columns.push(Column::new(NAME, "Name"));
    }
    let mut used: Used = Vec::new();
    for (i, f) in mapping.fields.iter().enumerate() {
        if f.direction == Direction::ToCrm {
            continue;
        }
        if !has(&f.crm) {
            if f.optional {
                continue;
            }
            return Err(missing(format!("{}.crm", f.path), &f.crm));
        }
        let (key, head) = key_and_header(&f.cube, labels);
        columns.push(Column::new(key.as_str(), head));
        used.push((i, key));
    }
    Ok((columns, used))
}

/// A mapped Cube field's record key and its header in the import sheet.
fn key_and_header(cube: &CubeField, labels: Option<&Labels>) -> (String, String) {
    match cube {
        CubeField::Key(k) => (k.clone(), header(k, labels)),
        CubeField::Label(l) => match labels.and_then(|ls| ls.key(l)) {
            Some(k) => (k.to_string(), l.clone()),
            // Unknown to Cube yet: the column is headed by the label, which Cube's import
            // maps by header.
            None => (l.clone(), l.clone()),
        },
    }
}

fn value(r: &Record, column: &str) -> String {
    r.get(column).map(text).unwrap_or_default().into_owned()
}

/// The `i`th record as a Cube record: its id, its name, the `used` fields.
fn cube_record(
    i: usize,
    r: &Record,
    mapping: &Mapping,
    used: &[(usize, String)],
) -> Result<Record> {
    let id = value(r, &mapping.key.crm).trim().to_string();
    if id.is_empty() {
        return Err(RecordsError::option(
            "records",
            format!(
                "records[{i}] (row {} of a CSV with a header) has no {}: Cube needs the \
                 CRM's id to match the customer on the way back",
                i + 2,
                quote(&mapping.key.crm)
            ),
        ));
    }
    let mut c = Record::new();
    c.insert(mapping.key.cube.clone(), Value::String(id));
    match &mapping.name {
        Some(NameColumns::Full(full)) => {
            c.insert(NAME.into(), Value::String(name::tidy(&value(r, full))));
        }
        Some(NameColumns::Parts { first, last }) => {
            let joined = name::join(&value(r, first), &value(r, last));
            c.insert(NAME.into(), Value::String(joined));
        }
        None => {}
    }
    for (fi, key) in used {
        let f = &mapping.fields[*fi];
        c.insert(
            key.clone(),
            Value::String(to_cube(mapping, f, &value(r, &f.crm))),
        );
    }
    Ok(c)
}
