//! The changes report: one row per changed field, change-log fields as columns.

#![cfg(feature = "xlsx")]

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::{
    change_rows, change_sheet, diff, ChangeSheetOptions, ChangesInput, DiffOptions, Labels,
    LongCells, SheetFormat,
};
use serde_json::{json, Value};
use std::io::Cursor;

/// Yesterday's and today's records: 1 has a new phone 1 and a custom field edited (plus the
/// change log), 2 changed only its change log, 3 is new, 4 is gone.
fn changes() -> ChangesInput {
    let before = common::recs(json!([
        {"crm__customer_id": "1", "crm__standard_info__name": "Åse", "crm__standard_info__phone_1": "+4791234567",
         "crm__custom_info__64": "000417", "crm__change_log__updated": "2024-03-01",
         "crm__change_log__updated_by": "import@acme.no", "crm__change_log__update_method": "Import new"},
        {"crm__customer_id": "2", "crm__standard_info__name": "Per", "crm__change_log__updated": "2024-03-01"},
        {"crm__customer_id": "4", "crm__standard_info__name": "Gone", "crm__change_log__updated": "2024-02-01",
         "crm__change_log__updated_by": "kari@acme.no"},
    ]));
    let after = common::recs(json!([
        {"crm__customer_id": "1", "crm__standard_info__name": "Åse", "crm__standard_info__phone_1": "+4745500000",
         "crm__custom_info__64": "000418", "crm__change_log__updated": "2024-03-05",
         "crm__change_log__updated_by": "kari@acme.no", "crm__change_log__update_method": "Manual update"},
        {"crm__customer_id": "2", "crm__standard_info__name": "Per", "crm__change_log__updated": "2024-03-05"},
        {"crm__customer_id": "3", "crm__standard_info__name": "Ny", "crm__change_log__updated": "2024-03-05",
         "crm__change_log__update_method": "Import new"},
    ]));
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap()
}

fn labels() -> Labels {
    Labels::from_custom_fields(&json!([
        {"id": 64, "key": "Postal code", "type": "text", "lookup__id": "crm__custom_info__64"}
    ]))
    .unwrap()
}

fn cell(row: &serde_json::Map<String, Value>, k: &str) -> String {
    row[k].as_str().unwrap().to_string()
}

#[test]
fn one_row_per_changed_field_and_one_per_added_or_removed_customer() {
    let rows = change_rows(&changes(), Some(&labels()), &ChangeSheetOptions::default());
    let summary: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                "change",
                "customerId",
                "label",
                "before",
                "after",
                "updatedBy",
            ]
            .map(|k| cell(r, k))
        })
        .collect();
    let want: Vec<[&str; 6]> = vec![
        [
            "changed",
            "1",
            "Phone 1",
            "+4791234567",
            "+4745500000",
            "kari@acme.no",
        ],
        [
            "changed",
            "1",
            "Postal code",
            "000417",
            "000418",
            "kari@acme.no",
        ],
        ["added", "3", "", "", "", ""],
        ["removed", "4", "", "", "", "kari@acme.no"],
    ];
    assert_eq!(summary.len(), want.len(), "{summary:?}");
    for (got, want) in summary.iter().zip(&want) {
        assert_eq!(got.clone(), want.map(str::to_string));
    }
    // Who, when and how come from the record after the change.
    assert_eq!(cell(&rows[0], "updated"), "2024-03-05");
    assert_eq!(cell(&rows[0], "updateMethod"), "Manual update");
    assert_eq!(cell(&rows[1], "field"), "crm__custom_info__64");
    assert_eq!(cell(&rows[2], "name"), "Ny");
}

#[test]
fn ignored_fields_make_no_rows_and_labels_fall_back_to_the_key() {
    let options = ChangeSheetOptions {
        ignore_fields: vec!["crm__standard_info__phone_1".into()],
        ..Default::default()
    };
    let rows = change_rows(&changes(), None, &options);
    let changed: Vec<_> = rows.iter().filter(|r| r["change"] == "changed").collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(cell(changed[0], "label"), "crm__custom_info__64");
}

#[test]
fn the_xlsx_keeps_every_value_as_typed_text() {
    let bytes = change_sheet(
        &changes(),
        Some(&labels()),
        &ChangeSheetOptions::default(),
        LongCells::Refuse,
    )
    .unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("Changes").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let s = |v: &str| Data::String(v.into());
    assert_eq!(
        rows[0][..6],
        [
            s("Change"),
            s("Customer ID"),
            s("Name"),
            s("Field"),
            s("Before"),
            s("After")
        ]
    );
    assert_eq!(rows[2][4], s("000417"));
    assert_eq!(rows[1][5], s("+4745500000"));
    assert_eq!(rows.len(), 5);
}

#[test]
fn the_csv_has_a_bom_and_the_same_rows() {
    let options = ChangeSheetOptions {
        format: SheetFormat::Csv,
        ..Default::default()
    };
    let bytes = change_sheet(&changes(), None, &options, LongCells::Refuse).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("Change,Customer ID,Name,Field,Before,After"));
    assert!(lines[3].starts_with("added,3,Ny,"));
}

#[test]
fn unknown_options_are_refused() {
    let err = serde_json::from_str::<ChangeSheetOptions>(r#"{"ignoreField": []}"#).unwrap_err();
    assert!(err.to_string().contains("ignoreField"), "{err}");
}
