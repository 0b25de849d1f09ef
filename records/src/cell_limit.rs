//! The `.xlsx` cell limit: Excel holds at most 32,767 characters in a cell, and what the
//! writers do with longer text — refuse it (the default: the write fails, naming the cell)
//! or cut it and say so, one [`TruncatedCell`] per cut cell, for the caller to report.
//!
//! Characters are counted as Excel and JS count them: UTF-16 code units (a JS string's
//! `length`), so a character outside the Basic Multilingual Plane (most emoji) counts twice.
//! A cut never splits a character.

use crate::error::thousands;
use std::fmt;

/// Excel's limit on characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// What an `.xlsx` writer does with a text cell longer than [`MAX_CELL_CHARS`].
#[derive(Debug, Default)]
pub enum LongCells<'a> {
    /// The write fails with [`crate::RecordsError::CellTooLong`] (the default).
    #[default]
    Refuse,
    /// The cell is cut to [`MAX_CELL_CHARS`] and noted here.
    Cut(&'a mut Vec<TruncatedCell>),
}

/// A text cell cut to [`MAX_CELL_CHARS`] (warning code `cell_truncated`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruncatedCell {
    /// The sheet's name when it is not the workbook's first sheet (a sheet that went past
    /// Excel's row limit continues on another: see [`crate::xlsx`]); empty on the first.
    pub sheet: String,
    /// The row, 1-based as its sheet shows it (the header is row 1).
    pub row: u32,
    /// The column's letters (`F`).
    pub column: String,
    /// The column's header (empty when the sheet has none).
    pub header: String,
    /// The cell's length before the cut, in UTF-16 code units.
    pub length: usize,
}

impl TruncatedCell {
    /// The code the JS layer gives this warning.
    pub const CODE: &'static str = "cell_truncated";
}

/// `row 12, column F (Notes)`, or `row 12, column F` without a header; `sheet "Changes (2)",
/// row 12, …` on a sheet after the first.
pub(crate) fn cell_name(sheet: &str, row: u32, column: &str, header: &str) -> String {
    let mut name = String::new();
    if !sheet.is_empty() {
        name = format!("sheet {}, ", crate::error::quote(sheet));
    }
    name.push_str(&format!("row {row}, column {column}"));
    if !header.is_empty() {
        name.push_str(&format!(" ({header})"));
    }
    name
}

impl fmt::Display for TruncatedCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} characters cut to {} (the most an .xlsx cell holds)",
            cell_name(&self.sheet, self.row, &self.column, &self.header),
            thousands(self.length),
            thousands(MAX_CELL_CHARS)
        )
    }
}

/// The length of `text` in UTF-16 code units when it is over [`MAX_CELL_CHARS`].
#[cfg(feature = "xlsx")]
pub(crate) fn over_limit(text: &str) -> Option<usize> {
    // A UTF-16 code unit never takes fewer UTF-8 bytes: short text needs no count.
    if text.len() <= MAX_CELL_CHARS {
        return None;
    }
    let length = text.encode_utf16().count();
    (length > MAX_CELL_CHARS).then_some(length)
}

/// `text` cut to at most [`MAX_CELL_CHARS`] UTF-16 code units, at a character boundary.
#[cfg(feature = "xlsx")]
pub(crate) fn fit(text: &str) -> &str {
    if text.len() <= MAX_CELL_CHARS {
        return text;
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "xlsx")]
    #[test]
    fn counts_and_cuts_in_utf16_units() {
        let a = "a".repeat(MAX_CELL_CHARS);
        assert_eq!(over_limit(&a), None);
        assert_eq!(fit(&a), a);
        let a1 = format!("{a}b");
        assert_eq!(over_limit(&a1), Some(MAX_CELL_CHARS + 1));
        assert_eq!(fit(&a1), a);
        // 3-byte characters: 32,767 of them are well over the byte count, not over the limit.
        let ae = "æ".repeat(MAX_CELL_CHARS);
        assert_eq!((over_limit(&ae), fit(&ae).len()), (None, ae.len()));
        // An emoji is two units: it is not split, the cut falls before it.
        let emoji = format!("{}😀", "a".repeat(MAX_CELL_CHARS - 1));
        assert_eq!(over_limit(&emoji), Some(MAX_CELL_CHARS + 1));
        assert_eq!(fit(&emoji), "a".repeat(MAX_CELL_CHARS - 1));
    }

    #[test]
    fn the_warning_names_the_cell() {
        let mut cut = TruncatedCell {
            sheet: String::new(),
            row: 12,
            column: "F".into(),
            header: "Notes".into(),
            length: 40_000,
        };
        assert_eq!(
            cut.to_string(),
            "row 12, column F (Notes): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)"
        );
        cut.sheet = "Changes (2)".into();
        assert_eq!(
            cut.to_string(),
            "sheet \"Changes (2)\", row 12, column F (Notes): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)"
        );
    }
}
