//! Reading a CRM's CSV export: BOM, delimiter detection, text values, clear errors; and the
//! import sheet made from it keeps ids, phones and postal codes as text.

use calamine::{Data, Reader, Xlsx};
use cube_records::{
    import_sheet, read_csv, Column, CsvReadOptions, ImportSheetOptions, LongCells, RecordsError,
};
use std::io::Cursor;

const NORDIC: &str = "Kundenr;Navn;Telefon;Postnr;Notat\r\n\
000417;Åse Ødegård;+4791234567;0150;\"Sier \"\"hei\"\"; ring etter 16\"\r\n\
\r\n\
000042;Kjærsti Æsøy;912 34 567;9990;=1+1\r\n";

fn detected(text: &[u8]) -> cube_records::CsvTable {
    read_csv(text, &CsvReadOptions::default()).unwrap()
}

#[test]
fn semicolons_with_quotes_detected_and_values_kept_as_text() {
    let t = detected(NORDIC.as_bytes());
    assert_eq!(t.delimiter, ';');
    assert_eq!(t.headers, ["Kundenr", "Navn", "Telefon", "Postnr", "Notat"]);
    assert_eq!(t.rows.len(), 2, "the blank line is skipped");
    assert_eq!(
        t.rows[0],
        [
            "000417",
            "Åse Ødegård",
            "+4791234567",
            "0150",
            "Sier \"hei\"; ring etter 16"
        ]
    );
    assert_eq!(t.rows[1][4], "=1+1");
    let records = t.records();
    assert_eq!(records[0]["Kundenr"], serde_json::json!("000417"));
}

#[test]
fn a_bom_is_dropped_and_every_delimiter_is_detected() {
    for d in [",", ";", "\t", "|"] {
        let text = format!("\u{feff}id{d}name{d}zip\n007{d}Ola{d}0001\n8{d}Kari{d}9000\n");
        let t = detected(text.as_bytes());
        assert_eq!(t.delimiter.to_string(), d);
        assert_eq!(t.headers[0], "id", "no BOM in the first header ({d:?})");
        assert_eq!(t.rows[0], ["007", "Ola", "0001"]);
    }
    // Commas inside quoted fields do not fool the detection.
    let t = detected(b"a;b\n\"1,2,3\";x\n\"4,5,6\";y\n");
    assert_eq!(t.delimiter, ';');
    // One column: read with ",".
    let t = detected(b"id\n1\n2\n");
    assert_eq!((t.delimiter, t.rows.len()), (',', 2));
}

#[test]
fn a_given_delimiter_wins() {
    let t = read_csv(
        b"a,b;c\n1,2;3\n",
        &CsvReadOptions {
            delimiter: Some(';'),
        },
    )
    .unwrap();
    assert_eq!(t.headers, ["a,b", "c"]);
}

fn err(bytes: &[u8], delimiter: Option<char>) -> RecordsError {
    read_csv(bytes, &CsvReadOptions { delimiter }).unwrap_err()
}

