//! Streaming writer of a one-sheet `.xlsx` workbook.
//!
//! Rows are turned into sheet XML and deflated into the zip as they come, so memory holds
//! the compressed workbook plus a small buffer, not the sheet's XML. A row is checked whole
//! before any of it is written, so a refused row leaves the sheet as it was.

use super::parts::{self, STYLE_HEADER, STYLE_TEXT};
use super::xml::{column_name, escape_into, needs_preserve};
use super::zip::ZipWriter;
use crate::cell_limit::{fit, over_limit, TruncatedCell};
use crate::error::{quote, RecordsError, Result};
use std::fmt::Write as _;

/// Excel's row limit.
pub const MAX_ROWS: u32 = 1_048_576;
/// Excel's column limit.
pub const MAX_COLUMNS: usize = 16_384;
/// Deflate level 3: much faster than level 6 for a slightly larger file (BENCHMARKS.md §5).
const LEVEL: u8 = 3;
/// Sheet XML is handed to the compressor in chunks of about this size.
const CHUNK: usize = 64 * 1024;

/// One cell value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// No cell.
    Empty,
    /// An inline string.
    Text(&'a str),
    /// An inline string formatted as text (`@`), for ids: Excel keeps it as typed.
    Id(&'a str),
    /// A number (non-finite numbers are left empty).
    Number(f64),
    /// A boolean.
    Bool(bool),
}

/// Checks a sheet name against Excel's rules.
pub fn validate_sheet_name(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(RecordsError::option(
            "sheetName",
            format!("{} {why}", quote(name)),
        ))
    };
    if name.trim().is_empty() {
        return bad("is empty");
    }
    if name.chars().count() > 31 {
        return bad("is longer than 31 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| "[]:*?/\\".contains(*c) || c.is_control())
    {
        return bad(&format!(
            "contains {}, which Excel does not allow",
            quote(&c.to_string())
        ));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return bad("starts or ends with an apostrophe");
    }
    if name.eq_ignore_ascii_case("history") {
        return bad("is reserved by Excel");
    }
    Ok(())
}

/// Writes a workbook with one sheet, row by row.
///
/// A text cell longer than [`MAX_CELL_CHARS`](crate::MAX_CELL_CHARS) is refused
/// ([`RecordsError::CellTooLong`]), or cut when the writer was made with
/// [`XlsxWriter::cutting_long_cells`].
pub struct XlsxWriter {
    zip: ZipWriter,
    buf: String,
    rows: u32,
    columns: Vec<String>,
    headers: Vec<String>,
    cut_long_cells: bool,
    truncated: Vec<TruncatedCell>,
}

impl XlsxWriter {
    /// Starts a workbook whose sheet is called `sheet_name`; a non-empty `header` becomes a
    /// bold, frozen first row. A text cell longer than
    /// [`MAX_CELL_CHARS`](crate::MAX_CELL_CHARS) is refused.
    pub fn new(sheet_name: &str, header: &[&str]) -> Result<Self> {
        Self::start(sheet_name, header, false)
    }

    /// As [`XlsxWriter::new`], but a text cell longer than
    /// [`MAX_CELL_CHARS`](crate::MAX_CELL_CHARS) (the header's too) is cut there and noted in
    /// [`XlsxWriter::truncated`].
    pub fn cutting_long_cells(sheet_name: &str, header: &[&str]) -> Result<Self> {
        Self::start(sheet_name, header, true)
    }

    fn start(sheet_name: &str, header: &[&str], cut_long_cells: bool) -> Result<Self> {
        validate_sheet_name(sheet_name)?;
        let mut zip = ZipWriter::new(LEVEL);
        zip.add("[Content_Types].xml", parts::CONTENT_TYPES.as_bytes())?;
        zip.add("_rels/.rels", parts::ROOT_RELS.as_bytes())?;
        zip.add("xl/workbook.xml", parts::workbook(sheet_name).as_bytes())?;
        zip.add(
            "xl/_rels/workbook.xml.rels",
            parts::WORKBOOK_RELS.as_bytes(),
        )?;
        zip.add("xl/styles.xml", parts::STYLES.as_bytes())?;
        zip.start("xl/worksheets/sheet1.xml")?;
        let mut w = XlsxWriter {
            zip,
            buf: parts::sheet_start(!header.is_empty()),
            rows: 0,
            columns: Vec::new(),
            headers: header.iter().map(|h| h.to_string()).collect(),
            cut_long_cells,
            truncated: Vec::new(),
        };
        if !header.is_empty() {
            let cells: Vec<Cell<'_>> = header.iter().map(|h| Cell::Text(h)).collect();
            w.row(&cells, Some(STYLE_HEADER))?;
        }
        Ok(w)
    }

    /// The cells cut so far, in the order written.
    pub fn truncated(&self) -> &[TruncatedCell] {
        &self.truncated
    }

    /// Appends a row.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        self.row(cells, None)
    }

    fn row(&mut self, cells: &[Cell<'_>], style: Option<u8>) -> Result<()> {
        if self.rows == MAX_ROWS {
            return Err(RecordsError::TooLarge(format!(
                "a sheet holds at most {MAX_ROWS} rows"
            )));
        }
        if cells.len() > MAX_COLUMNS {
            return Err(RecordsError::TooLarge(format!(
                "a row has {} cells; a sheet holds at most {MAX_COLUMNS} columns",
                cells.len()
            )));
        }
        while self.columns.len() < cells.len() {
            self.columns.push(column_name(self.columns.len()));
        }
        let r = self.rows + 1;
        for (i, cell) in cells.iter().enumerate() {
            let (Cell::Text(t) | Cell::Id(t)) = *cell else {
                continue;
            };
            let Some(length) = over_limit(t) else {
                continue;
            };
            let (column, header) = (self.columns[i].clone(), self.headers.get(i));
            let header = header.cloned().unwrap_or_default();
            if !self.cut_long_cells {
                return Err(RecordsError::CellTooLong {
                    row: r,
                    column,
                    header,
                    length,
                });
            }
            self.truncated.push(TruncatedCell {
                row: r,
                column,
                header,
                length,
            });
        }
        self.rows = r;
        let b = &mut self.buf;
        let _ = write!(b, r#"<row r="{r}">"#);
        for (i, cell) in cells.iter().enumerate() {
            let col = &self.columns[i];
            let s = match (style, cell) {
                (Some(s), _) => s,
                (None, Cell::Id(_)) => STYLE_TEXT,
                _ => 0,
            };
            let style_attr = |b: &mut String| {
                if s != 0 {
                    let _ = write!(b, r#" s="{s}""#);
                }
            };
            match *cell {
                Cell::Empty => {}
                Cell::Number(n) if !n.is_finite() => {}
                Cell::Text("") | Cell::Id("") => {}
                Cell::Number(n) => {
                    let _ = write!(b, r#"<c r="{col}{r}""#);
                    style_attr(b);
                    // serde_json's float formatter: core's `{}` for f64 would add ~10 KB of wasm.
                    let text = serde_json::Number::from_f64(n).map(|n| n.to_string());
                    let text = text.unwrap_or_default();
                    let text = text.strip_suffix(".0").unwrap_or(&text);
                    let _ = write!(b, "><v>{text}</v></c>");
                }
                Cell::Bool(v) => {
                    let _ = write!(b, r#"<c r="{col}{r}" t="b""#);
                    style_attr(b);
                    let _ = write!(b, "><v>{}</v></c>", u8::from(v));
                }
                Cell::Text(t) | Cell::Id(t) => {
                    let t = fit(t);
                    let _ = write!(b, r#"<c r="{col}{r}" t="inlineStr""#);
                    style_attr(b);
                    b.push_str(if needs_preserve(t) {
                        r#"><is><t xml:space="preserve">"#
                    } else {
                        "><is><t>"
                    });
                    escape_into(b, t);
                    b.push_str("</t></is></c>");
                }
            }
        }
        b.push_str("</row>");
        if self.buf.len() >= CHUNK {
            self.zip.write(self.buf.as_bytes());
            self.buf.clear();
        }
        Ok(())
    }

    /// Rows written so far, the header included.
    pub fn rows(&self) -> u32 {
        self.rows
    }

    /// Ends the sheet and returns the `.xlsx` bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.buf.push_str(parts::SHEET_END);
        self.zip.write(self.buf.as_bytes());
        self.zip.finish()
    }
}
