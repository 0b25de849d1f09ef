//! Reading a CRM's CSV export (with the `csv` crate): the other end of the round trip, where
//! records come from another system on their way to Cube's Excel import.
//!
//! * UTF-8, with or without a byte-order mark (the BOM is dropped). Other encodings are
//!   refused with the line of the first bad byte: guessing Latin-1 would turn `æøå` into
//!   something else without a word.
//! * The delimiter is given or detected: of `,`, `;`, tab and `|`, the one that splits the
//!   header and the first rows (read as CSV, quotes respected) into the same number of fields,
//!   more than one (the most fields wins; ties go to that order); failing that, the one that
//!   splits the header into the most fields. A file of one column reads with `,`. Detection
//!   reads leniently: a quoting mistake does not sway it, and the read then reports it.
//! * The first row is the header: every column needs a name, and no name twice (Cube maps
//!   import columns by header).
//! * Every value stays text, exactly as written: `000417`, `+47 912 34 567` and `0150` are
//!   not numbers. Blank lines are skipped; a row with another number of fields than the
//!   header is an error naming its line.
//! * Quoting must be well formed (checked before the read, with the delimiter in use). A
//!   quoted field that is never closed is an error naming the line and column where its
//!   quote opens (the `csv` crate alone would read the rest of the file into that one cell
//!   and say nothing); text after a closing quote (`"ab"c,`) is an error naming its line and
//!   column. Columns are 1-based fields, named by their header below the header row.
//! * A quote inside a field that does not start with one (`5" screen`) is kept as text, as
//!   Excel and Python's `csv` read it: refusing it would refuse real exports, and it cannot
//!   shift a delimiter or a line end the way an unbalanced quoted field does.

use crate::csv::delimiter_byte;
use crate::csv_quotes::{check_quotes, QuoteError, QuoteProblem};
use crate::error::{quote, RecordsError, Result};
use crate::Record;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The delimiters a CSV export may use, in the order detection prefers them.
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// How many rows after the header detection looks at.
const SNIFF_ROWS: usize = 20;

/// Options of [`read_csv`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CsvReadOptions {
    /// `,`, `;`, tab or `|`; `None` detects it.
    pub delimiter: Option<char>,
}

/// A CSV file read: its delimiter, header and rows of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsvTable {
    /// The delimiter used (given or detected).
    pub delimiter: char,
    /// The header row.
    pub headers: Vec<String>,
    /// The data rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// The rows as records: header → value, every value a JSON string.
    pub fn records(&self) -> Vec<Record> {
        self.rows
            .iter()
            .map(|row| {
                self.headers
                    .iter()
                    .zip(row)
                    .map(|(h, v)| (h.clone(), Value::String(v.clone())))
                    .collect()
            })
            .collect()
    }
}

fn csv_error(reason: impl Into<String>) -> RecordsError {
    RecordsError::InvalidCsv(reason.into())
}

fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The delimiter that splits the header and the first rows into equal numbers of fields,
/// more than one; failing that, the one that splits the header into the most fields (the
/// read then names the first row that does not fit); failing that, `,`.
fn detect(text: &str) -> char {
    // (consistent, fields in the header) per delimiter; the best is the largest.
    let mut best: Option<((bool, usize), char)> = None;
    for d in DELIMITERS {
        let mut rows = reader(text, d as u8);
        let mut counts = rows
            .records()
            .take(SNIFF_ROWS + 1)
            .map_while(|r| r.ok())
            .filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .map(|r| r.len());
        let Some(first) = counts.next() else { continue };
        if first < 2 {
            continue;
        }
        let score = (counts.all(|n| n == first), first);
        let better = match best {
            None => true,
            Some((s, _)) => score > s,
        };
        if better {
            best = Some((score, d));
        }
    }
    best.map_or(',', |(_, d)| d)
}

/// The 1-based line of byte `offset` in `bytes`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The message of a quoting problem, its column named by the header when the problem is in a
/// later row (the header row itself is then well formed).
fn quote_message(e: QuoteError, text: &str, delimiter: u8) -> String {
    let header = if e.in_header {
        None
    } else {
        reader(text, delimiter)
            .into_records()
            .next()
            .and_then(|r| r.ok())
            .and_then(|r| r.get(e.field - 1).map(|h| h.trim().to_string()))
            .filter(|h| !h.is_empty())
    };
    let named = header.map_or(String::new(), |h| format!(" ({h})"));
    let what = match e.problem {
        QuoteProblem::Unclosed => {
            "a quoted field is never closed (the quote opens here and the file ends inside it)"
        }
        QuoteProblem::TextAfterQuote => {
            "text follows the closing quote of a quoted field (a quote inside a quoted field \
             is written twice: \"\")"
        }
    };
    format!("line {}, column {}{named}: {what}", e.line, e.field)
}

/// Every header named, none twice.
fn check_headers(headers: &[String]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(csv_error(format!(
                "column {} of the header row has no name; every column needs one",
                i + 1
            )));
        }
        if !seen.insert(h.as_str()) {
            return Err(csv_error(format!(
                "the header {} appears twice; Cube maps import columns by header",
                quote(h)
            )));
        }
    }
    Ok(())
}

/// The line of the record the reader put at byte `at` of `text`. The reader's own line count
/// lags behind on CRLF files: this counts from the offset.
fn line_at(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let skip = bytes[at.min(bytes.len())..]
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    line_of(bytes, at) + skip
}

/// Reads CSV `bytes` (see the module documentation).
pub fn read_csv(bytes: &[u8], options: &CsvReadOptions) -> Result<CsvTable> {
    let body = bytes.strip_prefix(crate::csv::BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        csv_error(format!(
            "the file is not UTF-8 (line {}): save it as UTF-8 (\"CSV UTF-8\" in Excel) and try again",
            line_of(body, e.valid_up_to())
        ))
    })?;
    let delimiter = match options.delimiter {
        Some(d) => d,
        None => detect(text),
    };
    let d = delimiter_byte(delimiter)?;
    check_quotes(text.as_bytes(), d).map_err(|e| csv_error(quote_message(e, text, d)))?;
    let mut rows = reader(text, d).into_records();
    let headers: Vec<String> = match rows.next() {
        None => return Err(csv_error("the file is empty: it needs a header row")),
        Some(Err(e)) => return Err(csv_error(format!("the header row: {e}"))),
        Some(Ok(r)) => r.iter().map(|h| h.trim().to_string()).collect(),
    };
    check_headers(&headers)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(|e| csv_error(e.to_string()))?;
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        if row.len() != headers.len() {
            let line = row
                .position()
                .map_or(0, |p| line_at(text, p.byte() as usize));
            return Err(csv_error(format!(
                "line {line} has {} fields, the header {} (delimiter {})",
                row.len(),
                headers.len(),
                quote(&delimiter.to_string())
            )));
        }
        out.push(row.iter().map(str::to_string).collect());
    }
    Ok(CsvTable {
        delimiter,
        headers,
        rows: out,
    })
}
