//! XLSX export read back with calamine (which decodes OOXML `_xHHHH_` escapes, as Excel
//! and LibreOffice do).

#![cfg(feature = "xlsx")]

mod common;
use common::recs;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::{
    import_sheet, to_xlsx, Column, ImportSheetOptions, Labels, LongCells, Record, RecordsError,
    TruncatedCell, XlsxOptions, MAX_CELL_CHARS,
};
use serde_json::json;
use std::io::Cursor;

fn read(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn s(v: &str) -> Data {
    Data::String(v.to_string())
}

fn records() -> Vec<Record> {
    let v = json!([
        {"crm__customer_id": "007", "crm__standard_info__name": "Åse Ødegård <&> \"Æ\"",
         "crm__standard_info__phone_1": "004722334455", "crm__custom_info__64": 233,
         "crm__custom_info__65": "line\nbreak", "ok": true},
        {"crm__customer_id": 1234, "crm__standard_info__name": "ctl\u{1}char _x0041_",
         "crm__standard_info__phone_1": "", "crm__custom_info__64": 2.5,
         "crm__custom_info__65": "  padded  ", "ok": false}
    ]);
    recs(v)
}

#[test]
fn exact_values_read_back() {
    let bytes = to_xlsx(&records(), &XlsxOptions::default(), None, LongCells::Refuse).unwrap();
    let rows = read(bytes, "Sheet1");
    assert_eq!(
        rows[0],
        [
            s("crm__customer_id"),
            s("crm__standard_info__name"),
            s("crm__standard_info__phone_1"),
            s("crm__custom_info__64"),
            s("crm__custom_info__65"),
            s("ok")
        ]
    );
    assert_eq!(
        rows[1],
        [
            s("007"),
            s("Åse Ødegård <&> \"Æ\""),
            s("004722334455"),
            Data::Float(233.0),
            s("line\nbreak"),
            Data::Bool(true)
        ]
    );
    assert_eq!(
        rows[2],
        [
            s("1234"),
            s("ctl\u{1}char _x0041_"),
            Data::Empty,
            Data::Float(2.5),
            s("  padded  "),
            Data::Bool(false)
        ]
    );
}

#[test]
fn sheet_name_columns_and_labels() {
    let labels = Labels::from_pairs([("crm__custom_info__64", "Beløp")]);
    let opts = XlsxOptions {
        sheet_name: "Kunder æøå".into(),
        columns: Some(vec![
            Column::new("crm__customer_id", "Kunde-ID"),
            Column {
                field: "Beløp".into(),
                header: None,
            },
        ]),
        ..XlsxOptions::default()
    };
    let rows = read(
        to_xlsx(&records(), &opts, Some(&labels), LongCells::Refuse).unwrap(),
        "Kunder æøå",
    );
    assert_eq!(rows[0], [s("Kunde-ID"), s("Beløp")]);
    assert_eq!(rows[1], [s("007"), Data::Float(233.0)]);
    assert_eq!(rows[2], [s("1234"), Data::Float(2.5)]);
}

#[test]
fn bad_sheet_names_are_refused() {
    for name in ["", "a/b", "x".repeat(32).as_str(), "'quoted'", "History"] {
        let opts = XlsxOptions {
            sheet_name: name.into(),
            ..XlsxOptions::default()
        };
        let e = to_xlsx(&records(), &opts, None, LongCells::Refuse).unwrap_err();
        assert!(e.to_string().contains("sheetName"), "{e}");
    }
}

#[test]
fn many_rows_stream() {
    let recs: Vec<Record> = (0..20_000)
        .map(|i| {
            json!({"crm__customer_id": format!("{i:06}"), "n": i, "name": format!("Kunde {i} æøå")})
                .as_object()
                .unwrap()
                .clone()
        })
        .collect();
    let bytes = to_xlsx(&recs, &XlsxOptions::default(), None, LongCells::Refuse).unwrap();
    let rows = read(bytes, "Sheet1");
    assert_eq!(rows.len(), 20_001);
    assert_eq!(
        rows[20_000],
        [s("019999"), Data::Float(19999.0), s("Kunde 19999 æøå")]
    );
}

#[test]
fn streaming_writer_and_limits() {
    use cube_records::{Cell, XlsxWriter};
    let mut w = XlsxWriter::new("Ark 1", &["Id", "Sum", "Ok", "Tom"]).unwrap();
    w.write_row(&[
        Cell::Id("0042"),
        Cell::Number(-1.25),
        Cell::Bool(true),
        Cell::Empty,
    ])
    .unwrap();
    w.write_row(&[Cell::Text("x"), Cell::Number(f64::NAN), Cell::Number(1e21)])
        .unwrap();
    assert_eq!(w.rows(), 3);
    let bytes = w.finish().unwrap();
    let again = {
        let mut w = XlsxWriter::new("Ark 1", &["Id", "Sum", "Ok", "Tom"]).unwrap();
        w.write_row(&[
            Cell::Id("0042"),
            Cell::Number(-1.25),
            Cell::Bool(true),
            Cell::Empty,
        ])
        .unwrap();
        w.write_row(&[Cell::Text("x"), Cell::Number(f64::NAN), Cell::Number(1e21)])
            .unwrap();
        w.finish().unwrap()
    };
    assert_eq!(bytes, again, "output is deterministic");
    let rows = read(bytes, "Ark 1");
    assert_eq!(
        rows[1],
        [s("0042"), Data::Float(-1.25), Data::Bool(true), Data::Empty]
    );
    assert_eq!(
        rows[2],
        [s("x"), Data::Empty, Data::Float(1e21), Data::Empty]
    );

    let mut w = XlsxWriter::new("S", &[]).unwrap();
    let wide = vec![Cell::Empty; cube_records::xlsx::MAX_COLUMNS + 1];
    let e = w.write_row(&wide).unwrap_err();
    assert!(e.to_string().contains("16384"), "{e}");
}

/// The `xl/worksheets/sheet1.xml` of a workbook, as text.
fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip_entries(bytes);
    zip.remove("xl/worksheets/sheet1.xml").expect("a sheet")
}

