//! The CRM's update files written as the changes arrive ([`UpdateWriter`]): the pieces taken
//! make the files `update_file` writes for the same changes with `keepUnchangedColumns`, in
//! CSV and `.xlsx`, in bounded memory; the summary counts what the whole one counts.

#![cfg(feature = "xlsx")]

use cube_records::change_sheet::{ChangedInput, FieldInput};
use cube_records::mapping::{update_file, Mapping, UpdateFileOptions, UpdatePieces, UpdateWriter};
use cube_records::{ChangesInput, FieldChange, Labels, Record, SheetFormat};
use serde_json::{json, Value};

fn rec(v: Value) -> Record {
    v.as_object().unwrap().clone()
}

/// `n` changed customers — a new phone, the same phone written another way, a new last
/// name, a cleared e-mail, a formula-like postal code, by turns — `n / 2` added, `n / 3`
/// removed.
fn changes(n: usize) -> ChangesInput {
    let changed = (0..n)
        .map(|i| {
            let before = rec(json!({"crm__customer_id": format!("003{i:07}"),
                "crm__standard_info__name": "Anne Marie Ås Øvre",
                "crm__standard_info__phone_1": "+4791234567",
                "crm__standard_info__email": "anne@example.no",
                "crm__custom_info__64": "0150"}));
            let mut after = before.clone();
            let (field, value) = match i % 5 {
                0 => (
                    "crm__standard_info__phone_1",
                    json!(format!("+47455{i:05}")),
                ),
                1 => ("crm__standard_info__phone_1", json!("912 34 567")),
                2 => ("crm__standard_info__name", json!("Anne Marie Ås Hansen")),
                3 => ("crm__standard_info__email", json!("")),
                _ => ("crm__custom_info__64", json!(format!("=0{i}"))),
            };
            let old = before[field].clone();
            after.insert(field.into(), value.clone());
            ChangedInput {
                key: format!("003{i:07}"),
                before,
                after,
                fields: vec![FieldInput {
                    field: field.into(),
                    before: old,
                    after: value,
                }],
            }
        })
        .collect();
    let customer = |id: String| {
        rec(
            json!({"crm__customer_id": id, "crm__standard_info__name": "Kari Nordmann",
                   "crm__standard_info__phone_1": "+4791234567"}),
        )
    };
    ChangesInput {
        added: (0..n / 2).map(|i| customer(format!("A{i}"))).collect(),
        removed: (0..n / 3).map(|i| customer(format!("R{i}"))).collect(),
        changed,
        anonymized: json!([{}, {}]),
        ..ChangesInput::default()
    }
}

fn labels() -> Labels {
    Labels::from_custom_fields(&json!([
        {"id": 64, "key": "Postal code", "type": "text", "lookup__id": "crm__custom_info__64"}
    ]))
    .unwrap()
}

/// A preset with `keepUnchangedColumns` (its postal code column is the custom field
/// labelled "Postal code").
fn mapping(preset: &str) -> Mapping {
    let mut v: Value =
        serde_json::from_str(cube_records::mapping::preset_json(preset).unwrap()).unwrap();
    v["file"]["keepUnchangedColumns"] = json!(true);
    Mapping::from_value(&v, "mapping").unwrap()
}

fn append(into: &mut UpdatePieces, piece: UpdatePieces) {
    into.updates.extend(piece.updates);
    into.created.extend(piece.created);
    into.removed.extend(piece.removed);
}

