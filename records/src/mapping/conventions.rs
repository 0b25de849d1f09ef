//! A CRM's file conventions (`file` in a mapping) and date formats.
//!
//! How the CRM's importer reads a file: its delimiter, whether it wants a byte-order mark,
//! its date format, what a cell says to leave a field as it is (`unchanged`, usually an
//! empty cell) and what clears it (`clear`: Salesforce's Bulk API reads `#N/A`; `null` when
//! the CRM's import cannot clear a field, and such clears are then listed in the summary,
//! never written as something else).

use crate::error::{quote, RecordsError, Result};

/// The `file` member of a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileConventions {
    /// `,` (default), `;`, tab or `|`.
    pub delimiter: char,
    /// Start a CSV file with a UTF-8 byte-order mark (default `false`).
    pub bom: bool,
    /// The text encoding: `utf-8` (the only one written).
    pub encoding: String,
    /// How the CRM writes and reads dates (default `YYYY-MM-DD`).
    pub date_format: DateFormat,
    /// What a cell holds to leave the field as it is (default `""`).
    pub unchanged: String,
    /// What a cell holds to clear the field; `None`: the import cannot clear one.
    pub clear: Option<String>,
    /// Keep columns no row changes (default `false`: they are left out of the updates file).
    pub keep_unchanged_columns: bool,
    /// CSV: prefix cells a spreadsheet would evaluate with `'` (default `true`); E.164 phone
    /// numbers in phone columns are never prefixed (see [`super::update_file`]).
    pub formula_guard: bool,
}

impl Default for FileConventions {
    fn default() -> Self {
        FileConventions {
            delimiter: ',',
            bom: false,
            encoding: "utf-8".into(),
            date_format: DateFormat::iso(),
            unchanged: String::new(),
            clear: None,
            keep_unchanged_columns: false,
            formula_guard: true,
        }
    }
}

/// One piece of a date format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Year,
    /// Month, two digits when `true`.
    Month(bool),
    /// Day, two digits when `true`.
    Day(bool),
    Literal(char),
}

/// A date format of `YYYY`, `MM` / `M` (month, with or without a leading zero), `DD` / `D`
/// and literal characters: `YYYY-MM-DD`, `DD.MM.YYYY`, `MM/DD/YYYY`, `D.M.YYYY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    text: String,
    pieces: Vec<Piece>,
}

impl DateFormat {
    /// `YYYY-MM-DD`: Cube's own.
    pub fn iso() -> Self {
        DateFormat::parse("YYYY-MM-DD", "dateFormat").expect("a valid format")
    }

    /// Reads a format; each of year, month and day exactly once.
    pub fn parse(text: &str, path: &str) -> Result<Self> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let (piece, len) = if rest.starts_with("YYYY") {
                (Piece::Year, 4)
            } else if rest.starts_with("MM") {
                (Piece::Month(true), 2)
            } else if rest.starts_with('M') {
                (Piece::Month(false), 1)
            } else if rest.starts_with("DD") {
                (Piece::Day(true), 2)
            } else if rest.starts_with('D') {
                (Piece::Day(false), 1)
            } else {
                let ch = rest.chars().next().expect("not empty");
                if ch.is_ascii_alphanumeric() {
                    return Err(RecordsError::mapping(
                        path,
                        format!(
                            "{} has {}, which is not YYYY, MM, M, DD or D (nor a separator)",
                            quote(text),
                            quote(&ch.to_string())
                        ),
                    ));
                }
                (Piece::Literal(ch), ch.len_utf8())
            };
            pieces.push(piece);
            rest = &rest[len..];
        }
        let count = |f: fn(&Piece) -> bool| pieces.iter().filter(|p| f(p)).count();
        let ok = count(|p| matches!(p, Piece::Year)) == 1
            && count(|p| matches!(p, Piece::Month(_))) == 1
            && count(|p| matches!(p, Piece::Day(_))) == 1;
        if !ok {
            return Err(RecordsError::mapping(
                path,
                format!(
                    "{} must have the year (YYYY), the month (MM or M) and the day (DD or D), \
                     each once",
                    quote(text)
                ),
            ));
        }
        Ok(DateFormat {
            text: text.to_string(),
            pieces,
        })
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `(year, month, day)` of `text` in this format, if it is one and a real date.
    pub fn read(&self, text: &str) -> Option<(u32, u32, u32)> {
        let b = text.trim().as_bytes();
        let mut at = 0;
        let (mut y, mut m, mut d) = (0, 0, 0);
        let digits = |at: &mut usize, min: usize, max: usize| -> Option<u32> {
            let start = *at;
            while *at < b.len() && *at - start < max && b[*at].is_ascii_digit() {
                *at += 1;
            }
            if *at - start < min {
                return None;
            }
            std::str::from_utf8(&b[start..*at]).ok()?.parse().ok()
        };
        for p in &self.pieces {
            match *p {
                Piece::Year => y = digits(&mut at, 4, 4)?,
                Piece::Month(two) => m = digits(&mut at, if two { 2 } else { 1 }, 2)?,
                Piece::Day(two) => d = digits(&mut at, if two { 2 } else { 1 }, 2)?,
                Piece::Literal(ch) => {
                    let mut buf = [0; 4];
                    let lit = ch.encode_utf8(&mut buf).as_bytes();
                    if !b[at..].starts_with(lit) {
                        return None;
                    }
                    at += lit.len();
                }
            }
        }
        let exists = cube_dates::Date::from_ymd(i64::from(y), m, d).is_some();
        (at == b.len() && exists).then_some((y, m, d))
    }

    /// A date in this format.
    pub fn write(&self, (y, m, d): (u32, u32, u32)) -> String {
        let mut out = String::with_capacity(self.text.len());
        for p in &self.pieces {
            match *p {
                Piece::Year => out.push_str(&format!("{y:04}")),
                Piece::Month(true) => out.push_str(&format!("{m:02}")),
                Piece::Month(false) => out.push_str(&m.to_string()),
                Piece::Day(true) => out.push_str(&format!("{d:02}")),
                Piece::Day(false) => out.push_str(&d.to_string()),
                Piece::Literal(ch) => out.push(ch),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_and_write_dates() {
        let no = DateFormat::parse("DD.MM.YYYY", "p").unwrap();
        assert_eq!(no.read("05.03.2024"), Some((2024, 3, 5)));
        assert_eq!(no.read("5.3.2024"), None, "two digits are asked for");
        assert_eq!(no.write((2024, 3, 5)), "05.03.2024");
        let us = DateFormat::parse("M/D/YYYY", "p").unwrap();
        assert_eq!(us.read("3/5/2024"), Some((2024, 3, 5)));
        assert_eq!(us.read("03/05/2024"), Some((2024, 3, 5)));
        assert_eq!(us.write((2024, 3, 5)), "3/5/2024");
        let iso = DateFormat::iso();
        assert_eq!(iso.read(" 2024-02-29 "), Some((2024, 2, 29)));
        assert_eq!(iso.read("2023-02-29"), None);
        assert_eq!(iso.read("2024-13-01"), None);
        assert_eq!(iso.read("2024-03-05T10:00"), None);
        assert_eq!(iso.read("not a date"), None);
    }

    #[test]
    fn bad_formats_name_the_path() {
        for bad in ["YYYY-MM", "DD.MM.YY", "YYYY-MM-DD hh", "YYYY-MM-DD-DD"] {
            let e = DateFormat::parse(bad, "mapping.file.dateFormat").unwrap_err();
            assert!(
                e.to_string().starts_with("mapping.file.dateFormat: "),
                "{bad}: {e}"
            );
        }
    }
}
