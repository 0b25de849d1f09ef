//! The changes report: what Cube's users changed, one row per changed field, for people.
//!
//! A sync's `changes` hold whole records; an integrator's reviewer wants a short list:
//! *customer 1042, Phone 1, was `+47 912 34 567`, is `+47 455 00 000`, changed by
//! `kari@acme.no` on 2024-03-05 by `Manual update`*. [`change_rows`] makes that list and
//! [`change_sheet`] writes it as `.xlsx` or CSV; [`crate::ReportWriter`] writes it customer by
//! customer, as the changes arrive (and as ndjson too), by the same rules.
//!
//! # Rules
//!
//! * A changed customer gives one row per changed field (`change: "changed"`), in the order
//!   the diff reports them. The change-log fields (`crm__change_log__*`) are never rows:
//!   they are the *who*, *when* and *how* columns of every row, taken from the record after
//!   the change. Fields in `ignoreFields` are left out too; a customer whose only changes
//!   are ignored fields has no row.
//! * An added customer is one row (`change: "added"`), a removed one is one row
//!   (`change: "removed"`, its change-log columns from the record before); `field`, `before`
//!   and `after` are empty.
//! * Anonymized customers (empty key) and duplicate keys are not rows: nobody can tell which
//!   customer they are. They stay in the sync's `changes`.
//! * `label` is the custom field's label when `customFields` are given, a plain name for the
//!   standard fields (`Phone 1`, `E-mail`), else the field key.
//! * In the sheet every cell is text, so `000417` and `+4791234567` stay as typed.

use crate::cell_limit::LongCells;
use crate::error::Result;
use crate::import_sheet::SheetFormat;
use crate::labels::Labels;
use crate::report::{ReportFormat, ReportWriter, RowRules};
use crate::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a sync or diff reported, as the report reads it (the `changes` object, any extra
/// fields ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChangesInput {
    /// Customers only in the new records.
    pub added: Vec<Record>,
    /// Customers only in the previous records.
    pub removed: Vec<Record>,
    /// Customers on both sides with changed fields.
    pub changed: Vec<ChangedInput>,
    /// Customers with an empty key, as given (read only by the update files, which count
    /// an array's entries; anything else counts none).
    pub anonymized: Value,
    /// Keys on more than one record of a side, as given (read only by the update files,
    /// which take each entry's `key`).
    #[serde(rename = "duplicateKeys")]
    pub duplicate_keys: Value,
}

impl ChangesInput {
    /// How many anonymized customers the changes list.
    pub fn anonymized_count(&self) -> usize {
        self.anonymized.as_array().map_or(0, Vec::len)
    }

    /// The duplicated keys the changes list, each once, in order.
    pub fn duplicated_keys(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in self.duplicate_keys.as_array().into_iter().flatten() {
            if let Some(k) = d.get("key").map(crate::value::text) {
                if !out.iter().any(|o| *o == k) {
                    out.push(k.into_owned());
                }
            }
        }
        out
    }
}

/// One changed customer of [`ChangesInput`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChangedInput {
    /// The key value as text.
    pub key: String,
    /// The record before.
    pub before: Record,
    /// The record after.
    pub after: Record,
    /// The fields that differ.
    pub fields: Vec<FieldInput>,
}

/// One changed field of [`ChangedInput`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FieldInput {
    /// The field's key.
    pub field: String,
    /// Its value before.
    pub before: Value,
    /// Its value after.
    pub after: Value,
}

/// Options of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ChangeSheetOptions {
    /// The field the sync matched on (default `crm__customer_id`): the customer id of added
    /// and removed rows.
    pub key: Option<String>,
    /// Fields that never become rows, besides the change-log fields.
    pub ignore_fields: Vec<String>,
    /// The file: `xlsx` (default) or `csv` ([`change_sheet`] only).
    pub format: SheetFormat,
    /// XLSX sheet name (default `Changes`).
    pub sheet_name: Option<String>,
    /// CSV delimiter (default `,`).
    pub delimiter: Option<char>,
    /// CSV byte-order mark (default `true`: the report is meant for Excel).
    pub bom: Option<bool>,
    /// CSV: prefix cells a spreadsheet would evaluate with `'` (default `true`, as `toCsv`).
    pub formula_guard: Option<bool>,
}

/// The report's columns: row key and header, in order.
pub const COLUMNS: [(&str, &str); 10] = [
    ("change", "Change"),
    ("customerId", "Customer ID"),
    ("name", "Name"),
    ("label", "Field"),
    ("before", "Before"),
    ("after", "After"),
    ("updated", "Updated"),
    ("updatedBy", "Updated by"),
    ("updateMethod", "Update method"),
    ("field", "Field key"),
];

/// The report's rows (see the module rules).
pub fn change_rows(
    changes: &ChangesInput,
    labels: Option<&Labels>,
    options: &ChangeSheetOptions,
) -> Vec<Record> {
    let rules = RowRules::new(options, labels);
    let mut rows = Vec::new();
    for c in &changes.changed {
        let fields = c
            .fields
            .iter()
            .map(|f| (f.field.as_str(), &f.before, &f.after));
        rules.changed(&c.key, &c.before, &c.after, fields, &mut rows);
    }
    rows.extend(changes.added.iter().map(|a| rules.added(a)));
    rows.extend(changes.removed.iter().map(|d| rules.removed(d)));
    rows
}

/// The report as a file: `.xlsx` (every cell text) or CSV; `long_cells` is for `.xlsx` (see
/// [`crate::cell_limit`]). A [`ReportWriter`] fed the changed customers, then the added,
/// then the removed.
pub fn change_sheet(
    changes: &ChangesInput,
    labels: Option<&Labels>,
    options: &ChangeSheetOptions,
    long_cells: LongCells<'_>,
) -> Result<Vec<u8>> {
    let format = match options.format {
        SheetFormat::Xlsx => ReportFormat::Xlsx,
        SheetFormat::Csv => ReportFormat::Csv,
    };
    let cut = matches!(long_cells, LongCells::Cut(_));
    let mut w = ReportWriter::new(options, labels.cloned(), format, cut)?;
    for c in &changes.changed {
        let fields = c
            .fields
            .iter()
            .map(|f| (f.field.as_str(), &f.before, &f.after));
        w.changed_fields(&c.key, &c.before, &c.after, fields)?;
    }
    for a in &changes.added {
        w.added(a)?;
    }
    for d in &changes.removed {
        w.removed(d)?;
    }
    if let LongCells::Cut(truncated) = long_cells {
        truncated.extend_from_slice(w.truncated());
    }
    w.finish()
}
