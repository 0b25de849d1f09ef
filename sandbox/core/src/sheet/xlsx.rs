//! The one sheet of an `.xlsx` workbook, as rows of cells: what the package's `importSheet()`
//! writes (inline strings, numbers, booleans; a deflated zip with data descriptors) and what
//! Excel or LibreOffice save (shared strings, rich-text runs, formulas with their cached
//! values, namespace prefixes). Styles are not read: a date Excel stores as a number stays
//! that number.

use super::xml::{attr, decode, find, tokens, Token};
use super::zip::Archive;
use super::{Cell, Row};

/// Excel's column limit.
const MAX_COLUMNS: usize = 16_384;

fn part(zip: &Archive<'_>, name: &str) -> Result<Option<String>, String> {
    match zip.read(name)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| format!("{name} in the .xlsx file is not UTF-8")),
    }
}

pub fn read(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let zip = Archive::open(bytes)?;
    let workbook = part(&zip, "xl/workbook.xml")?
        .ok_or("the .xlsx file has no xl/workbook.xml: it is a zip, but not a workbook")?;
    let sheets = sheets(&workbook)?;
    let (_, rel) = match sheets.as_slice() {
        [] => return Err("the workbook has no sheet".into()),
        [one] => one,
        more => {
            let names: Vec<&str> = more.iter().map(|(n, _)| n.as_str()).collect();
            return Err(format!(
                "the workbook has {} sheets ({}); the import reads one: keep only the sheet of customers",
                more.len(),
                names.join(", ")
            ));
        }
    };
    let rels = part(&zip, "xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let sheet_path =
        target(&rels, |id, _| id == rel).unwrap_or_else(|| "xl/worksheets/sheet1.xml".to_string());
    let strings_path = target(&rels, |_, kind| kind.ends_with("/sharedStrings"))
        .unwrap_or_else(|| "xl/sharedStrings.xml".to_string());
    let shared = match part(&zip, &strings_path)? {
        Some(xml) => shared_strings(&xml)?,
        None => Vec::new(),
    };
    let xml = part(&zip, &sheet_path)?
        .ok_or_else(|| format!("the .xlsx file has no {sheet_path}, its sheet"))?;
    sheet_rows(&xml, &shared)
}

/// `(name, relationship id)` of every sheet, in the workbook's order.
fn sheets(workbook: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for token in tokens(workbook) {
        if let Token::Start {
            name: "sheet",
            attrs,
            ..
        } = token?
        {
            out.push((
                attr(attrs, "name").unwrap_or_default(),
                attr(attrs, "id").unwrap_or_default(),
            ));
        }
    }
    Ok(out)
}

/// The zip path of the first relationship `wanted(id, type)` picks (targets are relative to
/// `xl/`, or absolute).
fn target(rels: &str, wanted: impl Fn(&str, &str) -> bool) -> Option<String> {
    tokens(rels).map_while(Result::ok).find_map(|t| match t {
        Token::Start {
            name: "Relationship",
            attrs,
            ..
        } => {
            let id = attr(attrs, "Id").unwrap_or_default();
            let kind = attr(attrs, "Type").unwrap_or_default();
            let target = attr(attrs, "Target")?;
            wanted(&id, &kind).then(|| match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            })
        }
        _ => None,
    })
}

