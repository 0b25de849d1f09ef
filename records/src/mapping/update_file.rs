//! Cube's changes → the CRM's update files, through a mapping.
//!
//! # The files
//!
//! * **updates**: one row per customer changed in Cube with something for the CRM, keyed by
//!   the CRM's id (the key column). A field changed in Cube carries its new value, in the
//!   CRM's format (phones as `phone.write` says, dates in `file.dateFormat`); a field that
//!   did not change carries `file.unchanged` (usually an empty cell); a field cleared in Cube
//!   carries `file.clear` (Salesforce: `#N/A`). Where the CRM cannot clear (`clear: null`),
//!   the cell says unchanged and the summary lists the field in `cannotClear`. Columns that
//!   no row changes are left out (`file.keepUnchangedColumns` keeps them), the key column
//!   never.
//! * **created**: customers added in Cube since the last sync, every mapped column with
//!   Cube's value (an empty cell where Cube has none); the key column has Cube's
//!   `crm__customer_id`, which for a customer made in Cube is no id of the CRM's.
//! * **removed**: customers that were in Cube at the last sync and are not now, every mapped
//!   column with the values Cube had. A customer anonymized in Cube since the last sync is
//!   here too: Cube took its id.
//!
//! # What is a change
//!
//! Values are compared as [`super::values::comparable`] reads them: trimmed and transformed,
//! phones as E.164, dates as dates. So `+4791234567` → `912 34 567` is no change, and a
//! customer whose only changes are such is in no file (counted in `formatOnly`). Names are
//! compared with their spaces tidied, and split by [`super::name`]'s rule; only the name
//! part that changed is written.
//!
//! # Not in any file, always in the summary
//!
//! Anonymized customers (no id: nothing to key a row by) are counted; customers whose key is
//! on more than one record are named (`duplicateKeys`); changed Cube fields that no column
//! maps are named (`unmappedFields`); columns left out because their custom field is
//! unknown (an `optional` field) are named (`skippedColumns`).
//!
//! # CSV and the formula guard
//!
//! With `file.formulaGuard` (default on) a cell a spreadsheet would evaluate (starting with
//! `=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, as every CSV this package writes — with
//! one exception: in a phone column, a cell that is exactly `+` and 7 to 15 digits (E.164) is
//! written as it is. It cannot run anything, and `'+4791234567` would go into the CRM as
//! typed, apostrophe included. (A spreadsheet opening the file shows such a cell as the
//! number 4791234567: give people `.xlsx`.) The mapping's own `unchanged` and `clear` texts
//! are never prefixed.

use super::document::{CubeField, Direction, Kind, Mapping, NameColumns};
use super::name;
use super::values::{comparable, to_crm};
use crate::change_sheet::ChangesInput;
use crate::csv::{looks_like_formula, CsvWriter};
use crate::error::{quote, RecordsError, Result};
use crate::fields::{CHANGE_LOG, NAME};
use crate::import_sheet::SheetFormat;
use crate::labels::Labels;
use crate::value::text;
use crate::Record;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Options of [`update_file`] besides the mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct UpdateFileOptions {
    /// `csv` (default here: CRM importers read CSV) or `xlsx`.
    pub format: Option<SheetFormat>,
}

/// The files and what they hold.
#[derive(Debug, Clone)]
pub struct UpdateFiles {
    /// Changed customers.
    pub updates: Vec<u8>,
    /// Customers added in Cube.
    pub created: Vec<u8>,
    /// Customers no longer in Cube.
    pub removed: Vec<u8>,
    /// What went where, and what went nowhere.
    pub summary: UpdateSummary,
}

/// A field cleared in Cube that the CRM's import cannot clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClearedField {
    /// The customer's key.
    pub key: String,
    /// The CRM's column.
    pub column: String,
}

