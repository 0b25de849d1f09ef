//! Import sheets for Cube's Excel import.

#![cfg(feature = "xlsx")]

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::{
    import_sheet, Column, ImportSheetOptions, Labels, LongCells, Record, SheetFormat,
};
use serde_json::{json, Value};
use std::io::Cursor;

fn recs() -> Vec<Record> {
    common::recs(json!([
        {"crm__customer_id": "007", "crm__standard_info__name": "Åse Ødegård",
         "crm__standard_info__phone_1": "004790000000", "crm__standard_info__email": "ase@example.no",
         "crm__change_log__updated": "2024-03-05", "crm__custom_info__64": "Storgata 1",
         "crm__custom_info__65": 12},
        {"crm__customer_id": 100, "crm__standard_info__name": "Per",
         "crm__standard_info__phone_1": "", "crm__standard_info__email": "",
         "crm__change_log__updated": "2024-03-05", "crm__custom_info__64": "",
         "crm__custom_info__65": ""}
    ]))
}

fn sheet(bytes: Vec<u8>, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    wb.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect()
}

fn s(v: &str) -> Data {
    Data::String(v.into())
}

#[test]
fn default_mapping_with_labels() {
    let labels = Labels::from_custom_fields(&json!([
        {"id": 65, "key": "Antall", "lookup__id": "crm__custom_info__65"},
        {"id": 64, "key": "Gate", "lookup__id": "crm__custom_info__64"}
    ]))
    .unwrap();
    let bytes = import_sheet(
        &recs(),
        &ImportSheetOptions::default(),
        Some(&labels),
        LongCells::Refuse,
    )
    .unwrap();
    let rows = sheet(bytes, "Customers");
    assert_eq!(
        rows[0],
        [
            s("Customer ID"),
            s("Name"),
            s("Phone 1"),
            s("Email"),
            s("Antall"),
            s("Gate")
        ]
    );
    assert_eq!(
        rows[1],
        [
            s("007"),
            s("Åse Ødegård"),
            s("004790000000"),
            s("ase@example.no"),
            Data::Float(12.0),
            s("Storgata 1")
        ]
    );
    assert_eq!(rows[2][0], s("100"), "numeric ids are written as text");
    assert_eq!(rows.len(), 3);
}

#[test]
fn explicit_mapping_to_csv() {
    let opts = ImportSheetOptions {
        columns: vec![
            Column::new("crm__customer_id", "Kundenr"),
            Column::new("crm__custom_info__64", "Adresse"),
        ],
        format: SheetFormat::Csv,
        delimiter: ';',
        ..ImportSheetOptions::default()
    };
    let bytes = import_sheet(&recs(), &opts, None, LongCells::Refuse).unwrap();
    assert_eq!(
        bytes,
        "\u{feff}Kundenr;Adresse\r\n007;Storgata 1\r\n100;\r\n".as_bytes()
    );
}

#[test]
fn mapping_errors() {
    let opts = ImportSheetOptions {
        columns: vec![
            Column::new("crm__customer_id", "X"),
            Column::new("crm__standard_info__name", "X"),
        ],
        ..ImportSheetOptions::default()
    };
    let e = import_sheet(&recs(), &opts, None, LongCells::Refuse).unwrap_err();
    assert!(e.to_string().contains("\"X\""), "{e}");
    let opts = ImportSheetOptions {
        columns: vec![Column::new("Postnummer", "Postnr")],
        ..ImportSheetOptions::default()
    };
    let e = import_sheet(&recs(), &opts, None, LongCells::Refuse).unwrap_err();
    assert!(e.to_string().contains("Postnummer"), "{e}");
}

#[test]
fn options_from_json() {
    let o: ImportSheetOptions = serde_json::from_value(json!({
        "columns": [{"field": "crm__customer_id", "header": "ID"}],
        "format": "csv",
        "bom": false
    }))
    .unwrap();
    assert_eq!(o.format, SheetFormat::Csv);
    let bytes = import_sheet(&recs(), &o, None, LongCells::Refuse).unwrap();
    assert_eq!(bytes, b"ID\r\n007\r\n100\r\n");
    let _: Value = json!(null);
}
