//! Streaming writer of an `.xlsx` workbook: one sheet, continued on more past Excel's row
//! limit.
//!
//! Rows are turned into sheet XML and deflated into the zip as they come, so memory holds
//! the compressed bytes not yet taken ([`XlsxWriter::take`]) plus a small buffer, not the
//! sheet's XML. A row is checked whole before any of it is written, so a refused row leaves
//! the sheet as it was.

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

/// Writes a workbook row by row: one sheet, continued on `"<name> (2)"`, `"<name> (3)"`…
/// (each with the same bold, frozen header) when a sheet is full at [`MAX_ROWS`] rows.
///
/// A text cell longer than [`MAX_CELL_CHARS`](crate::MAX_CELL_CHARS) is refused
/// ([`RecordsError::CellTooLong`]), or cut when the writer was made with
/// [`XlsxWriter::cutting_long_cells`].
///
/// The file can be handed on as it is written: [`XlsxWriter::take`] returns the bytes ready
/// so far, and every piece taken followed by what [`XlsxWriter::finish`] returns is the
/// whole file.
pub struct XlsxWriter {
    zip: ZipWriter,
    buf: String,
    /// Rows of the current sheet, its header included.
    rows: u32,
    /// The most rows a sheet holds, its header included.
    row_limit: u32,
    /// Names of the sheets started so far; the last is the current one.
    sheets: Vec<String>,
    columns: Vec<String>,
    headers: Vec<String>,
    cut_long_cells: bool,
    truncated: Vec<TruncatedCell>,
}

/// The name of sheet `n` (2, 3, …) continuing `base`: `"<base> (n)"`, the base cut so that the
/// name stays within 31 characters and differs from every name in `taken`.
fn continued_name(base: &str, n: usize, taken: &[String]) -> String {
    let suffix = format!(" ({n})");
    let room = 31 - suffix.chars().count();
    let mut keep = base.chars().count().min(room);
    loop {
        let cut: String = base.chars().take(keep).collect();
        let name = format!("{}{suffix}", cut.trim_end());
        let lower = name.to_lowercase();
        let clash = taken.iter().any(|t| t.to_lowercase() == lower);
        if !clash || keep <= 1 {
            return name;
        }
        keep -= 1;
    }
}

