//! Reading an import sheet: an `.xlsx` workbook (a zip: its first bytes are `PK`) or CSV
//! (UTF-8, BOM optional, delimiter detected). What comes out is the rows a spreadsheet shows:
//! numbered from 1 as it numbers them, each cell text, a number as written, or an error
//! value. Blank rows are left out (their numbers are skipped, not reused).

mod csv;
mod xlsx;
mod xml;
mod zip;

pub use csv::DELIMITERS;

/// One cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell, as the file writes it (`1985`, `2.5`, `1E+21`).
    Number(String),
    /// An error value (`#N/A`, `#REF!`).
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) | Cell::Number(s) => s.is_empty(),
            Cell::Error(_) => false,
        }
    }
}

/// A row that is not blank: its number (1-based, as a spreadsheet shows it) and its cells by
/// column (0 = `A`); cells past the last one given are empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

/// What a sheet was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv { delimiter: char },
}

/// A sheet read: its format and its rows that are not blank, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub format: Format,
    pub rows: Vec<Row>,
}

/// Reads `bytes` as an `.xlsx` workbook when they start with `PK` (a zip), else as CSV.
pub fn read(bytes: &[u8]) -> Result<Sheet, String> {
    if bytes.starts_with(b"PK") {
        return Ok(Sheet {
            format: Format::Xlsx,
            rows: xlsx::read(bytes)?,
        });
    }
    let (delimiter, rows) = csv::read(bytes)?;
    Ok(Sheet {
        format: Format::Csv { delimiter },
        rows,
    })
}

/// Column letters of a 0-based column: 0 → `A`, 26 → `AA`.
pub fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    /// The package's own import sheet, `.xlsx` (deflated, with data descriptors) and CSV,
    /// reads back cell for cell.
    #[test]
    fn reads_the_packages_import_sheet_in_both_formats() {
        use cube_records::{import_sheet, ImportSheetOptions, LongCells, Record, SheetFormat};
        let records: Vec<Record> = serde_json::from_value(serde_json::json!([
            {"crm__customer_id": "000417", "crm__standard_info__name": "Åse Ødegård",
             "crm__standard_info__phone_1": "+4791234567", "crm__standard_info__email": "",
             "crm__custom_info__65": "0150", "crm__custom_info__67": 1985},
            {"crm__customer_id": "100418", "crm__standard_info__name": "Per \"Pelle\" Æsøy, jr.",
             "crm__standard_info__phone_1": "912 34 567", "crm__standard_info__email": "per@example.no",
             "crm__custom_info__65": "", "crm__custom_info__67": "=1+1"}
        ]))
        .unwrap();
        let header = ["Customer ID", "Name", "Phone 1", "Email"]
            .into_iter()
            .chain(["crm__custom_info__65", "crm__custom_info__67"]);
        let t = |s: &str| Cell::Text(s.into());
        for format in [SheetFormat::Xlsx, SheetFormat::Csv] {
            let options = ImportSheetOptions {
                format,
                formula_guard: false,
                ..ImportSheetOptions::default()
            };
            let bytes = import_sheet(&records, &options, None, LongCells::Refuse).unwrap();
            let sheet = read(&bytes).unwrap();
            let (number, empty) = match format {
                SheetFormat::Xlsx => (Cell::Number("1985".into()), Cell::Empty),
                SheetFormat::Csv => (t("1985"), t("")),
            };
            assert_eq!(sheet.rows.len(), 3, "{format:?}");
            assert_eq!(
                sheet.rows[0].cells,
                header.clone().map(t).collect::<Vec<_>>()
            );
            let first = &sheet.rows[1].cells;
            assert_eq!(
                first[..3],
                [t("000417"), t("Åse Ødegård"), t("+4791234567")]
            );
            assert_eq!(first[3], empty, "{format:?}");
            assert_eq!(first[4..], [t("0150"), number]);
            let second = &sheet.rows[2];
            assert_eq!(
                (second.number, second.cell(1)),
                (3, &t("Per \"Pelle\" Æsøy, jr."))
            );
            assert_eq!(second.cell(5), &t("=1+1"));
        }
    }

    #[test]
    fn the_format_is_told_by_the_first_bytes() {
        let csv = read("a;b\n1;2\n".as_bytes()).unwrap();
        assert_eq!(csv.format, Format::Csv { delimiter: ';' });
        let not_a_zip = read(b"PK but no zip").unwrap_err();
        assert!(not_a_zip.contains(".xlsx"), "{not_a_zip}");
    }
}