/// A mapped column left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedColumn {
    /// Its entry in the mapping (`mapping.fields[4]`).
    pub path: String,
    /// The CRM's column.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// What [`update_file`] wrote, and what it did not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSummary {
    /// The mapping's title.
    pub crm: String,
    /// Rows in the updates file.
    pub updates: usize,
    /// Rows in the created file.
    pub created: usize,
    /// Rows in the removed file.
    pub removed: usize,
    /// Changed customers with no row: nothing mapped changed for the CRM (only unmapped
    /// fields, or only a format), or only a clear the CRM cannot take.
    pub no_mapped_change: usize,
    /// Of those, customers whose mapped fields changed only in format (a phone's spaces,
    /// case under `lower`).
    pub format_only: usize,
    /// Anonymized customers (no id): in no file.
    pub anonymized: usize,
    /// Keys on more than one customer: those customers are in no file.
    pub duplicate_keys: Vec<String>,
    /// Fields cleared in Cube that the CRM's import cannot clear.
    pub cannot_clear: Vec<ClearedField>,
    /// Mapped columns left out.
    pub skipped_columns: Vec<SkippedColumn>,
    /// Cube fields changed that no column maps (change-log fields aside).
    pub unmapped_fields: Vec<String>,
    /// The above in sentences, for a log.
    pub messages: Vec<String>,
}

/// Where a column's value comes from.
#[derive(Debug, Clone)]
enum Source {
    Key,
    First,
    Last,
    Full,
    /// The mapping's field at this index, with its Cube key.
    Field(usize, String),
}

#[derive(Debug, Clone)]
struct Out {
    header: String,
    source: Source,
    phone: bool,
}

/// One cell of the updates file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cell {
    Unchanged,
    Clear,
    Value(String),
}

/// The mapping's columns for the CRM, custom-field labels resolved.
fn columns(
    mapping: &Mapping,
    labels: Option<&Labels>,
    skipped: &mut Vec<SkippedColumn>,
) -> Result<Vec<Out>> {
    let mut out = vec![Out {
        header: mapping.key.crm.clone(),
        source: Source::Key,
        phone: false,
    }];
    match &mapping.name {
        Some(NameColumns::Parts { first, last }) => {
            out.push(Out {
                header: first.clone(),
                source: Source::First,
                phone: false,
            });
            out.push(Out {
                header: last.clone(),
                source: Source::Last,
                phone: false,
            });
        }
        Some(NameColumns::Full(full)) => out.push(Out {
            header: full.clone(),
            source: Source::Full,
            phone: false,
        }),
        None => {}
    }
    for (i, f) in mapping.fields.iter().enumerate() {
        if f.direction == Direction::ToCube {
            continue;
        }
        let key = match &f.cube {
            CubeField::Key(k) => k.clone(),
            CubeField::Label(label) => match labels.map(|l| (l, l.key(label))) {
                Some((_, Some(k))) => k.to_string(),
                Some((l, None)) => {
                    let reason = format!(
                        "no custom field is labelled {} in Cube (its labels: {})",
                        quote(label),
                        l.iter()
                            .map(|(_, l)| quote(l))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    if !f.optional {
                        return Err(RecordsError::mapping(format!("{}.cube", f.path), reason));
                    }
                    skipped.push(SkippedColumn {
                        path: f.path.clone(),
                        column: f.crm.clone(),
                        reason,
                    });
                    continue;
                }
                None => {
                    if !f.optional {
                        return Err(RecordsError::option(
                            "customFields",
                            format!(
                                "{}.cube names the custom field {} by its label: pass \
                                 customFields (what customFields() returns) to find it, or \
                                 name its key (crm__custom_info__N)",
                                f.path,
                                quote(label)
                            ),
                        ));
                    }
                    skipped.push(SkippedColumn {
                        path: f.path.clone(),
                        column: f.crm.clone(),
                        reason: format!(
                            "the custom field {} is named by its label and customFields was \
                             not given",
                            quote(label)
                        ),
                    });
                    continue;
                }
            },
        };
        out.push(Out {
            header: f.crm.clone(),
            source: Source::Field(i, key),
            phone: f.kind == Kind::Phone,
        });
    }
    Ok(out)
}

fn field_text<'r>(record: &'r Record, key: &str) -> std::borrow::Cow<'r, str> {
    record
        .get(key)
        .map(text)
        .unwrap_or(std::borrow::Cow::Borrowed(""))
}

