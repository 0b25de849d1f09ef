//! Diff and sync on generated data, up to 100,000 records.

mod common;

use common::gen::{generate, mutate};
use cube_records::{
    diff, import_sheet, parse_text_records, sync, sync_with, to_csv, to_xlsx, CsvOptions,
    DiffOptions, ImportSheetOptions, LongCells, SheetFormat, Snapshot, SnapshotStore, XlsxOptions,
};
use std::time::Instant;

fn check(n: u64) {
    let before = generate(n, 42);
    let (after, e) = mutate(&before, 7);
    let t = Instant::now();
    let d = diff(&before, &after, &DiffOptions::default()).unwrap();
    let took = t.elapsed();
    assert_eq!(d.added.len(), e.added, "added");
    assert_eq!(d.removed.len(), e.removed, "removed");
    assert_eq!(d.changed.len(), e.changed, "changed");
    assert_eq!(d.unchanged, e.unchanged, "unchanged");
    assert!(d.anonymized.is_empty() && d.duplicate_keys.is_empty());
    for c in &d.changed {
        assert_eq!(c.fields.len(), 1);
        assert_eq!(c.fields[0].field, "crm__standard_info__email");
    }
    eprintln!("diff of {n} records: {took:?}");

    // Strict mode sees the retyped fields too.
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    let d = diff(&before, &after, &strict).unwrap();
    let retyped = (1..n as usize)
        .filter(|i| i % 50 != 0 && i % 11 == 0 && i % 7 != 0)
        .count();
    assert_eq!(d.changed.len(), e.changed + retyped);

    // Records read from JSON text without decoding them give the same diff, in both modes.
    let (btext, atext) = (
        serde_json::to_string(&before).unwrap(),
        serde_json::to_string(&after).unwrap(),
    );
    let (braw, araw) = (
        parse_text_records(&btext).unwrap(),
        parse_text_records(&atext).unwrap(),
    );
    for options in [DiffOptions::default(), strict] {
        let t = Instant::now();
        let raw = diff(&braw, &araw, &options).unwrap();
        let took = t.elapsed();
        let decoded = diff(&before, &after, &options).unwrap();
        assert_eq!(
            serde_json::to_string(&raw).unwrap(),
            serde_json::to_string(&decoded).unwrap(),
            "loose: {}",
            options.loose
        );
        eprintln!(
            "raw diff of {n} records (loose {}): {took:?}",
            options.loose
        );
    }
}

#[test]
fn generated_small() {
    check(1_000);
}

#[test]
fn generated_100k() {
    check(100_000);
}

#[test]
fn sync_round_trip_through_json_100k() {
    let before = generate(100_000, 1);
    let (after, e) = mutate(&before, 2);
    let opts = DiffOptions::default();
    let (first, snap) = sync(None, &before, &opts).unwrap();
    assert_eq!(first.added.len(), before.len());
    let json = serde_json::to_string(&snap).unwrap();
    let snap: Snapshot = serde_json::from_str(&json).unwrap();
    let (d, next) = sync(Some(snap), &after, &opts).unwrap();
    assert_eq!(
        (d.added.len(), d.removed.len(), d.changed.len(), d.unchanged),
        (e.added, e.removed, e.changed, e.unchanged)
    );
    assert_eq!(next.records.len(), after.len());

    // Fingerprint-only snapshots find the same records, without field changes.
    let (_, small) = sync_with(None, &before, &opts, SnapshotStore::Fingerprints).unwrap();
    let small_json = serde_json::to_string(&small).unwrap();
    assert!(
        small_json.len() * 5 < json.len(),
        "{} vs {}",
        small_json.len(),
        json.len()
    );
    let small: Snapshot = serde_json::from_str(&small_json).unwrap();
    let (d, _) = sync_with(Some(small), &after, &opts, SnapshotStore::Fingerprints).unwrap();
    assert_eq!(
        (d.added.len(), d.removed.len(), d.changed.len(), d.unchanged),
        (e.added, e.removed, e.changed, e.unchanged)
    );
    assert!(d.changed.iter().all(|c| c.fields.is_empty()));
}

/// Records read from JSON text without decoding them (`TextRecord`, what the JS entry points
/// use) give the same syncs, snapshots and files, byte for byte, as decoded records.
#[test]
fn raw_records_give_the_same_syncs_and_files() {
    let before = generate(10_000, 3);
    let (mut after, _) = mutate(&before, 4);
    // Values with JSON escapes, numbers, booleans, arrays and nulls, also in a key field.
    let odd: Vec<cube_records::Record> = serde_json::from_str(
        r#"[{"crm__customer_id":"q\"1","crm__standard_info__name":"Line 1\nLine 2\t\u00e6",
             "crm__standard_info__email":"a\\b@example.com","crm__custom_info__64":1.25,
             "crm__custom_info__65":true,"crm__custom_info__66":[1,"x"],"crm__custom_info__67":null},
            {"crm__customer_id":"000123","crm__standard_info__phone_1":12345678,
             "crm__custom_info__64":{"a":"\u00f8"},"crm__custom_info__99":"=SUM(A1)"}]"#,
    )
    .unwrap();
    after.extend(odd);
    let (btext, atext) = (
        serde_json::to_string(&before).unwrap(),
        serde_json::to_string(&after).unwrap(),
    );
    let (braw, araw) = (
        parse_text_records(&btext).unwrap(),
        parse_text_records(&atext).unwrap(),
    );
    let loose = DiffOptions::default();
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    for o in [&loose, &strict] {
        for store in [SnapshotStore::Values, SnapshotStore::Fingerprints] {
            let (_, prev) = sync_with(None, &before, o, store).unwrap();
            let (_, prev_raw) = sync_with(None, &braw, o, store).unwrap();
            assert_eq!(
                prev_raw, prev,
                "first snapshot ({store:?}, loose {})",
                o.loose
            );
            let (changes, next) = sync_with(Some(prev.clone()), &after, o, store).unwrap();
            let (changes_raw, next_raw) = sync_with(Some(prev), &araw, o, store).unwrap();
            assert_eq!(
                serde_json::to_string(&changes_raw).unwrap(),
                serde_json::to_string(&changes).unwrap(),
                "changes ({store:?}, loose {})",
                o.loose
            );
            assert_eq!(
                next_raw, next,
                "next snapshot ({store:?}, loose {})",
                o.loose
            );
        }
    }

    let csv = CsvOptions {
        delimiter: ';',
        bom: true,
        columns: None,
        formula_guard: true,
    };
    assert_eq!(
        to_csv(&araw, &csv, None).unwrap(),
        to_csv(&after, &csv, None).unwrap()
    );
    let xlsx = XlsxOptions::default();
    assert_eq!(
        to_xlsx(&araw, &xlsx, None, LongCells::Refuse).unwrap(),
        to_xlsx(&after, &xlsx, None, LongCells::Refuse).unwrap()
    );
    for format in [SheetFormat::Csv, SheetFormat::Xlsx] {
        let sheet = ImportSheetOptions {
            format,
            ..ImportSheetOptions::default()
        };
        assert_eq!(
            import_sheet(&araw, &sheet, None, LongCells::Refuse).unwrap(),
            import_sheet(&after, &sheet, None, LongCells::Refuse).unwrap(),
            "{format:?}"
        );
    }
}