/// One cell of column `col`, row `r`, with style `s` (0: none), as sheet XML into `b`;
/// nothing for an empty cell (or a number that is not finite).
fn cell_xml(b: &mut String, col: &str, r: u32, s: u8, cell: Cell<'_>) {
    let style_attr = |b: &mut String| {
        if s != 0 {
            let _ = write!(b, r#" s="{s}""#);
        }
    };
    match cell {
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
        // The parts that list the sheets are written by `finish`.
        zip.add("_rels/.rels", parts::ROOT_RELS.as_bytes())?;
        zip.add("xl/styles.xml", parts::STYLES.as_bytes())?;
        let mut w = XlsxWriter {
            zip,
            buf: String::new(),
            rows: 0,
            row_limit: MAX_ROWS,
            sheets: Vec::new(),
            columns: Vec::new(),
            headers: header.iter().map(|h| h.to_string()).collect(),
            cut_long_cells,
            truncated: Vec::new(),
        };
        w.start_sheet(sheet_name.to_string())?;
        Ok(w)
    }

    /// Sets the most rows a sheet holds, its header included (at least 2 with a header, 1
    /// without; at most [`MAX_ROWS`]), for tests of the sheet split. Call it before any row.
    #[doc(hidden)]
    pub fn with_row_limit(mut self, limit: u32) -> Self {
        let least = if self.headers.is_empty() { 1 } else { 2 };
        self.row_limit = limit.clamp(least, MAX_ROWS);
        self
    }

    /// Starts the next sheet: its part in the zip, then its header row.
    fn start_sheet(&mut self, name: String) -> Result<()> {
        validate_sheet_name(&name)?;
        self.sheets.push(name);
        self.zip.start(&parts::sheet_part(self.sheets.len()))?;
        self.buf = parts::sheet_start(!self.headers.is_empty());
        self.rows = 0;
        if !self.headers.is_empty() {
            let header = self.headers.clone();
            let cells: Vec<Cell<'_>> = header.iter().map(|h| Cell::Text(h)).collect();
            self.row(&cells, Some(STYLE_HEADER))?;
        }
        Ok(())
    }

    /// Ends the current sheet's part.
    fn end_sheet(&mut self) -> Result<()> {
        self.buf.push_str(parts::SHEET_END);
        self.zip.write(self.buf.as_bytes());
        self.buf = String::new();
        self.zip.end()
    }

    /// The cells cut so far, in the order written.
    pub fn truncated(&self) -> &[TruncatedCell] {
        &self.truncated
    }

    /// Appends a row; when the current sheet is full, on a new sheet.
    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        if self.rows >= self.row_limit {
            let n = self.sheets.len() + 1;
            let name = continued_name(&self.sheets[0], n, &self.sheets);
            // Where the row will be: after the new sheet's header.
            let row = if self.headers.is_empty() { 1 } else { 2 };
            self.check(cells, &name, row)?;
            self.end_sheet()?;
            self.start_sheet(name)?;
        }
        self.row(cells, None)
    }

    /// The name a cut or refused cell reports for the current sheet: empty on the first.
    fn sheet_label(&self) -> String {
        match self.sheets.len() {
            0 | 1 => String::new(),
            _ => self.sheets.last().cloned().unwrap_or_default(),
        }
    }

    /// Refuses a row that no sheet can hold before a sheet is ended for it: the row would be
    /// row `row` of sheet `sheet`.
    fn check(&self, cells: &[Cell<'_>], sheet: &str, row: u32) -> Result<()> {
        if cells.len() > MAX_COLUMNS {
            return Err(RecordsError::TooLarge(format!(
                "a row has {} cells; a sheet holds at most {MAX_COLUMNS} columns",
                cells.len()
            )));
        }
        if self.cut_long_cells {
            return Ok(());
        }
        for (i, cell) in cells.iter().enumerate() {
            let (Cell::Text(t) | Cell::Id(t)) = *cell else {
                continue;
            };
            if let Some(length) = over_limit(t) {
                return Err(RecordsError::CellTooLong {
                    sheet: sheet.to_string(),
                    row,
                    column: column_name(i),
                    header: self.headers.get(i).cloned().unwrap_or_default(),
                    length,
                });
            }
        }
        Ok(())
    }

    fn row(&mut self, cells: &[Cell<'_>], style: Option<u8>) -> Result<()> {
        debug_assert!(self.rows < self.row_limit);
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
        self.long_cells(cells, r)?;
        self.rows = r;
        let b = &mut self.buf;
        let _ = write!(b, r#"<row r="{r}">"#);
        for (i, cell) in cells.iter().enumerate() {
            let s = match (style, cell) {
                (Some(s), _) => s,
                (None, Cell::Id(_)) => STYLE_TEXT,
                _ => 0,
            };
            cell_xml(b, &self.columns[i], r, s, *cell);
        }
        b.push_str("</row>");
        if self.buf.len() >= CHUNK {
            self.zip.write(self.buf.as_bytes());
            self.buf.clear();
        }
        Ok(())
    }

    /// The text cells of row `r` too long for `.xlsx`: an error, or (cutting long cells)
    /// each noted as cut.
    fn long_cells(&mut self, cells: &[Cell<'_>], r: u32) -> Result<()> {
        for (i, cell) in cells.iter().enumerate() {
            let (Cell::Text(t) | Cell::Id(t)) = *cell else {
                continue;
            };
            let Some(length) = over_limit(t) else {
                continue;
            };
            let (column, header) = (self.columns[i].clone(), self.headers.get(i));
            let header = header.cloned().unwrap_or_default();
            let sheet = self.sheet_label();
            if !self.cut_long_cells {
                return Err(RecordsError::CellTooLong {
                    sheet,
                    row: r,
                    column,
                    header,
                    length,
                });
            }
            self.truncated.push(TruncatedCell {
                sheet,
                row: r,
                column,
                header,
                length,
            });
        }
        Ok(())
    }

    /// Rows written on the current sheet (the last of [`XlsxWriter::sheets`]), its header
    /// included. A sheet holds at most [`MAX_ROWS`]; the next row starts a new sheet.
    pub fn rows(&self) -> u32 {
        self.rows
    }

    /// The names of the sheets so far, in order: the name given, then `"<name> (2)"`…
    pub fn sheets(&self) -> &[String] {
        &self.sheets
    }

    /// The file's bytes ready so far (may be empty), handed out once: every piece taken,
    /// then what [`XlsxWriter::finish`] returns, make the whole file.
    pub fn take(&mut self) -> Vec<u8> {
        self.zip.take()
    }

    /// The bytes this writer holds for the file until the next take: bounded by the sheet
    /// XML chunk and what was deflated since the last take, not by the rows written.
    #[doc(hidden)]
    pub fn held_bytes(&self) -> usize {
        self.zip.held_bytes() + self.buf.capacity()
    }

    /// Ends the last sheet, writes the parts that list the sheets and the zip's directory,
    /// and returns the `.xlsx` bytes not taken yet (the whole file if nothing was taken).
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.end_sheet()?;
        let n = self.sheets.len();
        self.zip
            .add("xl/workbook.xml", parts::workbook(&self.sheets).as_bytes())?;
        let rels = parts::workbook_rels(n);
        self.zip
            .add("xl/_rels/workbook.xml.rels", rels.as_bytes())?;
        self.zip
            .add("[Content_Types].xml", parts::content_types(n).as_bytes())?;
        self.zip.finish()
    }
}
