//! The changes report written as the changes arrive ([`ReportWriter`]): the pieces taken
//! make the file `change_sheet` writes for the same changes, in bounded memory.

#![cfg(feature = "xlsx")]

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::change_sheet::{ChangedInput, FieldInput, COLUMNS};
use cube_records::{
    change_rows, change_sheet, to_csv, to_xlsx, ChangeSheetOptions, ChangesInput, Column,
    CsvOptions, FieldChange, Labels, LongCells, Record, ReportFormat, ReportWriter, SheetFormat,
    XlsxOptions, MAX_CELL_CHARS,
};
use serde_json::{json, Value};
use std::io::Cursor;

fn rec(v: Value) -> Record {
    v.as_object().unwrap().clone()
}

/// `n` changed customers (a phone, a custom field, an ignored field and the change log
/// each; one with a note too long for a cell), `n / 2` added, `n / 3` removed; a formula-like
/// value and a `;` for the CSV.
fn changes(n: usize) -> ChangesInput {
    let who = |i: usize, day: u32| {
        json!({"crm__change_log__updated": format!("2024-03-{day:02}"),
               "crm__change_log__updated_by": format!("user{i}@acme.no"),
               "crm__change_log__update_method": "Manual update"})
    };
    let changed = (0..n)
        .map(|i| {
            let mut before = rec(json!({"crm__customer_id": format!("{i:06}"),
                "crm__standard_info__name": format!("Kunde {i} æøå"),
                "crm__standard_info__phone_1": "+4791234567", "crm__custom_info__64": "000417"}));
            let mut after = before.clone();
            before.extend(rec(who(i, 1)));
            after.extend(rec(who(i, 5)));
            let note = if i == 7 {
                "n".repeat(MAX_CELL_CHARS + 10)
            } else {
                format!("=note {i}; ok")
            };
            let fields = [
                (
                    "crm__standard_info__phone_1",
                    json!("+4791234567"),
                    json!(format!("+47455{i:05}")),
                ),
                ("crm__custom_info__64", json!("000417"), json!(i)),
                ("crm__custom_info__65", Value::Null, json!(note)),
                (
                    "crm__custom_info__99",
                    json!("ignored"),
                    json!("still ignored"),
                ),
                (
                    "crm__change_log__updated",
                    json!("2024-03-01"),
                    json!("2024-03-05"),
                ),
            ];
            ChangedInput {
                key: format!("{i:06}"),
                before,
                after,
                fields: fields
                    .into_iter()
                    .map(|(field, before, after)| FieldInput {
                        field: field.into(),
                        before,
                        after,
                    })
                    .collect(),
            }
        })
        .collect();
    let added = (0..n / 2)
        .map(|i| {
            let mut r =
                rec(json!({"crm__customer_id": format!("A{i}"), "crm__standard_info__name": "Ny"}));
            r.extend(rec(who(i, 6)));
            r
        })
        .collect();
    let removed = (0..n / 3)
        .map(|i| {
            rec(json!({"crm__customer_id": format!("R{i}"), "crm__standard_info__name": "Borte"}))
        })
        .collect();
    ChangesInput {
        added,
        removed,
        changed,
        ..ChangesInput::default()
    }
}

fn labels() -> Labels {
    Labels::from_custom_fields(&json!([
        {"id": 64, "key": "Postal code", "type": "text", "lookup__id": "crm__custom_info__64"}
    ]))
    .unwrap()
}

fn options(format: SheetFormat) -> ChangeSheetOptions {
    ChangeSheetOptions {
        ignore_fields: vec!["crm__custom_info__99".into()],
        format,
        delimiter: Some(';'),
        ..Default::default()
    }
}

