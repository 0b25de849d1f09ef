//! The `.xlsx` writer as a stream: pieces taken as rows arrive, data descriptors, bounded
//! memory, and the sheet split past the row limit.

#![cfg(feature = "xlsx")]

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use cube_records::{Cell, CsvWriter, XlsxWriter, MAX_CELL_CHARS};
use std::collections::BTreeMap;
use std::io::Cursor;

fn u16_at(b: &[u8], i: usize) -> usize {
    u16::from_le_bytes([b[i], b[i + 1]]) as usize
}

fn u32_at(b: &[u8], i: usize) -> usize {
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize
}

/// One entry of a zip, as its central directory and local header describe it.
#[derive(Debug)]
struct Entry {
    flags: usize,
    local_flags: usize,
    /// CRC, compressed size and size in the local header.
    local: [usize; 3],
    /// The same in the central directory.
    central: [usize; 3],
    /// The same in the data descriptor, if the entry has one.
    descriptor: Option<[usize; 3]>,
    text: String,
}

/// The entries of a zip written by this crate (deflated, no comment, no zip64).
fn entries(b: &[u8]) -> BTreeMap<String, Entry> {
    let end = b.len() - 22;
    assert_eq!(u32_at(b, end), 0x0605_4b50, "end of central directory");
    let count = u16_at(b, end + 10);
    let mut at = u32_at(b, end + 16);
    let mut out = BTreeMap::new();
    for _ in 0..count {
        assert_eq!(u32_at(b, at), 0x0201_4b50, "central header");
        let name_len = u16_at(b, at + 28);
        let name = String::from_utf8(b[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let central = [u32_at(b, at + 16), u32_at(b, at + 20), u32_at(b, at + 24)];
        let local_at = u32_at(b, at + 42);
        assert_eq!(u32_at(b, local_at), 0x0403_4b50, "local header of {name}");
        let data = local_at + 30 + u16_at(b, local_at + 26) + u16_at(b, local_at + 28);
        let compressed = central[1];
        let raw = miniz_oxide::inflate::decompress_to_vec(&b[data..data + compressed]).unwrap();
        let local_flags = u16_at(b, local_at + 6);
        let descriptor = (local_flags & 8 != 0).then(|| {
            let d = data + compressed;
            assert_eq!(u32_at(b, d), 0x0807_4b50, "data descriptor of {name}");
            [u32_at(b, d + 4), u32_at(b, d + 8), u32_at(b, d + 12)]
        });
        let entry = Entry {
            flags: u16_at(b, at + 8),
            local_flags,
            local: [
                u32_at(b, local_at + 14),
                u32_at(b, local_at + 18),
                u32_at(b, local_at + 22),
            ],
            central,
            descriptor,
            text: String::from_utf8(raw).unwrap(),
        };
        out.insert(name, entry);
        at += 46 + name_len + u16_at(b, at + 30) + u16_at(b, at + 32);
    }
    out
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn rows_of(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = wb.worksheet_range(sheet).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn s(v: &str) -> Data {
    Data::String(v.to_string())
}

/// `unzip -t` accepts the file, when unzip is installed.
fn unzip_accepts(bytes: &[u8], name: &str) {
    let Ok(probe) = std::process::Command::new("unzip").arg("-v").output() else {
        eprintln!("unzip is not installed: not checked");
        return;
    };
    assert!(probe.status.success());
    let path = std::env::temp_dir().join(format!("cube-records-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("unzip")
        .arg("-t")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "unzip -t: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_rows(w: &mut XlsxWriter, from: usize, to: usize) {
    for i in from..to {
        let id = format!("{i:07}");
        let name = format!("Kunde {i} æøå <&>");
        w.write_row(&[Cell::Id(&id), Cell::Text(&name), Cell::Number(i as f64)])
            .unwrap();
    }
}

#[test]
fn pieces_taken_make_the_same_file_as_one_finish() {
    let header = ["Id", "Name", "N"];
    let mut whole = XlsxWriter::new("Ark", &header).unwrap();
    write_rows(&mut whole, 0, 30_000);
    let whole = whole.finish().unwrap();

    let mut w = XlsxWriter::new("Ark", &header).unwrap();
    let mut streamed = w.take();
    let mut pieces = 0;
    for k in 0..30 {
        write_rows(&mut w, k * 1000, (k + 1) * 1000);
        let piece = w.take();
        pieces += usize::from(!piece.is_empty());
        streamed.extend_from_slice(&piece);
        assert!(w.take().is_empty(), "a piece is handed out once");
    }
    streamed.extend_from_slice(&w.finish().unwrap());
    assert!(pieces > 1, "the file comes out in pieces ({pieces})");
    assert_eq!(streamed, whole);

    unzip_accepts(&streamed, "pieces.xlsx");
    let mut wb = workbook(streamed);
    assert_eq!(wb.sheet_names(), ["Ark"]);
    let rows = rows_of(&mut wb, "Ark");
    assert_eq!(rows.len(), 30_001);
    assert_eq!(rows[0], [s("Id"), s("Name"), s("N")]);
    assert_eq!(
        rows[30_000],
        [
            s("0029999"),
            s("Kunde 29999 æøå <&>"),
            Data::Float(29_999.0)
        ]
    );
}

#[test]
fn the_sheet_entry_has_a_data_descriptor() {
    let mut w = XlsxWriter::new("Ark", &["Id", "Name", "N"]).unwrap();
    write_rows(&mut w, 0, 100);
    let bytes = w.finish().unwrap();
    let zip = entries(&bytes);
    let sheet = &zip["xl/worksheets/sheet1.xml"];
    assert_eq!(
        sheet.local_flags & 0x0008,
        0x0008,
        "bit 3 in the local header"
    );
    assert_eq!(
        sheet.flags & 0x0008,
        0x0008,
        "bit 3 in the central directory"
    );
    assert_eq!(
        sheet.local,
        [0, 0, 0],
        "the local header holds no CRC or sizes"
    );
    assert_eq!(sheet.descriptor, Some(sheet.central));
    assert_eq!(sheet.central[2], sheet.text.len());
    assert!(sheet.text.contains("Kunde 99 æøå &lt;&amp;&gt;"));
    // The small parts are whole: sizes in their local headers, no descriptor.
    let styles = &zip["xl/styles.xml"];
    assert_eq!(
        (styles.local_flags & 8, styles.descriptor.is_none()),
        (0, true)
    );
    assert_eq!(styles.local, styles.central);
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    ] {
        assert!(zip.contains_key(part), "{part}");
    }
    unzip_accepts(&bytes, "descriptor.xlsx");
}

#[test]
fn a_full_sheet_continues_on_the_next() {
    let header = ["Id", "Notes"];
    let mut w = XlsxWriter::cutting_long_cells("Changes", &header)
        .unwrap()
        .with_row_limit(5);
    let long = "x".repeat(MAX_CELL_CHARS + 3);
    for i in 0..10 {
        let id = format!("{i:03}");
        let notes = if i == 5 { long.as_str() } else { "kort" };
        w.write_row(&[Cell::Id(&id), Cell::Text(notes)]).unwrap();
        let _ = w.take();
    }
    assert_eq!(w.sheets(), ["Changes", "Changes (2)", "Changes (3)"]);
    assert_eq!(w.rows(), 3, "the last sheet: its header and 2 rows");
    // Row 5 of the data (i = 5) is the second data row of the second sheet: its row 3.
    let cut = &w.truncated()[0];
    assert_eq!(
        (cut.sheet.as_str(), cut.row, cut.column.as_str()),
        ("Changes (2)", 3, "B")
    );
    assert_eq!(cut.header, "Notes");
    assert!(cut
        .to_string()
        .starts_with("sheet \"Changes (2)\", row 3, column B (Notes)"));

    let mut w2 = XlsxWriter::new("Changes", &header)
        .unwrap()
        .with_row_limit(5);
    for i in 0..10 {
        let id = format!("{i:03}");
        w2.write_row(&[Cell::Id(&id), Cell::Text("kort")]).unwrap();
    }
    let bytes = w2.finish().unwrap();
    unzip_accepts(&bytes, "sheets.xlsx");
    let zip = entries(&bytes);
    for n in 1..=3 {
        let part = &zip[&format!("xl/worksheets/sheet{n}.xml")];
        assert!(
            part.text.contains(r#"state="frozen""#),
            "sheet {n} header frozen"
        );
        assert!(
            part.text.contains(r#"<c r="A1" t="inlineStr" s="1">"#),
            "bold header"
        );
        assert!(zip["[Content_Types].xml"]
            .text
            .contains(&format!("/xl/worksheets/sheet{n}.xml")));
        assert!(zip["xl/_rels/workbook.xml.rels"]
            .text
            .contains(&format!("worksheets/sheet{n}.xml")));
    }
    let mut wb = workbook(bytes);
    assert_eq!(wb.sheet_names(), ["Changes", "Changes (2)", "Changes (3)"]);
    let expect = |ids: &[&str]| -> Vec<Vec<Data>> {
        std::iter::once(vec![s("Id"), s("Notes")])
            .chain(ids.iter().map(|id| vec![s(id), s("kort")]))
            .collect()
    };
    assert_eq!(
        rows_of(&mut wb, "Changes"),
        expect(&["000", "001", "002", "003"])
    );
    assert_eq!(
        rows_of(&mut wb, "Changes (2)"),
        expect(&["004", "005", "006", "007"])
    );
    assert_eq!(rows_of(&mut wb, "Changes (3)"), expect(&["008", "009"]));
}

#[test]
fn continued_sheet_names_stay_within_31_characters() {
    let base = "Endringer i kunderegisteret 2024"; // 32: too long
    assert!(XlsxWriter::new(base, &[]).is_err());
    let base = &base[..31];
    let mut w = XlsxWriter::new(base, &["A"]).unwrap().with_row_limit(2);
    for _ in 0..12 {
        w.write_row(&[Cell::Text("a")]).unwrap();
    }
    let names = w.sheets().to_vec();
    assert_eq!(names.len(), 12);
    assert_eq!(names[1], "Endringer i kunderegisteret (2)");
    assert_eq!(names[11], "Endringer i kunderegistere (12)");
    for name in &names {
        assert!(name.chars().count() <= 31, "{name}");
        cube_records::xlsx::validate_sheet_name(name).unwrap();
    }
    let mut wb = workbook(w.finish().unwrap());
    assert_eq!(wb.sheet_names(), names);
    assert_eq!(rows_of(&mut wb, &names[11]), [[s("A")], [s("a")]]);
}

#[test]
fn a_refused_row_does_not_start_a_sheet() {
    let mut w = XlsxWriter::new("S", &["A"]).unwrap().with_row_limit(2);
    w.write_row(&[Cell::Text("a")]).unwrap();
    let long = "y".repeat(MAX_CELL_CHARS + 1);
    let e = w.write_row(&[Cell::Text(&long)]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("sheet \"S (2)\", row 2, column A (A)"),
        "{e}"
    );
    assert_eq!(w.sheets(), ["S"]);
    w.write_row(&[Cell::Text("b")]).unwrap();
    assert_eq!(w.sheets(), ["S", "S (2)"]);
}

#[test]
fn a_writer_taken_from_holds_bounded_memory() {
    const BOUND: usize = 256 * 1024;
    let mut w = XlsxWriter::new("Ark", &["Id", "Name", "N"]).unwrap();
    let mut total = w.take().len();
    let mut most = 0;
    for k in 0..200 {
        write_rows(&mut w, k * 1000, (k + 1) * 1000);
        total += w.take().len();
        most = most.max(w.held_bytes());
        assert!(
            w.held_bytes() < BOUND,
            "after {} rows: {}",
            (k + 1) * 1000,
            w.held_bytes()
        );
    }
    let last = w.finish().unwrap();
    total += last.len();
    assert!(
        total > 2 * BOUND,
        "the file ({total} bytes) is larger than the bound"
    );
    eprintln!("held at most {most} bytes for a {total}-byte file");
}

#[test]
fn csv_pieces_taken_make_the_whole_file() {
    let write =
        |w: &mut CsvWriter, i: usize| w.write_row([format!("{i}"), "a;b".into(), "=1".into()]);
    let mut whole = CsvWriter::new(';', true).unwrap();
    let mut w = CsvWriter::new(';', true).unwrap();
    let mut streamed = Vec::new();
    for i in 0..100 {
        write(&mut whole, i);
        write(&mut w, i);
        if i % 7 == 0 {
            let piece = w.take();
            if streamed.is_empty() {
                assert!(
                    piece.starts_with(b"\xEF\xBB\xBF0;\"a;b\";'=1\r\n"),
                    "BOM first"
                );
            }
            streamed.extend(piece);
        }
    }
    streamed.extend(w.finish());
    assert_eq!(streamed, whole.finish());
}