#[test]
fn errors_say_what_is_wrong_and_where() {
    let e = err(b"a;b\n1;2\n3;4;5\n", None);
    assert!(
        matches!(&e, RecordsError::InvalidCsv(m) if m.contains("line 3") && m.contains("3 fields")),
        "{e}"
    );
    let e = err(b"a;b\r\n1;2\r\n\r\n3;4;5\r\n", None);
    assert!(e.to_string().contains("line 4 has 3 fields"), "CRLF: {e}");
    let e = err(b"id;navn\n1;Bj\xf8rn\n", None);
    assert!(e.to_string().contains("not UTF-8 (line 2)"), "{e}");
    assert!(err(b"", None).to_string().contains("empty"));
    assert!(err(b"a;;c\n1;2;3\n", None).to_string().contains("column 2"));
    assert!(err(b"a;a\n1;2\n", None).to_string().contains("\"a\""));
    let e = err(b"a:b\n", Some(':'));
    assert!(
        matches!(
            &e,
            RecordsError::InvalidOption {
                option: "delimiter",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn the_import_sheet_from_a_csv_keeps_every_value_as_text() {
    let t = detected(NORDIC.as_bytes());
    let options = ImportSheetOptions {
        columns: t.headers.iter().map(|h| Column::new(h, h)).collect(),
        text_fields: t.headers.clone(),
        ..ImportSheetOptions::default()
    };
    let bytes = import_sheet(&t.records(), &options, None, LongCells::Refuse).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("Customers").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let s = |v: &str| Data::String(v.into());
    assert_eq!(rows[0][0], s("Kundenr"));
    assert_eq!(
        rows[1][..4],
        [s("000417"), s("Åse Ødegård"), s("+4791234567"), s("0150")]
    );
    assert_eq!(
        rows[2][4],
        s("=1+1"),
        "a formula-looking cell is text in .xlsx"
    );
}

/// The message of a file that must be refused.
fn refused(text: &str) -> String {
    match err(text.as_bytes(), None) {
        RecordsError::InvalidCsv(m) => m,
        other => panic!("not an InvalidCsv: {other}"),
    }
}

const NEVER_CLOSED: &str =
    "a quoted field is never closed (the quote opens here and the file ends inside it)";

#[test]
fn a_quote_that_never_closes_names_the_line_and_column_where_it_opens() {
    // The example: before, one row of 3 columns, the last cell the rest of the file.
    assert_eq!(
        refused("id,name,phone\n1,Ola,\"+47\n2,Kari,+48\n3,Per,+49\n"),
        format!("line 2, column 3 (phone): {NEVER_CLOSED}")
    );
    // In the header row (its columns are not named yet), after a byte-order mark.
    assert_eq!(
        refused("\u{feff}id,\"name,phone\n1,Ola,+47\n"),
        format!("line 1, column 2: {NEVER_CLOSED}")
    );
    // In the first field of a row, with CRLF line ends and a semicolon file (the delimiter
    // is still detected: the column is a `;` field).
    assert_eq!(
        refused("id;name;phone\r\n1;Ola;+47\r\n\"2;Kari;+48\r\n3;Per;+49\r\n"),
        format!("line 3, column 1 (id): {NEVER_CLOSED}")
    );
    // The file ends right after the quote, with or without a line end before it.
    assert_eq!(
        refused("id,name\n1,\""),
        format!("line 2, column 2 (name): {NEVER_CLOSED}")
    );
    assert_eq!(
        refused("id,name\n1,Ola\n\""),
        format!("line 3, column 1 (id): {NEVER_CLOSED}")
    );
    // After quoted fields that hold line breaks, lines are still counted as an editor
    // shows them; blank lines count too.
    assert_eq!(
        refused("id,note\n1,\"two\nlines\"\n\n2,\"three\r\nmore\r\nlines\"\n3,\"open\n4,x\n"),
        format!("line 8, column 2 (note): {NEVER_CLOSED}")
    );
    // Through the error type's own text.
    let e = err(b"id,name\n1,\"x\n", None);
    assert_eq!(
        e.to_string(),
        format!("invalid CSV: line 2, column 2 (name): {NEVER_CLOSED}")
    );
}

#[test]
fn text_after_a_closing_quote_is_refused_where_it_is() {
    let after = "text follows the closing quote of a quoted field (a quote inside a quoted \
                 field is written twice: \"\")";
    assert_eq!(
        refused("id,name,phone\n1,\"ab\"c,+47\n"),
        format!("line 2, column 2 (name): {after}")
    );
    assert_eq!(
        refused("id,note\r\n1,\"a\r\nb\"\r\n2,\"He said \"hi\" to me\"\r\n"),
        format!("line 4, column 2 (note): {after}")
    );
    assert_eq!(
        refused("id,\"name\" x\n1,2\n"),
        format!("line 1, column 2: {after}")
    );
    // A column beyond the header has no name to give.
    assert_eq!(
        refused("id,name\n1,2,\"3\"4\n"),
        format!("line 2, column 3: {after}")
    );
}

#[test]
fn well_formed_quoting_and_bare_quotes_are_read() {
    // A bare quote inside an unquoted field is text (as Excel and Python's csv read it);
    // doubled quotes inside a quoted field are one quote; quoted fields keep line breaks.
    let t = detected(
        b"id,item,note\r\n1,5\" screen,\"say \"\"hi\"\"\"\r\n2,\"a,b\",\"line 1\r\nline 2\"\r\n3,\"\",x\"y\"\r\n",
    );
    assert_eq!(t.delimiter, ',');
    assert_eq!(
        t.rows,
        [
            ["1", "5\" screen", "say \"hi\""],
            ["2", "a,b", "line 1\r\nline 2"],
            ["3", "", "x\"y\""]
        ]
    );
    // A ragged row after a quoted field with line breaks names its own line.
    let e = err(b"id,note\n1,\"a\nb\"\n2,x,y\n", None);
    assert!(e.to_string().contains("line 4 has 3 fields"), "{e}");
}