/// OOXML's escapes of characters XML cannot hold, `_xHHHH_`, decoded (`_x005F_` is `_`).
fn unescape(s: String) -> String {
    if find(&s, "_x").is_none() {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(at) = find(rest, "_x") {
        out.push_str(&rest[..at]);
        let code = rest
            .get(at + 2..at + 7)
            .filter(|e| e.ends_with('_'))
            .and_then(|e| u32::from_str_radix(&e[..4], 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &rest[at + 7..];
            }
            None => {
                out.push_str("_x");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collects the text of `<t>` elements, leaving out phonetic runs (`<rPh>`): the text of a
/// shared string (`<si>`) or an inline one (`<is>`).
#[derive(Default)]
struct Runs {
    text: String,
    in_t: bool,
    in_phonetic: u32,
}

impl Runs {
    /// Takes the token if it is part of a string's runs.
    fn take(&mut self, token: Token<'_>) {
        match token {
            Token::Start {
                name: "rPh",
                empty: false,
                ..
            } => self.in_phonetic += 1,
            Token::End { name: "rPh" } => self.in_phonetic = self.in_phonetic.saturating_sub(1),
            Token::Start {
                name: "t", empty, ..
            } => self.in_t = !empty && self.in_phonetic == 0,
            Token::End { name: "t" } => self.in_t = false,
            Token::Text(s) if self.in_t => self.text.push_str(&decode(s)),
            Token::CData(s) if self.in_t => self.text.push_str(s),
            _ => {}
        }
    }

    fn finish(&mut self) -> String {
        self.in_t = false;
        self.in_phonetic = 0;
        unescape(std::mem::take(&mut self.text))
    }
}

fn shared_strings(xml: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut runs = Runs::default();
    for token in tokens(xml) {
        match token? {
            Token::Start {
                name: "si",
                empty: true,
                ..
            } => out.push(String::new()),
            Token::End { name: "si" } => out.push(runs.finish()),
            other => runs.take(other),
        }
    }
    Ok(out)
}

/// The 0-based column of a cell reference (`B7` → 1).
fn column_of(reference: &str) -> Option<usize> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .try_fold(0usize, |n, b| {
            (n < MAX_COLUMNS).then(|| n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize)
        })?;
    letters.checked_sub(1)
}

/// The cell being read: its column, type (`t`), value (`<v>`) and inline string.
struct Open {
    column: usize,
    kind: String,
    value: String,
    in_v: bool,
    inline: Runs,
}

fn sheet_rows(xml: &str, shared: &[String]) -> Result<Vec<Row>, String> {
    let mut reader = SheetReader {
        shared,
        rows: Vec::new(),
        number: 0,
        cells: Vec::new(),
        next_column: 0,
        open: None,
    };
    for token in tokens(xml) {
        reader.take(token?)?;
    }
    Ok(reader.rows)
}

/// The rows of a sheet read so far, and the row and the cell being read.
struct SheetReader<'s> {
    shared: &'s [String],
    rows: Vec<Row>,
    /// The row being read (its `r`, else the one after the last).
    number: u32,
    cells: Vec<Cell>,
    /// The column of a cell without a reference.
    next_column: usize,
    open: Option<Open>,
}

impl SheetReader<'_> {
    fn take(&mut self, token: Token<'_>) -> Result<(), String> {
        if let Some(cell) = self.open.as_mut() {
            match token {
                Token::End { name: "c" } => self.end_cell()?,
                Token::Start {
                    name: "v", empty, ..
                } => cell.in_v = !empty,
                Token::End { name: "v" } => cell.in_v = false,
                Token::Text(s) if cell.in_v => cell.value.push_str(&decode(s)),
                Token::CData(s) if cell.in_v => cell.value.push_str(s),
                other => cell.inline.take(other),
            }
            return Ok(());
        }
        match token {
            Token::Start {
                name: "row",
                attrs,
                empty,
            } => {
                self.number = attr(attrs, "r")
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(self.number + 1);
                self.cells.clear();
                self.next_column = 0;
                if empty {
                    self.finish_row();
                }
            }
            Token::End { name: "row" } => self.finish_row(),
            Token::Start {
                name: "c",
                attrs,
                empty,
            } => self.start_cell(attrs, empty)?,
            _ => {}
        }
        Ok(())
    }

    /// Keeps the row read unless all its cells are empty.
    fn finish_row(&mut self) {
        if self.cells.iter().any(|c| !c.is_empty()) {
            self.rows.push(Row {
                number: self.number,
                cells: std::mem::take(&mut self.cells),
            });
        }
        self.cells.clear();
    }

    fn start_cell(&mut self, attrs: &str, empty: bool) -> Result<(), String> {
        let number = self.number;
        let column = match attr(attrs, "r") {
            Some(r) => column_of(&r).ok_or_else(|| {
                format!("row {number}: a cell reference {r:?} the sandbox cannot read")
            })?,
            None => self.next_column,
        };
        if column >= MAX_COLUMNS {
            return Err(format!("row {number}: a cell past Excel's last column"));
        }
        self.next_column = column + 1;
        if !empty {
            self.open = Some(Open {
                column,
                kind: attr(attrs, "t").unwrap_or_default(),
                value: String::new(),
                in_v: false,
                inline: Runs::default(),
            });
        }
        Ok(())
    }

    fn end_cell(&mut self) -> Result<(), String> {
        let cell = self.open.take().expect("a cell is open");
        let column = cell.column;
        let value = cell_value(cell, self.shared)?;
        if self.cells.len() <= column {
            self.cells.resize(column + 1, Cell::Empty);
        }
        self.cells[column] = value;
        self.next_column = column + 1;
        Ok(())
    }
}

fn cell_value(mut cell: Open, shared: &[String]) -> Result<Cell, String> {
    let value = cell.value;
    Ok(match cell.kind.as_str() {
        "inlineStr" => Cell::Text(cell.inline.finish()),
        _ if value.is_empty() => Cell::Empty,
        "s" => {
            let index: usize = value
                .trim()
                .parse()
                .map_err(|_| format!("a shared-string index {value:?} the sandbox cannot read"))?;
            let text = shared.get(index).ok_or_else(|| {
                format!(
                    "the .xlsx file is damaged (shared string {index} of {})",
                    shared.len()
                )
            })?;
            Cell::Text(text.clone())
        }
        "str" | "d" => Cell::Text(unescape(value)),
        "b" => Cell::Text(if value.trim() == "1" { "true" } else { "false" }.into()),
        "e" => Cell::Error(value),
        _ => Cell::Number(value.trim().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::zip::tests::stored_zip;
    use super::*;

    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kunder" sheetId="1" r:id="rId3"/></sheets></workbook>"#;
    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/kunder.xml"/></Relationships>"#;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A workbook as Excel saves one: shared strings (one in rich-text runs with a phonetic
    /// run, one with an escape), a prefixed namespace, a formula's cached value, a boolean, an
    /// error, cells without references, a blank row.
    #[test]
    fn reads_a_workbook_as_excel_saves_it() {
        let strings = r#"<sst xmlns="…" count="4" uniqueCount="4"><si><t>Customer ID</t></si><si><t xml:space="preserve">Åse </t></si><si><r><rPr><b/></rPr><t>Øde</t></r><r><t>gård</t></r><rPh><t>ignored</t></rPh></si><si><t>tab_x0009_here_x005F_x0041_</t></si></sst>"#;
        let sheet = r#"<x:worksheet xmlns:x="main"><x:sheetData>
            <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>Notes</x:t></x:is></x:c></x:row>
            <x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c><x:v>1985</x:v></x:c></x:row>
            <x:row r="3"/>
            <x:row r="4"><x:c r="B4" t="str"><x:f>A2&amp;"x"</x:f><x:v>Åse x</x:v></x:c><x:c r="C4" t="b"><x:v>1</x:v></x:c><x:c r="D4" t="e"><x:v>#N/A</x:v></x:c><x:c r="E4" s="2"/></x:row>
            <x:row r="5"><x:c r="A5" t="s"><x:v>3</x:v></x:c></x:row>
        </x:sheetData></x:worksheet>"#;
        let zip = stored_zip(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
            ("xl/sharedStrings.xml", strings),
            ("xl/worksheets/kunder.xml", sheet),
        ]);
        let rows = read(&zip).unwrap();
        let numbers: Vec<u32> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 4, 5]);
        assert_eq!(
            rows[0].cells,
            [text("Customer ID"), Cell::Empty, text("Notes")]
        );
        assert_eq!(
            rows[1].cells,
            [text("Åse "), text("Ødegård"), Cell::Number("1985".into())]
        );
        assert_eq!(
            rows[2].cells,
            [
                Cell::Empty,
                text("Åse x"),
                text("true"),
                Cell::Error("#N/A".into())
            ]
        );
        assert_eq!(rows[3].cells, [text("tab\there_x0041_")]);
    }

    #[test]
    fn a_workbook_of_two_sheets_is_refused_naming_them() {
        let workbook = WORKBOOK.replace(
            "</sheets>",
            r#"<sheet name="Notater" sheetId="2" r:id="rId4"/></sheets>"#,
        );
        let zip = stored_zip(&[("xl/workbook.xml", &workbook)]);
        let e = read(&zip).unwrap_err();
        assert!(e.contains("2 sheets (Kunder, Notater)"), "{e}");
    }

    #[test]
    fn a_zip_that_is_no_workbook_is_refused() {
        let e = read(&stored_zip(&[("a.txt", "x")])).unwrap_err();
        assert!(e.contains("not a workbook"), "{e}");
    }

    #[test]
    fn cell_references() {
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(column_of("XFD1"), Some(16_383));
        assert_eq!(column_of("12"), None);
    }
}
