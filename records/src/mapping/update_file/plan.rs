//! [`Plan`]: a mapping made ready for Cube's changes — the CRM's columns with custom-field
//! labels resolved, the CRM's first names for the name rule — and the cells of one
//! customer's row.

use super::{ClearedField, SkippedColumn, UpdateSummary};
use crate::error::{quote, RecordsError, Result};
use crate::fields::{CHANGE_LOG, NAME};
use crate::labels::Labels;
use crate::mapping::document::{CubeField, Direction, Kind, Mapping, NameColumns};
use crate::mapping::name;
use crate::mapping::values::{comparable, to_crm};
use crate::value::text;
use crate::Record;
use std::borrow::Cow;
use std::collections::HashMap;

/// At most this many cleared fields are listed in [`UpdateSummary::cannot_clear`] (all are
/// counted): a summary never grows with the data.
pub const CANNOT_CLEAR_LISTED: usize = 1000;

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

/// One of the CRM's columns.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub header: String,
    source: Source,
    /// A phone column: an E.164 cell is not formula-guarded.
    pub phone: bool,
}

/// One cell of the updates file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cell {
    Unchanged,
    Clear,
    Value(String),
}

/// A mapping made ready for one set of changes (see the module documentation).
pub(super) struct Plan {
    pub mapping: Mapping,
    pub columns: Vec<Column>,
    /// The CRM's first names by its id, from `crm_records`.
    firsts: HashMap<String, String>,
    /// Per column, the Cube field it reads.
    mapped: Vec<String>,
    /// Cube fields mapped only into Cube: changed, they are not "unmapped".
    one_way: Vec<String>,
}

fn field_text<'r>(record: &'r Record, key: &str) -> Cow<'r, str> {
    record.get(key).map(text).unwrap_or(Cow::Borrowed(""))
}

impl Plan {
    /// The plan of `mapping`: `labels` resolve custom fields named by label (a column whose
    /// field is unknown is an error, or skipped and noted in `skipped` when `optional`);
    /// `crm_records` give the first names the name rule keeps.
    pub fn new(
        mapping: &Mapping,
        labels: Option<&Labels>,
        crm_records: Option<&[Record]>,
        skipped: &mut Vec<SkippedColumn>,
    ) -> Result<Plan> {
        let columns = columns(mapping, labels, skipped)?;
        let mapped = columns
            .iter()
            .map(|c| match &c.source {
                Source::Field(_, k) => k.clone(),
                Source::First | Source::Last | Source::Full => NAME.to_string(),
                Source::Key => mapping.key.cube.clone(),
            })
            .collect();
        let one_way = mapping
            .fields
            .iter()
            .filter(|f| f.direction == Direction::ToCube)
            .filter_map(|f| match &f.cube {
                CubeField::Key(k) => Some(k.clone()),
                CubeField::Label(l) => labels.and_then(|ls| ls.key(l)).map(str::to_string),
            })
            .collect();
        Ok(Plan {
            firsts: first_names(mapping, crm_records)?,
            mapping: mapping.clone(),
            columns,
            mapped,
            one_way,
        })
    }

    /// The headers of the columns at `which`: (text, is a phone column).
    pub fn headers(&self, which: impl IntoIterator<Item = usize>) -> Vec<(String, bool)> {
        which
            .into_iter()
            .map(|i| (self.columns[i].header.clone(), self.columns[i].phone))
            .collect()
    }