/// The entries of a zip written by this crate (deflated, no comment), read by its central
/// directory (a streamed entry's local header holds no sizes).
fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
    let end = bytes.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "end of central directory");
    let mut at = u32_at(end + 16);
    while u32_at(at) == 0x0201_4b50 {
        let compressed = u32_at(at + 20);
        let (name_len, extra, comment) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let local = u32_at(at + 42);
        let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let raw = miniz_oxide::inflate::decompress_to_vec(&bytes[data..data + compressed]).unwrap();
        out.insert(name, String::from_utf8(raw).unwrap());
        at += 46 + name_len + extra + comment;
    }
    out
}

#[test]
fn characters_xml_cannot_hold_are_escaped_and_read_back() {
    // Every C0 control but tab and LF (which XML holds), and U+FFFE, U+FFFF; CR is escaped
    // too (an XML reader would turn it into LF).
    let forbidden: Vec<char> = ('\u{0}'..='\u{1F}')
        .filter(|c| !matches!(c, '\t' | '\n'))
        .chain(['\u{FFFE}', '\u{FFFF}'])
        .collect();
    assert_eq!(forbidden.len(), 32);
    let recs: Vec<Record> = forbidden
        .iter()
        .map(|c| json!({"id": format!("{:04X}", *c as u32), "text": format!("a{c}b\r\nc")}))
        .map(|v| v.as_object().unwrap().clone())
        .collect();
    let bytes = to_xlsx(&recs, &XlsxOptions::default(), None, LongCells::Refuse).unwrap();
    let xml = sheet_xml(&bytes);
    for c in &forbidden {
        let escaped = format!("a_x{:04X}_b_x000D_\nc", *c as u32);
        assert!(xml.contains(&escaped), "{escaped} in the sheet XML");
    }
    assert!(
        !xml.chars().any(|c| forbidden.contains(&c)),
        "no raw control character in the XML"
    );
    let rows = read(bytes, "Sheet1");
    for (row, c) in rows[1..].iter().zip(&forbidden) {
        assert_eq!(
            row[1],
            s(&format!("a{c}b\r\nc")),
            "U+{:04X} read back",
            *c as u32
        );
    }
}

/// Ten short rows and one whose `Notes` (column F) holds `notes`: sheet row 12.
fn with_notes(notes: &str) -> Vec<Record> {
    (1..=10)
        .map(|i| format!("note {i}"))
        .chain([notes.to_string()])
        .enumerate()
        .map(|(i, n)| {
            json!({"id": i + 1, "a": "", "b": "", "c": "", "d": "", "Notes": n})
                .as_object()
                .unwrap()
                .clone()
        })
        .collect()
}

