//! `.xlsx` export, written by this crate (small: no spreadsheet library).
//!
//! A minimal Office Open XML workbook: `[Content_Types].xml`, `_rels/.rels`,
//! `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`, `xl/styles.xml` and the sheets
//! `xl/worksheets/sheet1.xml`, `sheet2.xml`…, in a zip deflated with `miniz_oxide`.
//!
//! # Streaming
//!
//! [`XlsxWriter`] deflates each row's XML into the zip as it comes, and
//! [`XlsxWriter::take`] hands out the bytes ready so far: a writer taken from holds the
//! deflate state and a chunk of sheet XML, whatever the number of rows. A sheet's zip entry
//! uses a data descriptor (general-purpose flag bit 3: its CRC and sizes follow the data and
//! are repeated in the central directory), so nothing already taken is patched. The small
//! fixed parts are written whole; the three that list the sheets (`xl/workbook.xml`, its
//! relationships, `[Content_Types].xml`) are written by [`XlsxWriter::finish`], after the
//! sheets. No zip64: a part or the file past 4 GiB is refused ([`crate::RecordsError::TooLarge`]).
//! Timestamps are fixed, so the same rows give the same bytes, taken in pieces or not.
//!
//! # Sheets
//!
//! A sheet holds at most [`MAX_ROWS`] rows (Excel's limit), its header included. The row
//! after a full sheet starts the next: `"<name> (2)"`, then `"<name> (3)"`… (the name given
//! cut so that each stays within 31 characters), each with the same bold, frozen header.
//! Row numbers (in [`crate::TruncatedCell`] and [`crate::RecordsError::CellTooLong`]) are
//! those of the row's own sheet, which is named when it is not the first.
//!
//! Cells: strings are inline strings (`t="inlineStr"`), XML-escaped, characters XML cannot
//! hold written as OOXML escapes `_xHHHH_` (which Excel decodes back: nothing is dropped);
//! text longer than Excel's 32,767 characters is refused, or cut and reported
//! ([`crate::cell_limit`]); JSON numbers are numbers;
//! booleans are booleans; `null`, `""` and missing fields leave the cell empty; arrays and
//! objects are written as JSON text. Fields listed in `textFields` (by default the customer
//! id and the phone numbers) are always text, in the text format `@`, so `"007"` and `233`
//! both stay exactly as they are. The header row is bold and frozen.

mod crc32;
mod parts;
mod writer;
mod xml;
mod zip;

pub use writer::{validate_sheet_name, Cell, XlsxWriter, MAX_COLUMNS, MAX_ROWS};

use crate::cell_limit::LongCells;
use crate::columns::{resolve, row_values, Column};
use crate::diff::Fields;
use crate::error::Result;
use crate::fields::{CUSTOMER_ID, PHONES};
use crate::labels::Labels;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// XLSX options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct XlsxOptions {
    /// The sheet's name (default `Sheet1`); Excel's rules apply (≤ 31 characters, none of
    /// `[]:*?/\`).
    pub sheet_name: String,
    /// Columns in order with their headers; default: every key in first-seen order.
    pub columns: Option<Vec<Column>>,
    /// Fields always written as text (default: `crm__customer_id`, `phone_1..3`).
    pub text_fields: Vec<String>,
}

impl Default for XlsxOptions {
    fn default() -> Self {
        XlsxOptions {
            sheet_name: "Sheet1".to_string(),
            columns: None,
            text_fields: default_text_fields(),
        }
    }
}

/// The customer id and the three phone fields.
pub fn default_text_fields() -> Vec<String> {
    std::iter::once(CUSTOMER_ID)
        .chain(PHONES)
        .map(str::to_string)
        .collect()
}

/// The cell for a value; `as_text` forces text (ids).
pub fn cell_of<'a>(value: Option<&'a Value>, as_text: bool, scratch: &'a mut String) -> Cell<'a> {
    match value {
        None | Some(Value::Null) => Cell::Empty,
        Some(Value::String(s)) if as_text => Cell::Id(s),
        Some(Value::String(s)) => Cell::Text(s),
        Some(other) if as_text => {
            *scratch = crate::value::text(other).into_owned();
            Cell::Id(scratch)
        }
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) => Cell::Number(f),
            None => {
                *scratch = n.to_string();
                Cell::Text(scratch)
            }
        },
        Some(Value::Bool(b)) => Cell::Bool(*b),
        Some(other) => {
            *scratch = other.to_string();
            Cell::Text(scratch)
        }
    }
}

/// Writes `records` as a workbook (one sheet up to [`MAX_ROWS`] rows: see the module docs).
/// `labels` name custom-field headers and let columns be given by label; `long_cells` says
/// what to do with text longer than a cell holds.
pub fn to_xlsx<R: Fields>(
    records: &[R],
    options: &XlsxOptions,
    labels: Option<&Labels>,
    long_cells: LongCells<'_>,
) -> Result<Vec<u8>> {
    let columns = resolve(records, options.columns.as_deref(), labels)?;
    let header: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
    let mut w = match long_cells {
        LongCells::Refuse => XlsxWriter::new(&options.sheet_name, &header)?,
        LongCells::Cut(_) => XlsxWriter::cutting_long_cells(&options.sheet_name, &header)?,
    };
    let as_text: Vec<bool> = columns
        .iter()
        .map(|c| options.text_fields.contains(&c.key))
        .collect();
    let mut scratch: Vec<String> = vec![String::new(); columns.len()];
    let mut values = Vec::with_capacity(columns.len());
    let mut decoded = Vec::with_capacity(columns.len());
    for r in records {
        row_values(r, &columns, &mut values);
        decoded.clear();
        decoded.extend(values.iter().map(|v| v.map(R::decoded)));
        let cells: Vec<Cell<'_>> = decoded
            .iter()
            .zip(&as_text)
            .zip(scratch.iter_mut())
            .map(|((v, &t), s)| cell_of(v.as_deref(), t, s))
            .collect();
        w.write_row(&cells)?;
    }
    if let LongCells::Cut(truncated) = long_cells {
        truncated.extend_from_slice(w.truncated());
    }
    w.finish()
}
