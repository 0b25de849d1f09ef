//! CSV as the package writes it and `readCsv` reads it: UTF-8 (a BOM dropped), RFC 4180
//! quoting, rows ending in CRLF, LF or CR, and the delimiter detected the same way — of `,`,
//! `;`, tab and `|`, the one that splits the header and the first rows into the same number of
//! fields, more than one (the most fields wins; ties go to that order); failing that, the one
//! that splits the header into the most fields; failing that, `,`.
//!
//! Every value is text. A quoted field that never closes, or text after a closing quote, is
//! an error naming its line; a quote inside a field that does not start with one (`5" screen`)
//! is kept as text. Rows are numbered as a spreadsheet shows the file: one a record, blank
//! lines counted.

use super::{Cell, Row};

/// The delimiters a CSV may use, in the order detection prefers them.
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// How many rows after the header detection looks at.
const SNIFF_ROWS: usize = 20;

const BOM: &str = "\u{FEFF}";

/// Splits `text` into records with `delimiter` (an ASCII byte: quotes, delimiters and line
/// ends are ASCII, which no byte of a multi-byte UTF-8 character is, so the text is cut at
/// character boundaries). `strict`: a quoting mistake is an error (else the field is read on
/// as well as it goes, for detection). At most `limit` records.
fn records(
    text: &str,
    delimiter: u8,
    strict: bool,
    limit: usize,
) -> Result<Vec<Vec<String>>, String> {
    let mut scanner = Scanner {
        text,
        delimiter,
        strict,
        i: 0,
        line: 1,
    };
    let mut out = Vec::new();
    while scanner.i < text.len() && out.len() < limit {
        out.push(scanner.record()?);
    }
    Ok(out)
}

/// Where [`records`] is in its text: the byte `i`, on the line `line`.
struct Scanner<'t> {
    text: &'t str,
    delimiter: u8,
    strict: bool,
    i: usize,
    line: usize,
}

impl Scanner<'_> {
    /// The fields of the record at `i`; `i` moves past its line end.
    fn record(&mut self) -> Result<Vec<String>, String> {
        let b = self.text.as_bytes();
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if b.get(self.i) == Some(&b'"') {
                self.quoted(&mut field, fields.len() + 1)?;
            }
            // The rest of the field (all of it, when unquoted).
            let from = self.i;
            while self.i < b.len()
                && !matches!(b[self.i], b'\r' | b'\n')
                && b[self.i] != self.delimiter
            {
                self.i += 1;
            }
            field.push_str(&self.text[from..self.i]);
            fields.push(field);
            match b.get(self.i) {
                Some(&c) if c == self.delimiter => self.i += 1,
                Some(&c) => {
                    self.i += if c == b'\r' && b.get(self.i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    self.line += 1;
                    return Ok(fields);
                }
                None => return Ok(fields),
            }
        }
    }

    /// The quoted field at `i` (the `column`th of its record) into `field`; `i` moves past
    /// its closing quote.
    fn quoted(&mut self, field: &mut String, column: usize) -> Result<(), String> {
        let (text, b) = (self.text, self.text.as_bytes());
        let opened = self.line;
        self.i += 1;
        let mut from = self.i;
        loop {
            match b.get(self.i) {
                None if self.strict => {
                    return Err(format!(
                        "line {opened}, column {column}: a quoted field is never closed (the quote opens here and the file ends inside it)"
                    ))
                }
                None => {
                    field.push_str(&text[from..]);
                    break;
                }
                Some(b'"') => {
                    field.push_str(&text[from..self.i]);
                    self.i += 1;
                    if b.get(self.i) != Some(&b'"') {
                        break;
                    }
                    from = self.i;
                }
                Some(&c) => {
                    if c == b'\n' || (c == b'\r' && b.get(self.i + 1) != Some(&b'\n')) {
                        self.line += 1;
                    }
                }
            }
            self.i += 1;
        }
        let after = b.get(self.i).copied();
        if self.strict
            && !matches!(after, None | Some(b'\r' | b'\n'))
            && after != Some(self.delimiter)
        {
            return Err(format!(
                "line {}, column {column}: text follows the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")",
                self.line
            ));
        }
        Ok(())
    }
}