    /// A changed customer's row of the updates file, or `None` when nothing mapped changed
    /// for the CRM (counted in `summary`). `fields`: the Cube fields that changed; those no
    /// column maps are noted in `summary`, as are clears the CRM cannot take.
    pub fn changed_row<'f>(
        &self,
        key: &str,
        before: &Record,
        after: &Record,
        fields: impl IntoIterator<Item = &'f str>,
        summary: &mut UpdateSummary,
    ) -> Option<Vec<Cell>> {
        self.note_unmapped(fields, summary);
        let mapping = &self.mapping;
        let key = match field_text(after, &mapping.key.cube).trim() {
            "" => key.to_string(),
            k => k.to_string(),
        };
        let (bn, an) = (
            name::tidy(&field_text(before, NAME)),
            name::tidy(&field_text(after, NAME)),
        );
        let hint = name::hint_from(self.firsts.get(&key).map(String::as_str), &bn);
        let (bf, bl) = name::split(&bn, hint.as_deref());
        let (af, al) = name::split(&an, hint.as_deref());
        let mut format_only = false;
        let mut row: Vec<Cell> = Vec::with_capacity(self.columns.len());
        for col in &self.columns {
            let cell = match &col.source {
                Source::Key => Cell::Value(key.clone()),
                Source::First => part(&bf, &af),
                Source::Last => part(&bl, &al),
                Source::Full => part(&bn, &an),
                Source::Field(i, k) => self.field_cell(*i, k, before, after, &mut format_only),
            };
            row.push(if cell == Cell::Clear && mapping.file.clear.is_none() {
                summary.cannot_clear_count += 1;
                if summary.cannot_clear.len() < CANNOT_CLEAR_LISTED {
                    summary.cannot_clear.push(ClearedField {
                        key: key.clone(),
                        column: col.header.clone(),
                    });
                }
                Cell::Unchanged
            } else {
                cell
            });
        }
        if row[1..].iter().all(|c| *c == Cell::Unchanged) {
            summary.no_mapped_change += 1;
            if format_only {
                summary.format_only += 1;
            }
            return None;
        }
        Some(row)
    }

    /// Notes in `summary` the changed Cube fields that no column maps (the change log aside).
    fn note_unmapped<'f>(
        &self,
        fields: impl IntoIterator<Item = &'f str>,
        summary: &mut UpdateSummary,
    ) {
        for k in fields {
            let known = |list: &[String]| list.iter().any(|m| m == k);
            if !known(&self.mapped)
                && !known(&self.one_way)
                && !CHANGE_LOG.contains(&k)
                && !known(&summary.unmapped_fields)
            {
                summary.unmapped_fields.push(k.to_string());
            }
        }
    }

    /// The cell of the mapping's `i`th field (Cube key `k`): unchanged when its values
    /// compare equal (`format_only` set when they differ only in their writing), a clear when
    /// it was emptied, else its new value as the CRM writes it.
    fn field_cell(
        &self,
        i: usize,
        k: &str,
        before: &Record,
        after: &Record,
        format_only: &mut bool,
    ) -> Cell {
        let mapping = &self.mapping;
        let field = &mapping.fields[i];
        let (b, a) = (field_text(before, k), field_text(after, k));
        let (bc, ac) = (
            comparable(mapping, field, &b),
            comparable(mapping, field, &a),
        );
        if bc == ac {
            *format_only |= b.trim() != a.trim();
            Cell::Unchanged
        } else if ac.is_empty() {
            Cell::Clear
        } else {
            Cell::Value(to_crm(mapping, field, &a))
        }
    }

    /// A row's cells at `which` as written: (text, is a value rather than a convention).
    pub fn update_cells(&self, row: &[Cell], which: &[usize]) -> Vec<(String, bool)> {
        let file = &self.mapping.file;
        which
            .iter()
            .map(|&i| match &row[i] {
                Cell::Unchanged => (file.unchanged.clone(), false),
                Cell::Clear => (file.clear.clone().unwrap_or_default(), false),
                Cell::Value(v) => (v.clone(), true),
            })
            .collect()
    }

    /// A record's values in every column (for the created and removed files).
    pub fn value_cells(&self, record: &Record) -> Vec<(String, bool)> {
        let mapping = &self.mapping;
        let hint = self
            .firsts
            .get(field_text(record, &mapping.key.cube).trim())
            .map(String::as_str);
        let full = name::tidy(&field_text(record, NAME));
        let (first, last) = name::split(&full, hint);
        self.columns
            .iter()
            .map(|c| match &c.source {
                Source::Key => field_text(record, &mapping.key.cube).trim().to_string(),
                Source::First => first.clone(),
                Source::Last => last.clone(),
                Source::Full => full.clone(),
                Source::Field(i, key) => {
                    to_crm(mapping, &mapping.fields[*i], &field_text(record, key))
                }
            })
            .map(|v| (v, true))
            .collect()
    }
}

/// A name part's cell: unchanged, cleared or its new text.
fn part(before: &str, after: &str) -> Cell {
    if before == after {
        Cell::Unchanged
    } else if after.is_empty() {
        Cell::Clear
    } else {
        Cell::Value(after.to_string())
    }
}

/// The mapping's columns for the CRM, custom-field labels resolved.
fn columns(
    mapping: &Mapping,
    labels: Option<&Labels>,
    skipped: &mut Vec<SkippedColumn>,
) -> Result<Vec<Column>> {
    let column = |header: &str, source| Column {
        header: header.to_string(),
        source,
        phone: false,
    };
    let mut out = vec![column(&mapping.key.crm, Source::Key)];
    match &mapping.name {
        Some(NameColumns::Parts { first, last }) => {
            out.push(column(first, Source::First));
            out.push(column(last, Source::Last));
        }
        Some(NameColumns::Full(full)) => out.push(column(full, Source::Full)),
        None => {}
    }
    for (i, f) in mapping.fields.iter().enumerate() {
        if f.direction == Direction::ToCube {
            continue;
        }
        let key = match &f.cube {
            CubeField::Key(k) => k.clone(),
            CubeField::Label(label) => match custom_field(f, label, labels)? {
                Ok(k) => k,
                Err(reason) => {
                    skipped.push(SkippedColumn {
                        path: f.path.clone(),
                        column: f.crm.clone(),
                        reason,
                    });
                    continue;
                }
            },
        };
        out.push(Column {
            header: f.crm.clone(),
            source: Source::Field(i, key),
            phone: f.kind == Kind::Phone,
        });
    }
    Ok(out)
}

/// The key of the custom field a mapping's field names by `label`: `Ok(Ok(key))`;
/// `Ok(Err(why))` when an `optional` field's is not found; an error when a required one's
/// is not.
fn custom_field(
    f: &crate::mapping::document::Field,
    label: &str,
    labels: Option<&Labels>,
) -> Result<std::result::Result<String, String>> {
    let Some(l) = labels else {
        if !f.optional {
            return Err(RecordsError::option(
                "customFields",
                format!(
                    "{}.cube names the custom field {} by its label: pass customFields (what \
                     customFields() returns) to find it, or name its key (crm__custom_info__N)",
                    f.path,
                    quote(label)
                ),
            ));
        }
        return Ok(Err(format!(
            "the custom field {} is named by its label and customFields was not given",
            quote(label)
        )));
    };
    if let Some(k) = l.key(label) {
        return Ok(Ok(k.to_string()));
    }
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
    Ok(Err(reason))
}

/// The CRM's first names by id, from its own records (see [`crate::mapping::name`]).
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