/// A record's values in the mapping's columns (for the created and removed files).
fn whole_row(mapping: &Mapping, cols: &[Out], record: &Record, hint: Option<&str>) -> Vec<String> {
    let full = name::tidy(&field_text(record, NAME));
    let (first, last) = name::split(&full, hint);
    cols.iter()
        .map(|c| match &c.source {
            Source::Key => field_text(record, &mapping.key.cube).trim().to_string(),
            Source::First => first.clone(),
            Source::Last => last.clone(),
            Source::Full => full.clone(),
            Source::Field(i, key) => to_crm(mapping, &mapping.fields[*i], &field_text(record, key)),
        })
        .collect()
}

/// The CRM's first names by id, from its own records (see [`super::name`]).
fn first_names(
    mapping: &Mapping,
    crm_records: Option<&[Record]>,
) -> Result<HashMap<String, String>> {
    let (Some(records), Some(NameColumns::Parts { first, .. })) = (crm_records, &mapping.name)
    else {
        return Ok(HashMap::new());
    };
    let mut out = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let Some(id) = r.get(&mapping.key.crm) else {
            return Err(RecordsError::option(
                "crmRecords",
                format!(
                    "crmRecords[{i}] has no column {} (the mapping's key.crm)",
                    quote(&mapping.key.crm)
                ),
            ));
        };
        let id = text(id).trim().to_string();
        // Without the first-name column a record says nothing of it (an empty one says "none").
        let Some(first) = r.get(first).map(text) else {
            continue;
        };
        if !id.is_empty() {
            out.insert(id, name::tidy(&first));
        }
    }
    Ok(out)
}