/// The delimiter of `text` (see the module documentation).
fn detect(text: &str) -> char {
    let mut best: Option<((bool, usize), char)> = None;
    for d in DELIMITERS {
        let Ok(rows) = records(text, d as u8, false, SNIFF_ROWS + 1) else {
            continue;
        };
        let mut counts = rows
            .iter()
            .filter(|r| !(r.len() == 1 && r[0].is_empty()))
            .map(Vec::len);
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

/// Reads CSV `bytes`: the delimiter used and the rows that are not blank.
pub fn read(bytes: &[u8]) -> Result<(char, Vec<Row>), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        format!(
            "the sheet is neither an .xlsx workbook nor UTF-8 CSV (line {line} is not UTF-8): save it as .xlsx or as \"CSV UTF-8\""
        )
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let delimiter = detect(text);
    let rows = records(text, delimiter as u8, true, usize::MAX)?
        .into_iter()
        .enumerate()
        .filter(|(_, fields)| fields.iter().any(|f| !f.is_empty()))
        .map(|(i, fields)| Row {
            number: i as u32 + 1,
            cells: fields.into_iter().map(Cell::Text).collect(),
        })
        .collect();
    Ok((delimiter, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<&str> {
        row.cells
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.as_str(),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn reads_what_the_package_writes() {
        let csv = "\u{FEFF}Customer ID,Name,Phone 1,Notes\r\n000417,Åse Ødegård,'+4791234567,\"Ring, \"\"etter\"\" 16\r\nny linje\"\r\n\r\n000420,Per,,5\" skjerm\r\n";
        let (d, rows) = read(csv.as_bytes()).unwrap();
        assert_eq!(d, ',');
        assert_eq!(rows.len(), 3);
        assert_eq!(texts(&rows[0]), ["Customer ID", "Name", "Phone 1", "Notes"]);
        assert_eq!(
            texts(&rows[1]),
            [
                "000417",
                "Åse Ødegård",
                "'+4791234567",
                "Ring, \"etter\" 16\r\nny linje"
            ]
        );
        // The blank line is row 3 of the file: the next record is row 4.
        assert_eq!(rows[2].number, 4);
        assert_eq!(texts(&rows[2]), ["000420", "Per", "", "5\" skjerm"]);
    }

    #[test]
    fn detects_the_delimiter_like_read_csv() {
        for d in DELIMITERS {
            let csv = format!("a{d}b{d}c\n1{d}2{d}3\n");
            assert_eq!(read(csv.as_bytes()).unwrap().0, d);
        }
        // Commas inside the values of a semicolon file.
        assert_eq!(read(b"a;b\n1,5;2,5\n3,1;4\n").unwrap().0, ';');
        // One column reads with a comma.
        assert_eq!(read(b"Customer ID\n1\n").unwrap().0, ',');
        // Quoted delimiters do not count.
        assert_eq!(read(b"a;b\n\"x,y,z\";2\n").unwrap().0, ';');
    }

    #[test]
    fn ends_of_fields_and_files() {
        // A quoted field at the very end, no line end after it; CR-only line ends; an empty
        // last field.
        let (_, rows) = read(b"a,b,c\r1,\"x\"\"\",\r2,,\"\"").unwrap();
        let all: Vec<Vec<&str>> = rows.iter().map(texts).collect();
        assert_eq!(
            all,
            [vec!["a", "b", "c"], vec!["1", "x\"", ""], vec!["2", "", ""]]
        );
        assert_eq!(rows[2].number, 3);
    }

    #[test]
    fn quoting_mistakes_name_their_line() {
        let e = read(b"a,b\n1,\"open\n2,3\n").unwrap_err();
        assert!(
            e.starts_with("line 2, column 2: a quoted field is never closed"),
            "{e}"
        );
        let e = read(b"a,b\n1,\"ab\"c\n").unwrap_err();
        assert!(e.starts_with("line 2, column 2: text follows"), "{e}");
        let e = read(b"a,b\n1,\xF8\n").unwrap_err();
        assert!(e.contains("line 2 is not UTF-8"), "{e}");
    }
}