#[test]
fn a_cell_over_the_limit_is_refused_naming_its_row_and_column() {
    let e = to_xlsx(
        &with_notes(&"x".repeat(40_000)),
        &XlsxOptions::default(),
        None,
        LongCells::Refuse,
    )
    .unwrap_err();
    assert_eq!(
        e,
        RecordsError::CellTooLong {
            sheet: String::new(),
            row: 12,
            column: "F".into(),
            header: "Notes".into(),
            length: 40_000
        }
    );
    assert_eq!(
        e.to_string(),
        "row 12, column F (Notes): 40,000 characters; an .xlsx cell holds at most 32,767. \
         Write CSV instead, or pass onWarning to cut it"
    );
    // One over is refused; the limit itself is written whole.
    let one_over = "y".repeat(MAX_CELL_CHARS + 1);
    let e = to_xlsx(
        &with_notes(&one_over),
        &XlsxOptions::default(),
        None,
        LongCells::Refuse,
    );
    assert!(
        matches!(e, Err(RecordsError::CellTooLong { length: 32_768, .. })),
        "{e:?}"
    );
    let full = "z".repeat(MAX_CELL_CHARS);
    let bytes = to_xlsx(
        &with_notes(&full),
        &XlsxOptions::default(),
        None,
        LongCells::Refuse,
    )
    .unwrap();
    assert_eq!(read(bytes, "Sheet1")[11][5], s(&full));
    // Ids are text cells too; a column without a header is named by its letter alone.
    let mut w = cube_records::XlsxWriter::new("S", &[]).unwrap();
    let e = w
        .write_row(&[cube_records::Cell::Empty, cube_records::Cell::Id(&one_over)])
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("row 1, column B: 32,768 characters"),
        "{e}"
    );
    assert_eq!(w.rows(), 0, "the refused row is not written");
}

#[test]
fn when_asked_a_long_cell_is_cut_and_reported() {
    let long = format!(
        "{}{}",
        "a".repeat(MAX_CELL_CHARS),
        "b".repeat(40_000 - MAX_CELL_CHARS)
    );
    let mut recs = with_notes(&long);
    recs[3].insert("c".into(), json!("c".repeat(32_768)));
    let mut cut = Vec::new();
    let bytes = to_xlsx(
        &recs,
        &XlsxOptions::default(),
        None,
        LongCells::Cut(&mut cut),
    )
    .unwrap();
    assert_eq!(
        cut,
        [
            TruncatedCell {
                sheet: String::new(),
                row: 5,
                column: "D".into(),
                header: "c".into(),
                length: 32_768
            },
            TruncatedCell {
                sheet: String::new(),
                row: 12,
                column: "F".into(),
                header: "Notes".into(),
                length: 40_000
            }
        ]
    );
    assert_eq!(
        cut[1].to_string(),
        "row 12, column F (Notes): 40,000 characters cut to 32,767 (the most an .xlsx cell holds)"
    );
    let rows = read(bytes, "Sheet1");
    assert_eq!(rows[11][5], s(&"a".repeat(MAX_CELL_CHARS)));
    assert_eq!(rows[4][3], s(&"c".repeat(MAX_CELL_CHARS)));
    assert_eq!(rows[10][5], s("note 10"), "other cells are untouched");

    // The import sheet passes the choice on; so does its header row.
    let header = "h".repeat(MAX_CELL_CHARS + 5);
    let options = ImportSheetOptions {
        columns: vec![Column::new("id", header.as_str())],
        ..ImportSheetOptions::default()
    };
    let e = import_sheet(&recs, &options, None, LongCells::Refuse).unwrap_err();
    assert!(e.to_string().starts_with("row 1, column A ("), "{e}");
    let mut cut = Vec::new();
    let bytes = import_sheet(&recs, &options, None, LongCells::Cut(&mut cut)).unwrap();
    assert_eq!((cut.len(), cut[0].row, cut[0].length), (1, 1, 32_772));
    assert_eq!(
        read(bytes, "Customers")[0][0],
        s(&"h".repeat(MAX_CELL_CHARS))
    );
}