/// The changes fed to a writer in the sync's order, a piece taken after every `every`.
fn streamed(
    changes: &ChangesInput,
    mapping: &Mapping,
    options: &UpdateFileOptions,
    every: usize,
) -> (UpdatePieces, cube_records::mapping::UpdateSummary, usize) {
    let mut w = UpdateWriter::new(mapping, options, Some(&labels()), None).unwrap();
    let mut out = UpdatePieces::default();
    let mut held = 0;
    let mut n = 0;
    let mut step = |w: &mut UpdateWriter, out: &mut UpdatePieces| {
        n += 1;
        if n % every == 0 {
            held = held.max(w.held_bytes());
            append(out, w.take());
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
        step(&mut w, &mut out);
    }
    for r in &changes.added {
        w.added(r).unwrap();
        step(&mut w, &mut out);
    }
    for r in &changes.removed {
        w.removed(r).unwrap();
        step(&mut w, &mut out);
    }
    w.anonymized();
    w.anonymized();
    let (rest, summary) = w.finish(Vec::new()).unwrap();
    append(&mut out, rest);
    (out, summary, held)
}

#[test]
fn streamed_files_are_the_whole_ones_in_csv_and_xlsx_at_any_piece_size() {
    let c = changes(60);
    for preset in ["salesforce", "dynamics365", "hubspot"] {
        let m = mapping(preset);
        for format in [SheetFormat::Csv, SheetFormat::Xlsx] {
            let options = UpdateFileOptions {
                format: Some(format),
            };
            let whole = update_file(&c, &m, &options, Some(&labels()), None).unwrap();
            for every in [1, 7, 1000] {
                let (files, summary, _) = streamed(&c, &m, &options, every);
                let what = format!("{preset} {format:?} every {every}");
                assert_eq!(files.updates, whole.updates, "{what}: updates");
                assert_eq!(files.created, whole.created, "{what}: created");
                assert_eq!(files.removed, whole.removed, "{what}: removed");
                assert_eq!(summary, whole.summary, "{what}: summary");
            }
            assert_eq!(whole.summary.created, 30, "{preset}");
            assert_eq!(whole.summary.removed, 20, "{preset}");
            assert_eq!(whole.summary.anonymized, 2, "{preset}");
            assert_eq!(
                whole.summary.format_only, 12,
                "{preset}: the phone another way"
            );
        }
    }
}

#[test]
fn every_mapped_column_is_streamed_even_when_no_row_changes_it() {
    let mut v: Value =
        serde_json::from_str(cube_records::mapping::preset_json("salesforce").unwrap()).unwrap();
    v["file"]["keepUnchangedColumns"] = json!(false);
    let m = Mapping::from_value(&v, "mapping").unwrap();
    let options = UpdateFileOptions::default();
    let c = changes(1); // one new phone
    let whole = update_file(&c, &m, &options, None, None).unwrap();
    let (files, ..) = streamed(&c, &m, &options, 1);
    let header = |bytes: &[u8]| {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        header(&whole.updates),
        "Id,Phone",
        "the whole file leaves the rest out"
    );
    let streamed_header = header(&files.updates);
    assert!(
        streamed_header.starts_with("Id,FirstName,LastName,Phone,MobilePhone"),
        "{streamed_header}"
    );
}

#[test]
fn the_bytes_held_between_takes_do_not_grow_with_the_rows() {
    let m = mapping("salesforce");
    let (small, large) = (changes(20_000), changes(100_000));
    for format in [SheetFormat::Csv, SheetFormat::Xlsx] {
        let options = UpdateFileOptions {
            format: Some(format),
        };
        let (_, _, held_small) = streamed(&small, &m, &options, 500);
        let (files, summary, held) = streamed(&large, &m, &options, 500);
        assert_eq!(
            summary.updates,
            100_000 - 20_000,
            "{format:?}: all but the format-only"
        );
        assert!(
            held <= held_small + (64 << 10) && held < 1 << 20,
            "{format:?}: held {held} bytes between takes for 100,000 customers, {held_small} \
             for 20,000 (a {} byte file)",
            files.updates.len()
        );
    }
}

#[test]
fn a_clear_the_crm_cannot_take_is_counted_and_the_list_stays_short() {
    let c = changes(12_000); // 2,400 cleared e-mails
    let m = mapping("hubspot"); // clear: null
    let (_, summary, _) = streamed(&c, &m, &UpdateFileOptions::default(), 100);
    assert_eq!(summary.cannot_clear_count, 2_400);
    assert_eq!(
        summary.cannot_clear.len(),
        cube_records::mapping::CANNOT_CLEAR_LISTED
    );
    assert!(
        summary
            .messages
            .iter()
            .any(|m| m.starts_with("2400 fields were cleared")),
        "{:?}",
        summary.messages
    );
}