/// The update files for `changes` (see the module documentation). `labels` resolve custom
/// fields named by label; `crm_records` (the CRM's own records, e.g. its export) give the
/// first names the name rule keeps.
pub fn update_file(
    changes: &ChangesInput,
    mapping: &Mapping,
    options: &UpdateFileOptions,
    labels: Option<&Labels>,
    crm_records: Option<&[Record]>,
) -> Result<UpdateFiles> {
    let mut summary = UpdateSummary {
        crm: mapping.title.clone(),
        ..UpdateSummary::default()
    };
    let cols = columns(mapping, labels, &mut summary.skipped_columns)?;
    let firsts = first_names(mapping, crm_records)?;
    let mapped: Vec<&str> = cols
        .iter()
        .map(|c| match &c.source {
            Source::Field(_, k) => k.as_str(),
            Source::First | Source::Last | Source::Full => NAME,
            Source::Key => mapping.key.cube.as_str(),
        })
        .collect();
    // Fields mapped only into Cube are not "unmapped".
    let one_way: Vec<&str> = mapping
        .fields
        .iter()
        .filter(|f| f.direction == Direction::ToCube)
        .filter_map(|f| match &f.cube {
            CubeField::Key(k) => Some(k.as_str()),
            CubeField::Label(l) => labels.and_then(|ls| ls.key(l)),
        })
        .collect();

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for c in &changes.changed {
        for f in &c.fields {
            let k = f.field.as_str();
            if !mapped.contains(&k)
                && !one_way.contains(&k)
                && !CHANGE_LOG.contains(&k)
                && !summary.unmapped_fields.iter().any(|u| u == k)
            {
                summary.unmapped_fields.push(k.to_string());
            }
        }
        let key = match field_text(&c.after, &mapping.key.cube).trim() {
            "" => c.key.clone(),
            k => k.to_string(),
        };
        let (bn, an) = (
            name::tidy(&field_text(&c.before, NAME)),
            name::tidy(&field_text(&c.after, NAME)),
        );
        let hint = name::hint_from(firsts.get(&key).map(String::as_str), &bn);
        let (bf, bl) = name::split(&bn, hint.as_deref());
        let (af, al) = name::split(&an, hint.as_deref());
        let part = |before: &str, after: &str| {
            if before == after {
                Cell::Unchanged
            } else if after.is_empty() {
                Cell::Clear
            } else {
                Cell::Value(after.to_string())
            }
        };
        let mut format_only = false;
        let mut row: Vec<Cell> = Vec::with_capacity(cols.len());
        for col in &cols {
            let cell = match &col.source {
                Source::Key => Cell::Value(key.clone()),
                Source::First => part(&bf, &af),
                Source::Last => part(&bl, &al),
                Source::Full => part(&bn, &an),
                Source::Field(i, k) => {
                    let field = &mapping.fields[*i];
                    let (b, a) = (field_text(&c.before, k), field_text(&c.after, k));
                    let (bc, ac) = (
                        comparable(mapping, field, &b),
                        comparable(mapping, field, &a),
                    );
                    if bc == ac {
                        format_only |= b.trim() != a.trim();
                        Cell::Unchanged
                    } else if ac.is_empty() {
                        Cell::Clear
                    } else {
                        Cell::Value(to_crm(mapping, field, &a))
                    }
                }
            };
            let cell = if cell == Cell::Clear && mapping.file.clear.is_none() {
                summary.cannot_clear.push(ClearedField {
                    key: key.clone(),
                    column: col.header.clone(),
                });
                Cell::Unchanged
            } else {
                cell
            };
            row.push(cell);
        }
        if row[1..].iter().all(|c| *c == Cell::Unchanged) {
            summary.no_mapped_change += 1;
            if format_only {
                summary.format_only += 1;
            }
            continue;
        }
        rows.push(row);
    }

    // Columns no row changes are left out (never the key).
    let keep: Vec<bool> = (0..cols.len())
        .map(|i| {
            i == 0
                || mapping.file.keep_unchanged_columns
                || rows.iter().any(|r| r[i] != Cell::Unchanged)
        })
        .collect();
    let format = options.format.unwrap_or(SheetFormat::Csv);
    let file = &mapping.file;
    let kept = |i: &usize| keep[*i];
    let update_cols: Vec<usize> = (0..cols.len()).filter(kept).collect();
    let update_rows: Vec<Vec<(String, bool)>> = rows
        .iter()
        .map(|r| {
            update_cols
                .iter()
                .map(|&i| match &r[i] {
                    Cell::Unchanged => (file.unchanged.clone(), false),
                    Cell::Clear => (file.clear.clone().unwrap_or_default(), false),
                    Cell::Value(v) => (v.clone(), true),
                })
                .collect()
        })
        .collect();
    let headers = |which: &[usize]| -> Vec<(String, bool)> {
        which
            .iter()
            .map(|&i| (cols[i].header.clone(), cols[i].phone))
            .collect()
    };
    summary.updates = update_rows.len();
    let updates = write(
        format,
        mapping,
        "Updates",
        &headers(&update_cols),
        &update_rows,
    )?;

    let all: Vec<usize> = (0..cols.len()).collect();
    let hint_of = |r: &Record| {
        firsts
            .get(field_text(r, &mapping.key.cube).trim())
            .map(String::as_str)
    };
    let value_rows = |records: &[Record]| -> Vec<Vec<(String, bool)>> {
        records
            .iter()
            .map(|r| {
                whole_row(mapping, &cols, r, hint_of(r))
                    .into_iter()
                    .map(|v| (v, true))
                    .collect()
            })
            .collect()
    };
    let created_rows = value_rows(&changes.added);
    let removed_rows = value_rows(&changes.removed);
    summary.created = created_rows.len();
    summary.removed = removed_rows.len();
    let created = write(format, mapping, "Created", &headers(&all), &created_rows)?;
    let removed = write(format, mapping, "Removed", &headers(&all), &removed_rows)?;

    summary.anonymized = changes.anonymized_count();
    summary.duplicate_keys = changes.duplicated_keys();
    summary.messages = messages(&summary, changes.changed.len());
    Ok(UpdateFiles {
        updates,
        created,
        removed,
        summary,
    })
}

