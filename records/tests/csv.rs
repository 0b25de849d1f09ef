//! CSV export read back with a small RFC 4180 reader.

mod common;
use common::recs;

use cube_records::{to_csv, Column, CsvOptions, Labels, Record};
use serde_json::{json, Value};

/// A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF rows.
fn read_csv(bytes: &[u8], delimiter: char) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else if c == '"' {
            assert!(field.is_empty(), "quote inside an unquoted field");
            quoted = true;
        } else if c == delimiter {
            row.push(std::mem::take(&mut field));
        } else if c == '\r' {
            assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            assert_ne!(c, '\n', "bare LF outside quotes");
            field.push(c);
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "input must end with CRLF"
    );
    rows
}

fn records() -> Vec<Record> {
    let v = json!([
        {"crm__customer_id": "007", "crm__standard_info__name": "Åse Ødegård-Æsøy",
         "crm__standard_info__phone_1": "+47 22 33 44 55", "crm__custom_info__64": "Storgata 1; 3. etg"},
        {"crm__customer_id": 233, "crm__standard_info__name": "Ola \"Nordmann\", jr.",
         "crm__standard_info__phone_1": "", "crm__custom_info__64": "line 1\r\nline 2\nline 3"},
        {"crm__customer_id": "9", "crm__standard_info__name": null, "extra": true, "num": 1.5}
    ]);
    recs(v)
}

#[test]
fn round_trip_default() {
    let recs = records();
    // The exact round trip needs the formula guard off: "+47 …" is a cell it guards.
    let exact = CsvOptions {
        formula_guard: false,
        ..CsvOptions::default()
    };
    let out = to_csv(&recs, &exact, None).unwrap();
    assert!(!out.starts_with(b"\xEF\xBB\xBF"));
    let rows = read_csv(&out, ',');
    assert_eq!(
        rows[0],
        [
            "crm__customer_id",
            "crm__standard_info__name",
            "crm__standard_info__phone_1",
            "crm__custom_info__64",
            "extra",
            "num"
        ]
    );
    assert_eq!(rows.len(), 4);
    for (row, rec) in rows[1..].iter().zip(&recs) {
        for (cell, key) in row.iter().zip(&rows[0]) {
            let want = match rec.get(key) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            };
            assert_eq!(*cell, want, "{key}");
        }
    }
    assert_eq!(rows[1][0], "007");
    assert_eq!(rows[2][3], "line 1\r\nline 2\nline 3");
}

#[test]
fn nordic_excel_bom_semicolon_and_columns() {
    let recs = records();
    let labels = Labels::from_pairs([("crm__custom_info__64", "Adresse")]);
    let opts = CsvOptions {
        delimiter: ';',
        bom: true,
        columns: Some(vec![
            Column::new("crm__customer_id", "Kunde-ID"),
            Column {
                field: "Adresse".into(),
                header: None,
            },
            Column::new("crm__standard_info__name", "Navn"),
        ]),
        formula_guard: true,
    };
    let out = to_csv(&recs, &opts, Some(&labels)).unwrap();
    assert!(out.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&out[3..]).unwrap();
    assert!(text
        .starts_with("Kunde-ID;Adresse;Navn\r\n007;\"Storgata 1; 3. etg\";Åse Ødegård-Æsøy\r\n"));
    let rows = read_csv(&out[3..], ';');
    assert_eq!(
        rows[2],
        ["233", "line 1\r\nline 2\nline 3", "Ola \"Nordmann\", jr."]
    );
    assert_eq!(rows[3], ["9", "", ""]);
}

#[test]
fn errors_name_the_problem() {
    let recs = records();
    let opts = CsvOptions {
        delimiter: 'x',
        ..CsvOptions::default()
    };
    let e = to_csv(&recs, &opts, None).unwrap_err();
    assert!(e.to_string().contains("delimiter"), "{e}");
    let opts = CsvOptions {
        columns: Some(vec![Column::new("crm__nope", "Nope")]),
        ..CsvOptions::default()
    };
    let e = to_csv(&recs, &opts, None).unwrap_err();
    assert!(e.to_string().contains("crm__nope"), "{e}");
    assert_eq!(e.code(), "invalid_argument");
}

#[test]
fn empty_input_gives_header_only() {
    let opts = CsvOptions {
        columns: Some(vec![Column::new("a", "A")]),
        ..CsvOptions::default()
    };
    assert_eq!(to_csv::<Record>(&[], &opts, None).unwrap(), b"A\r\n");
    assert_eq!(
        to_csv::<Record>(&[], &CsvOptions::default(), None).unwrap(),
        b"\r\n"
    );
}

#[test]
fn formula_guard_is_on_by_default_and_follows_owasp() {
    let v = json!([
        {"id": "000417", "phone": "+4791234567", "f": "=1+1", "minus": "-2+3+cmd|' /C calc'!A0",
         "at": "@SUM(A1)", "tab": "\tx", "cr": "\rx", "plain": "Oslo", "inner": "a=b", "num": -5},
        {"id": "000042", "phone": "", "f": "=HYPERLINK(\"http://x\";\"y\")", "minus": "", "at": "",
         "tab": "", "cr": "", "plain": "", "inner": "", "num": 7}
    ]);
    let recs = recs(v);
    let guarded = to_csv(&recs, &CsvOptions::default(), None).unwrap();
    let rows = read_csv(&guarded, ',');
    assert_eq!(
        rows[1],
        [
            "000417",
            "'+4791234567",
            "'=1+1",
            "'-2+3+cmd|' /C calc'!A0",
            "'@SUM(A1)",
            "'\tx",
            "'\rx",
            "Oslo",
            "a=b",
            "'-5"
        ]
    );
    assert_eq!(rows[2][2], "'=HYPERLINK(\"http://x\";\"y\")");
    assert_eq!(rows[2][9], "7");
    // The opt-out writes the cells exactly.
    let off = CsvOptions {
        formula_guard: false,
        ..CsvOptions::default()
    };
    let rows = read_csv(&to_csv(&recs, &off, None).unwrap(), ',');
    assert_eq!(rows[1][1], "+4791234567");
    assert_eq!(rows[1][2], "=1+1");
    assert_eq!(rows[1][9], "-5");
}
