//! XLSX export read back with calamine.

#![cfg(feature = "xlsx")]

mod common;
use common::recs;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::{to_xlsx, Column, Labels, Record, XlsxOptions};
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
    let bytes = to_xlsx(&records(), &XlsxOptions::default(), None).unwrap();
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
            s("ctlchar _x0041_"),
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
        to_xlsx(&records(), &opts, Some(&labels)).unwrap(),
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
        let e = to_xlsx(&records(), &opts, None).unwrap_err();
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
    let bytes = to_xlsx(&recs, &XlsxOptions::default(), None).unwrap();
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
