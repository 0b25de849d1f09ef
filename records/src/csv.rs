//! CSV export (RFC 4180).
//!
//! A header row then one row per record; fields are separated by the delimiter and rows end
//! with CRLF. A field is quoted when it contains the delimiter, `"`, CR or LF; a quote inside
//! is doubled. Values are written as their text ([`crate::value::text`]): numbers in
//! decimal, booleans as `true`/`false`, `null` and missing fields as empty. The output is
//! UTF-8, with a BOM on request so that Excel shows `æøå`.
//!
//! # Formula injection
//!
//! A spreadsheet that opens a CSV evaluates a cell that starts with `=`, `+`, `-` or `@` as
//! a formula (`=HYPERLINK(…)`, `-2+3+cmd|…`), and drops a leading `+` or zeros of a number.
//! Following OWASP's guidance on CSV injection, [`CsvOptions::formula_guard`] (on by default)
//! prefixes every cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return with a
//! single quote `'`, so a spreadsheet shows it as text. The price: a phone `+4791234567`
//! becomes `'+4791234567` in the file. Programs that read the CSV themselves can turn the
//! guard off; people should get `.xlsx` (see [`crate::xlsx`]), where ids and phones are typed
//! as text and nothing is evaluated.

use crate::columns::{resolve, row_values, Column};
use crate::diff::Fields;
use crate::error::{quote, RecordsError, Result};
use crate::labels::Labels;
use serde::{Deserialize, Serialize};

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// CSV options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CsvOptions {
    /// Field separator: `,` (default), `;` (Nordic Excel), tab or `|`.
    pub delimiter: char,
    /// Start with a UTF-8 BOM (default `false`).
    pub bom: bool,
    /// Columns in order with their headers; default: every key in first-seen order.
    pub columns: Option<Vec<Column>>,
    /// Prefix cells that a spreadsheet would read as a formula with `'` (default `true`; see
    /// the module documentation).
    pub formula_guard: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            bom: false,
            columns: None,
            formula_guard: true,
        }
    }
}

/// Whether a spreadsheet could read `cell` as a formula: it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (OWASP's list).
pub fn looks_like_formula(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A delimiter as its byte: `,`, `;`, tab or `|` (the CSV writer's and reader's choice).
pub(crate) fn delimiter_byte(delimiter: char) -> Result<u8> {
    match delimiter {
        ',' | ';' | '\t' | '|' => Ok(delimiter as u8),
        other => Err(RecordsError::option(
            "delimiter",
            format!(
                "{} is not one of \",\", \";\", \"\\t\", \"|\"",
                quote(&other.to_string())
            ),
        )),
    }
}

/// Streams CSV rows into a byte buffer, which [`CsvWriter::take`] empties.
#[derive(Debug)]
pub struct CsvWriter {
    out: Vec<u8>,
    delimiter: u8,
    formula_guard: bool,
}

impl CsvWriter {
    /// A writer with the given delimiter (`,`, `;`, tab or `|`) and optional BOM.
    pub fn new(delimiter: char, bom: bool) -> Result<Self> {
        let delimiter = delimiter_byte(delimiter)?;
        let out = if bom { BOM.to_vec() } else { Vec::new() };
        Ok(CsvWriter {
            out,
            delimiter,
            formula_guard: true,
        })
    }

    /// Turns the formula guard on (the default) or off.
    pub fn formula_guard(mut self, on: bool) -> Self {
        self.formula_guard = on;
        self
    }

    /// Writes one row.
    pub fn write_row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.push(self.delimiter);
            }
            self.write_cell(cell.as_ref());
        }
        self.out.extend_from_slice(b"\r\n");
    }

    fn write_cell(&mut self, cell: &str) {
        let d = self.delimiter;
        let guard = self.formula_guard && looks_like_formula(cell);
        let needs_quotes = cell
            .bytes()
            .any(|b| b == d || matches!(b, b'"' | b'\r' | b'\n'));
        if !needs_quotes {
            if guard {
                self.out.push(b'\'');
            }
            self.out.extend_from_slice(cell.as_bytes());
            return;
        }
        self.out.push(b'"');
        if guard {
            self.out.push(b'\'');
        }
        for part in cell.split_inclusive('"') {
            self.out.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                self.out.push(b'"');
            }
        }
        self.out.push(b'"');
    }

    /// The bytes written since the last take (the BOM, if any, is in the first piece): every
    /// piece taken, then what [`CsvWriter::finish`] returns, make the whole file.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// The bytes held until the next take.
    #[doc(hidden)]
    pub fn held_bytes(&self) -> usize {
        self.out.capacity()
    }

    /// The bytes written since the last take (all of them if nothing was taken).
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// Writes `records` as CSV. `labels` name custom-field headers and let columns be given by
/// label.
pub fn to_csv<R: Fields>(
    records: &[R],
    options: &CsvOptions,
    labels: Option<&Labels>,
) -> Result<Vec<u8>> {
    let mut w =
        CsvWriter::new(options.delimiter, options.bom)?.formula_guard(options.formula_guard);
    let columns = resolve(records, options.columns.as_deref(), labels)?;
    w.write_row(columns.iter().map(|c| c.header.as_str()));
    let mut values = Vec::with_capacity(columns.len());
    for r in records {
        row_values(r, &columns, &mut values);
        w.write_row(values.iter().map(|v| v.map(R::text).unwrap_or_default()));
    }
    Ok(w.finish())
}
