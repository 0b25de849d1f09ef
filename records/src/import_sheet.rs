//! Sheets for Cube's Excel import: one customer a row, one mapped field a column.
//!
//! The column mapping is a list of [`Column`]s (`{field, header}`); a field may be a record
//! key or, with labels, a custom-field label. Without a mapping the sheet has the customer
//! id, name, phones, e-mail and then every custom field (labelled when labels are given;
//! change-log fields are left out: Cube sets them). The customer id and phones are always
//! written as text, so `007` stays `007`.

use crate::cell_limit::LongCells;
use crate::columns::{union_of_keys, Column};
use crate::csv::{to_csv, CsvOptions};
use crate::diff::Fields;
use crate::error::{quote, RecordsError, Result};
use crate::fields::{self, CUSTOMER_ID, EMAIL, NAME, PHONES};
use crate::labels::Labels;
#[cfg(feature = "xlsx")]
use crate::xlsx::{default_text_fields, to_xlsx, XlsxOptions};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Output format of an import sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SheetFormat {
    /// Office Open XML workbook (default).
    #[default]
    Xlsx,
    /// CSV (RFC 4180).
    Csv,
}

/// Import-sheet options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ImportSheetOptions {
    /// The column mapping; empty means [`default_import_columns`].
    pub columns: Vec<Column>,
    /// `xlsx` (default) or `csv`.
    pub format: SheetFormat,
    /// XLSX sheet name (default `Customers`).
    pub sheet_name: String,
    /// CSV delimiter (default `,`).
    pub delimiter: char,
    /// CSV byte-order mark (default `true`: the sheet is meant for Excel).
    pub bom: bool,
    /// CSV: prefix cells a spreadsheet would read as a formula with `'` (default `true`; see
    /// [`crate::csv`]).
    pub formula_guard: bool,
    /// XLSX: fields always written as text, in addition to the customer id and the phones
    /// (e.g. every column of a CSV export, so postal codes keep their zeros).
    pub text_fields: Vec<String>,
}

impl Default for ImportSheetOptions {
    fn default() -> Self {
        ImportSheetOptions {
            columns: Vec::new(),
            format: SheetFormat::Xlsx,
            sheet_name: "Customers".to_string(),
            delimiter: ',',
            bom: true,
            formula_guard: true,
            text_fields: Vec::new(),
        }
    }
}

/// The default mapping: id, name, phones, e-mail, then custom fields (labels order first,
/// then unlabelled custom keys in first-seen order).
pub fn default_import_columns<R: Fields>(records: &[R], labels: Option<&Labels>) -> Vec<Column> {
    let mut cols = vec![
        Column::new(CUSTOMER_ID, "Customer ID"),
        Column::new(NAME, "Name"),
        Column::new(PHONES[0], "Phone 1"),
        Column::new(PHONES[1], "Phone 2"),
        Column::new(PHONES[2], "Phone 3"),
        Column::new(EMAIL, "Email"),
    ];
    let keys = union_of_keys(records);
    let present: HashSet<&str> = keys.iter().map(String::as_str).collect();
    // Standard fields no record has would be unknown columns: leave them out.
    if !records.is_empty() {
        cols.retain(|c| present.contains(c.field.as_str()));
    }
    let mut done: HashSet<&str> = HashSet::new();
    if let Some(labels) = labels {
        for (key, label) in labels.iter() {
            if present.contains(key) {
                done.insert(key);
                cols.push(Column::new(key, label));
            }
        }
    }
    for key in &keys {
        if fields::is_custom(key) && !done.contains(key.as_str()) {
            cols.push(Column::new(key.as_str(), key.as_str()));
        }
    }
    cols
}

/// Builds the import sheet for `records`; `long_cells` is for `.xlsx` (see
/// [`crate::cell_limit`]).
pub fn import_sheet<R: Fields>(
    records: &[R],
    options: &ImportSheetOptions,
    labels: Option<&Labels>,
    long_cells: LongCells<'_>,
) -> Result<Vec<u8>> {
    let columns = if options.columns.is_empty() {
        default_import_columns(records, labels)
    } else {
        options.columns.clone()
    };
    let mut headers = HashSet::new();
    for c in &columns {
        let h = c.header.as_deref().unwrap_or(&c.field);
        if !headers.insert(h) {
            return Err(RecordsError::option(
                "columns",
                format!(
                    "header {} is used twice; Cube maps import columns by header",
                    quote(h)
                ),
            ));
        }
    }
    match options.format {
        #[cfg(not(feature = "xlsx"))]
        SheetFormat::Xlsx => Err(RecordsError::option(
            "format",
            "\"xlsx\" is not built into this package (Cargo feature xlsx); use \"csv\"",
        )),
        #[cfg(feature = "xlsx")]
        SheetFormat::Xlsx => {
            let mut text_fields = default_text_fields();
            text_fields.extend(options.text_fields.iter().cloned());
            let xo = XlsxOptions {
                sheet_name: options.sheet_name.clone(),
                columns: Some(columns),
                text_fields,
            };
            to_xlsx(records, &xo, labels, long_cells)
        }
        SheetFormat::Csv => {
            let _ = long_cells;
            let co = CsvOptions {
                delimiter: options.delimiter,
                bom: options.bom,
                columns: Some(columns),
                formula_guard: options.formula_guard,
            };
            to_csv(records, &co, labels)
        }
    }
}