fn messages(s: &UpdateSummary, changed: usize) -> Vec<String> {
    let crm = if s.crm.is_empty() { "the CRM" } else { &s.crm };
    let mut out = vec![format!(
        "{} of {changed} changed customers to update in {crm}; {} added in Cube (created); {} \
         no longer in Cube (removed)",
        s.updates, s.created, s.removed
    )];
    if s.no_mapped_change > 0 {
        out.push(format!(
            "{} changed customers have nothing for {crm} ({} only in format: a phone's spaces, \
             case, …; the rest in fields the mapping does not map, or a clear it cannot take)",
            s.no_mapped_change, s.format_only
        ));
    }
    if s.anonymized > 0 {
        out.push(format!(
            "{} anonymized customers are in no file: Cube anonymized them and they have no id \
             (one anonymized since the last sync is in removed)",
            s.anonymized
        ));
    }
    if !s.duplicate_keys.is_empty() {
        out.push(format!(
            "{} ids are on more than one customer, and those customers are in no file: {}",
            s.duplicate_keys.len(),
            list(s.duplicate_keys.iter().map(String::as_str))
        ));
    }
    if !s.cannot_clear.is_empty() {
        out.push(format!(
            "{} fields were cleared in Cube, which {crm}'s import cannot clear (the cell says \
             unchanged): clear them by hand — see cannotClear",
            s.cannot_clear.len()
        ));
    }
    for k in &s.skipped_columns {
        out.push(format!(
            "column {} ({}) left out: {}",
            quote(&k.column),
            k.path,
            k.reason
        ));
    }
    if !s.unmapped_fields.is_empty() {
        out.push(format!(
            "changed in Cube but not mapped: {}",
            list(s.unmapped_fields.iter().map(String::as_str))
        ));
    }
    out
}

/// At most ten names, then how many more.
fn list<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.take(10).map(quote).collect();
    if n > 10 {
        shown.push(format!("and {} more", n - 10));
    }
    shown.join(", ")
}

/// One file: `headers` (text, is a phone column), rows of (text, is a value rather than a
/// convention).
fn write(
    format: SheetFormat,
    mapping: &Mapping,
    sheet: &str,
    headers: &[(String, bool)],
    rows: &[Vec<(String, bool)>],
) -> Result<Vec<u8>> {
    match format {
        SheetFormat::Csv => {
            let file = &mapping.file;
            let mut w = CsvWriter::new(file.delimiter, file.bom)?.formula_guard(false);
            w.write_row(
                headers
                    .iter()
                    .map(|(h, _)| guard(file.formula_guard, h, false)),
            );
            for r in rows {
                w.write_row(r.iter().zip(headers).map(|((v, value), (_, phone))| {
                    if *value {
                        guard(file.formula_guard, v, *phone)
                    } else {
                        v.clone()
                    }
                }));
            }
            Ok(w.finish())
        }
        #[cfg(not(feature = "xlsx"))]
        SheetFormat::Xlsx => {
            let _ = sheet;
            Err(RecordsError::option(
                "format",
                "\"xlsx\" is not built into this package (Cargo feature xlsx); use \"csv\"",
            ))
        }
        #[cfg(feature = "xlsx")]
        SheetFormat::Xlsx => {
            use crate::xlsx::{Cell as X, XlsxWriter};
            let names: Vec<&str> = headers.iter().map(|(h, _)| h.as_str()).collect();
            let mut w = XlsxWriter::new(sheet, &names)?;
            for r in rows {
                let cells: Vec<X<'_>> = r
                    .iter()
                    .map(|(v, _)| if v.is_empty() { X::Empty } else { X::Id(v) })
                    .collect();
                w.write_row(&cells)?;
            }
            w.finish()
        }
    }
}

/// A cell with the formula guard's `'` where it needs one (see the module documentation).
fn guard(on: bool, cell: &str, phone: bool) -> String {
    if on && looks_like_formula(cell) && !(phone && super::phone::is_e164(cell)) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}