/// The changes fed to a report writer, a piece taken after every `every` customers.
fn streamed(
    changes: &ChangesInput,
    options: &ChangeSheetOptions,
    format: ReportFormat,
    cut: bool,
    every: usize,
) -> (Vec<u8>, ReportWriter) {
    let mut w = ReportWriter::new(options, Some(labels()), format, cut).unwrap();
    let mut out = w.take();
    let mut fed = 0;
    let mut fed_one = |w: &mut ReportWriter, out: &mut Vec<u8>| {
        fed += 1;
        if fed % every == 0 {
            out.extend(w.take());
        }
    };
    for c in &changes.changed {
        let fields: Vec<FieldChange> = c
            .fields
            .iter()
            .map(|f| FieldChange {
                field: f.field.clone(),
                before: f.before.clone(),
                after: f.after.clone(),
            })
            .collect();
        w.changed(&c.key, &c.before, &c.after, &fields).unwrap();
        fed_one(&mut w, &mut out);
    }
    for a in &changes.added {
        w.added(a).unwrap();
        fed_one(&mut w, &mut out);
    }
    for r in &changes.removed {
        w.removed(r).unwrap();
        fed_one(&mut w, &mut out);
    }
    (out, w)
}

fn finished(out: Vec<u8>, w: ReportWriter) -> Vec<u8> {
    let mut out = out;
    out.extend(w.finish().unwrap());
    out
}

fn report_columns() -> Vec<Column> {
    COLUMNS.iter().map(|(k, h)| Column::new(*k, *h)).collect()
}

#[test]
fn streamed_xlsx_is_the_file_change_sheet_writes() {
    let changes = changes(500);
    let options = options(SheetFormat::Xlsx);
    let rows = change_rows(&changes, Some(&labels()), &options);
    // 3 reported fields per changed customer (the ignored and change-log ones are not rows).
    assert_eq!(rows.len(), 500 * 3 + 250 + 166);

    // The whole-report path as it was: the rows, then `to_xlsx`, every column text.
    let mut old_cut = Vec::new();
    let xo = XlsxOptions {
        sheet_name: "Changes".into(),
        columns: Some(report_columns()),
        text_fields: COLUMNS.iter().map(|(k, _)| k.to_string()).collect(),
    };
    let old = to_xlsx(&rows, &xo, None, LongCells::Cut(&mut old_cut)).unwrap();
    let mut cut = Vec::new();
    let whole = change_sheet(
        &changes,
        Some(&labels()),
        &options,
        LongCells::Cut(&mut cut),
    )
    .unwrap();
    assert_eq!(whole, old, "change_sheet writes the same bytes as before");
    assert_eq!(cut, old_cut);
    assert_eq!(cut.len(), 1);
    assert_eq!((cut[0].row, cut[0].column.as_str()), (2 + 7 * 3 + 2, "F"));

    let (out, w) = streamed(&changes, &options, ReportFormat::Xlsx, true, 50);
    assert_eq!(w.rows(), rows.len() as u64);
    assert_eq!(w.truncated(), &cut[..]);
    assert!(!out.is_empty(), "pieces came before the finish");
    let bytes = finished(out, w);
    assert_eq!(bytes, whole);

    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet: Vec<Vec<Data>> = wb
        .worksheet_range("Changes")
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect();
    assert_eq!(sheet.len(), rows.len() + 1);
    for (cells, row) in sheet[1..].iter().zip(&rows) {
        for (c, (key, _)) in cells.iter().zip(COLUMNS) {
            let want = row[key].as_str().unwrap();
            let want: String = want.chars().take(MAX_CELL_CHARS).collect();
            match c {
                Data::Empty => assert_eq!(want, ""),
                Data::String(s) => assert_eq!(*s, want),
                other => panic!("{other:?} in {key}"),
            }
        }
    }
}

#[test]
fn streamed_csv_is_the_file_change_sheet_writes() {
    let changes = changes(300);
    let options = options(SheetFormat::Csv);
    let rows = change_rows(&changes, Some(&labels()), &options);
    let co = CsvOptions {
        delimiter: ';',
        bom: true,
        columns: Some(report_columns()),
        formula_guard: true,
    };
    let old = to_csv(&rows, &co, None).unwrap();
    let whole = change_sheet(&changes, Some(&labels()), &options, LongCells::Refuse).unwrap();
    assert_eq!(whole, old, "change_sheet writes the same bytes as before");
    assert!(String::from_utf8_lossy(&whole).contains(";\"'=note 3; ok\";"));

    let (out, w) = streamed(&changes, &options, ReportFormat::Csv, false, 7);
    assert!(
        out.starts_with(b"\xEF\xBB\xBFChange;Customer ID;"),
        "BOM and header first"
    );
    assert_eq!(w.rows(), rows.len() as u64);
    assert!(w.truncated().is_empty());
    assert_eq!(finished(out, w), whole);
}

#[test]
fn streamed_ndjson_is_one_row_object_per_line() {
    let changes = changes(200);
    let options = options(SheetFormat::Xlsx);
    let rows = change_rows(&changes, Some(&labels()), &options);
    let want: String = rows
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect();
    let (out, w) = streamed(&changes, &options, ReportFormat::Ndjson, false, 3);
    assert_eq!(w.rows(), rows.len() as u64);
    let got = String::from_utf8(finished(out, w)).unwrap();
    assert_eq!(got, want);
    let first: Value = serde_json::from_str(got.lines().next().unwrap()).unwrap();
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let columns: Vec<&str> = COLUMNS.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, columns);
    assert_eq!(first["label"], "Phone 1");
}

#[test]
fn options_are_checked_before_anything_is_written() {
    let bad_sheet = ChangeSheetOptions {
        sheet_name: Some("a/b".into()),
        ..Default::default()
    };
    let e = ReportWriter::new(&bad_sheet, None, ReportFormat::Xlsx, false)
        .err()
        .unwrap();
    assert!(e.to_string().contains("sheetName"), "{e}");
    let bad_delimiter = ChangeSheetOptions {
        delimiter: Some('x'),
        ..Default::default()
    };
    let e = ReportWriter::new(&bad_delimiter, None, ReportFormat::Csv, false)
        .err()
        .unwrap();
    assert!(e.to_string().contains("delimiter"), "{e}");
    // A long cell is refused unless cutting was asked for.
    let changes = changes(10);
    let (_, w) = streamed(
        &changes,
        &options(SheetFormat::Xlsx),
        ReportFormat::Xlsx,
        true,
        1,
    );
    assert_eq!(w.truncated().len(), 1);
    let mut w =
        ReportWriter::new(&options(SheetFormat::Xlsx), None, ReportFormat::Xlsx, false).unwrap();
    let c = &changes.changed[7];
    let long = &c.fields[2];
    let field = FieldChange {
        field: long.field.clone(),
        before: long.before.clone(),
        after: long.after.clone(),
    };
    assert!(w.changed(&c.key, &c.before, &c.after, &[field]).is_err());
}

#[test]
fn a_report_taken_from_holds_bounded_memory() {
    const BOUND: usize = 256 * 1024;
    for format in [ReportFormat::Xlsx, ReportFormat::Csv, ReportFormat::Ndjson] {
        let mut w = ReportWriter::new(&ChangeSheetOptions::default(), None, format, false).unwrap();
        let mut total = w.take().len();
        let mut record = rec(
            json!({"crm__customer_id": "", "crm__standard_info__name": "Kunde æøå",
            "crm__change_log__updated": "2024-03-05", "crm__change_log__updated_by": "kari@acme.no"}),
        );
        for i in 0..200_000u32 {
            record["crm__customer_id"] = json!(format!("{i:07}"));
            w.added(&record).unwrap();
            if i % 1000 == 999 {
                total += w.take().len();
                assert!(
                    w.held_bytes() < BOUND,
                    "{format:?} after {i} rows: {}",
                    w.held_bytes()
                );
            }
        }
        assert_eq!(w.rows(), 200_000);
        total += w.finish().unwrap().len();
        assert!(
            total > 4 * BOUND,
            "{format:?}: the file ({total} bytes) is larger than the bound"
        );
    }
}
