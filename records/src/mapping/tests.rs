use super::*;
use crate::change_sheet::ChangesInput;
use crate::csv_read::{read_csv, CsvReadOptions};
use crate::import_sheet::SheetFormat;
use crate::labels::Labels;
use crate::Record;
use serde_json::{json, Value};

fn sf() -> Mapping {
    Mapping::preset("salesforce").unwrap()
}

/// The salesforce preset with a change made to its JSON.
fn edited(edit: impl FnOnce(&mut Value)) -> Result<Mapping> {
    let mut v: Value = serde_json::from_str(preset_json("salesforce").unwrap()).unwrap();
    edit(&mut v);
    Mapping::from_value(&v, "mapping")
}

fn path_of(e: RecordsError) -> String {
    match e {
        RecordsError::InvalidMapping { path, .. } => path,
        other => panic!("not a mapping error: {other}"),
    }
}

#[test]
fn every_preset_reads_and_says_where_it_comes_from() {
    for (name, _) in PRESETS {
        let m = Mapping::preset(name).unwrap();
        assert!(!m.title.is_empty(), "{name}");
        assert!(!m.sources.is_empty(), "{name} has sources");
        assert!(!m.notes.is_empty(), "{name} has notes");
        assert!(matches!(m.name, Some(NameColumns::Parts { .. })), "{name}");
    }
    assert_eq!(sf().key.crm, "Id");
    assert_eq!(sf().file.clear.as_deref(), Some("#N/A"));
    let e = Mapping::preset("pipedrive").unwrap_err();
    assert_eq!(path_of(e.clone()), "mapping");
    assert!(e.to_string().contains("\"salesforce\""), "{e}");
}

#[test]
fn mistakes_name_their_path() {
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            |v| v["version"] = json!(2),
            "mapping.version",
            "not a version",
        ),
        (
            |v| {
                v.as_object_mut().unwrap().remove("version");
            },
            "mapping.version",
            "is missing",
        ),
        (|v| v["extra"] = json!(1), "mapping.extra", "unknown member"),
        (
            |v| {
                v.as_object_mut().unwrap().remove("key");
            },
            "mapping.key",
            "is missing",
        ),
        (
            |v| v["key"] = json!({"crm": ""}),
            "mapping.key.crm",
            "empty",
        ),
        (
            |v| v["key"]["cube"] = json!("crm__standard_info__email"),
            "mapping.key.cube",
            "cannot be the key",
        ),
        (
            |v| v["fields"][3]["cube"] = json!("crm__standard_info__fax"),
            "mapping.fields[3].cube",
            "not a customer field",
        ),
        (
            |v| v["fields"][3]["cube"] = json!(7),
            "mapping.fields[3].cube",
            "must be a string",
        ),
        (
            |v| v["fields"][1]["crm"] = json!("Phone"),
            "mapping.fields[1].crm",
            "mapped twice",
        ),
        (
            |v| v["fields"][1]["cube"] = json!("crm__standard_info__phone_1"),
            "mapping.fields[1].cube",
            "mapped twice",
        ),
        (
            |v| v["fields"][2]["crm"] = json!("FirstName"),
            "mapping.fields[2].crm",
            "mapped twice",
        ),
        (
            |v| v["fields"][3]["transform"] = json!(["lower", "title"]),
            "mapping.fields[3].transform[1]",
            "not one of",
        ),
        (
            |v| v["fields"][0]["transform"] = json!(["upper"]),
            "mapping.fields[0].transform",
            "phone",
        ),
        (
            |v| v["fields"][4]["type"] = json!("number"),
            "mapping.fields[4].type",
            "not one of",
        ),
        (
            |v| v["fields"][4]["optional"] = json!("yes"),
            "mapping.fields[4].optional",
            "true or false",
        ),
        (
            |v| v["fields"][5]["cube"] = json!("crm__standard_info__name"),
            "mapping.fields[5].cube",
            "member name",
        ),
        (
            |v| v["fields"][6]["colour"] = json!("red"),
            "mapping.fields[6].colour",
            "unknown member",
        ),
        (|v| v["fields"] = json!({}), "mapping.fields", "array"),
        (
            |v| v["fields"][2] = json!("Phone"),
            "mapping.fields[2]",
            "object",
        ),
        (
            |v| v["name"] = json!({"first": "FirstName"}),
            "mapping.name.last",
            "is missing",
        ),
        (
            |v| v["name"] = json!({"first": "A", "last": "B", "full": "C"}),
            "mapping.name.full",
            "not both",
        ),
        (
            |v| v["phone"]["defaultCountry"] = json!("XX"),
            "mapping.phone.defaultCountry",
            "not a country",
        ),
        (
            |v| v["phone"]["write"] = json!("pretty"),
            "mapping.phone.write",
            "not one of",
        ),
        (
            |v| v["file"]["delimiter"] = json!(":"),
            "mapping.file.delimiter",
            "not one of",
        ),
        (
            |v| v["file"]["encoding"] = json!("latin1"),
            "mapping.file.encoding",
            "utf-8",
        ),
        (
            |v| v["file"]["dateFormat"] = json!("DD.MM.YY"),
            "mapping.file.dateFormat",
            "YYYY",
        ),
        (
            |v| v["file"]["clear"] = json!(""),
            "mapping.file.clear",
            "cannot clear",
        ),
        (
            |v| v["file"]["clear"] = json!(false),
            "mapping.file.clear",
            "null",
        ),
        (
            |v| v["sources"] = json!(["developer.salesforce.com"]),
            "mapping.sources[0]",
            "URL",
        ),
    ];
    for (edit, path, words) in cases {
        let e = edited(edit).unwrap_err();
        let text = e.to_string();
        assert_eq!(path_of(e), path, "{text}");
        assert!(text.contains(words), "{path}: {text}");
        assert!(text.starts_with(&format!("{path}: ")), "{text}");
    }
    assert_eq!(
        path_of(Mapping::from_given(&json!(3)).unwrap_err()),
        "mapping"
    );
    assert_eq!(
        path_of(Mapping::from_value(&json!([]), "mapping").unwrap_err()),
        "mapping"
    );
}

fn rec(v: Value) -> Record {
    v.as_object().unwrap().clone()
}

/// A customer as the sandbox has them.
fn customer(id: &str, name: &str, phone: &str, email: &str) -> Value {
    json!({
        "crm__customer_id": id, "crm__standard_info__name": name,
        "crm__standard_info__phone_1": phone, "crm__standard_info__phone_2": "",
        "crm__standard_info__phone_3": "", "crm__standard_info__email": email,
        "crm__change_log__updated": "2024-01-01", "crm__custom_info__64": "Storgata 1",
        "crm__custom_info__66": "Oslo",
    })
}

fn changed(before: Value, edit: Value) -> Value {
    let mut after = before.clone();
    for (k, v) in edit.as_object().unwrap() {
        after[k] = v.clone();
    }
    let fields: Vec<Value> = edit
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| before.get(k.as_str()) != Some(*v))
        .map(|(k, v)| json!({"field": k, "before": before.get(k.as_str()).cloned().unwrap_or(Value::Null), "after": v}))
        .collect();
    json!({"key": before["crm__customer_id"], "before": before, "after": after, "fields": fields})
}

fn changes(v: Value) -> ChangesInput {
    serde_json::from_value(v).unwrap()
}

fn labels() -> Labels {
    Labels::from_custom_fields(&json!([
        {"id": 64, "key": "Address street"}, {"id": 65, "key": "Postal code"},
        {"id": 66, "key": "City"}
    ]))
    .unwrap()
}

/// The CSV as rows of cells.
fn table(bytes: &[u8]) -> Vec<Vec<String>> {
    let t = read_csv(
        bytes,
        &CsvReadOptions {
            delimiter: Some(','),
        },
    )
    .unwrap();
    let mut rows = vec![t.headers];
    rows.extend(t.rows);
    rows
}

fn csv() -> UpdateFileOptions {
    UpdateFileOptions {
        format: Some(SheetFormat::Csv),
    }
}

#[test]
fn the_updates_file_has_changed_fields_and_the_conventions() {
    let kari = customer("0017", "Kari Nordmann", "+47 912 34 567", "kari@example.no");
    let ola = customer("0018", "Ola Hansen", "912 34 568", "ola@example.no");
    let per = customer("0019", "Per Ås Øvre", "45500000", "per@example.no");
    let siv = customer("0020", "Siv Lie", "45500001", "siv@example.no");
    let c = changes(json!({
        "changed": [
            // A new phone and last name.
            changed(kari, json!({"crm__standard_info__phone_1": "455 00 000",
                "crm__standard_info__name": "Kari Ås Øvre", "crm__change_log__updated": "2024-03-05"})),
            // The same phone in another format: nothing for the CRM.
            changed(ola, json!({"crm__standard_info__phone_1": "+4791234568"})),
            // The e-mail cleared, a custom field changed.
            changed(per, json!({"crm__standard_info__email": "", "crm__custom_info__66": "Bergen"})),
            // Only an unmapped field.
            changed(siv, json!({"crm__custom_info__99": "x"})),
        ],
        "added": [customer("0021", "Åse  Berg", "004791111111", "ASE@example.no")],
        "removed": [customer("0022", "Nils", "", "")],
        "anonymized": [{"side": "after", "index": 3, "record": {}}],
        "duplicateKeys": [{"key": "0030", "side": "after", "count": 2}, {"key": "0030", "side": "before", "count": 2}],
    }));
    let files = update_file(&c, &sf(), &csv(), Some(&labels()), None).unwrap();
    assert_eq!(
        table(&files.updates),
        vec![
            vec!["Id", "LastName", "Phone", "Email", "MailingCity"],
            vec!["0017", "Ås Øvre", "+4745500000", "", ""],
            vec!["0019", "", "", "#N/A", "Bergen"],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
    let text = String::from_utf8(files.updates.clone()).unwrap();
    assert!(
        text.contains("\r\n0017,Ås Øvre,+4745500000,,\r\n"),
        "E.164 phones are not guarded: {text}"
    );
    assert_eq!(
        table(&files.created),
        vec![
            vec![
                "Id",
                "FirstName",
                "LastName",
                "Phone",
                "MobilePhone",
                "OtherPhone",
                "Email",
                "MailingStreet",
                "MailingPostalCode",
                "MailingCity"
            ],
            vec![
                "0021",
                "Åse",
                "Berg",
                "+4791111111",
                "",
                "",
                "ase@example.no",
                "Storgata 1",
                "",
                "Oslo"
            ],
        ]
    );
    assert_eq!(table(&files.removed)[1][..3], ["0022", "", "Nils"]);
    let s = &files.summary;
    assert_eq!((s.updates, s.created, s.removed), (2, 1, 1));
    assert_eq!((s.no_mapped_change, s.format_only), (2, 1));
    assert_eq!(s.anonymized, 1);
    assert_eq!(s.duplicate_keys, ["0030"]);
    assert_eq!(s.unmapped_fields, ["crm__custom_info__99"]);
    assert!(s.cannot_clear.is_empty());
    assert!(s.skipped_columns.is_empty());
    assert!(
        s.messages[0].starts_with("2 of 4 changed customers to update in Salesforce"),
        "{:?}",
        s.messages
    );
    assert!(
        s.messages.iter().any(|m| m.contains("1 anonymized")),
        "{:?}",
        s.messages
    );
}

#[test]
fn without_custom_fields_optional_columns_are_left_out_and_said_so() {
    let kari = customer("0017", "Kari Nordmann", "+4791234567", "kari@example.no");
    let c = changes(json!({"changed": [changed(kari, json!({"crm__custom_info__66": "Bergen"}))]}));
    let files = update_file(&c, &sf(), &csv(), None, None).unwrap();
    let s = &files.summary;
    assert_eq!(s.updates, 0);
    assert_eq!(s.skipped_columns.len(), 3);
    assert_eq!(s.skipped_columns[0].path, "mapping.fields[4]");
    assert_eq!(s.skipped_columns[0].column, "MailingStreet");
    assert_eq!(s.unmapped_fields, ["crm__custom_info__66"]);
    assert!(s
        .messages
        .iter()
        .any(|m| m.starts_with("column \"MailingCity\" (mapping.fields[6]) left out")));
    // Not optional: an error naming what to pass.
    let strict = edited(|v| v["fields"][6]["optional"] = json!(false)).unwrap();
    match update_file(&c, &strict, &csv(), None, None).unwrap_err() {
        RecordsError::InvalidOption { option, reason } => {
            assert_eq!(option, "customFields");
            assert!(
                reason.starts_with("mapping.fields[6].cube names the custom field \"City\""),
                "{reason}"
            );
        }
        other => panic!("{other}"),
    }
    let e = update_file(
        &c,
        &strict,
        &csv(),
        Some(&Labels::from_pairs([("crm__custom_info__1", "Town")])),
        None,
    )
    .unwrap_err();
    assert_eq!(path_of(e), "mapping.fields[6].cube");
}

#[test]
fn a_crm_that_cannot_clear_gets_the_clear_in_the_summary() {
    let hubspot = Mapping::preset("hubspot").unwrap();
    let kari = customer("0017", "Kari Nordmann", "+4791234567", "kari@example.no");
    let ola = customer("0018", "Ola Hansen", "+4791234568", "ola@example.no");
    let c = changes(json!({"changed": [
        changed(kari, json!({"crm__standard_info__email": ""})),
        changed(ola, json!({"crm__standard_info__email": "", "crm__standard_info__phone_1": "+4745500000"})),
    ]}));
    let files = update_file(&c, &hubspot, &csv(), None, None).unwrap();
    assert_eq!(
        table(&files.updates),
        vec![vec!["Record ID", "phone"], vec!["0018", "+4745500000"]]
    );
    let cleared: Vec<(&str, &str)> = files
        .summary
        .cannot_clear
        .iter()
        .map(|c| (c.key.as_str(), c.column.as_str()))
        .collect();
    assert_eq!(cleared, [("0017", "email"), ("0018", "email")]);
    assert_eq!(files.summary.no_mapped_change, 1);
}

#[test]
fn the_crms_first_names_split_a_changed_double_last_name() {
    let per = customer("0019", "Kari Ås Øvre", "", "");
    let c = changes(
        json!({"changed": [changed(per, json!({"crm__standard_info__name": "Kari Ås Hansen"}))]}),
    );
    let without = update_file(&c, &sf(), &csv(), None, None).unwrap();
    // Without them the first name is taken as "Kari Ås": only the last name is written.
    assert_eq!(
        table(&without.updates),
        [vec!["Id", "LastName"], vec!["0019", "Hansen"]]
    );
    let crm = vec![rec(
        json!({"Id": "0019", "FirstName": "Kari", "LastName": "Ås Øvre"}),
    )];
    let with = update_file(&c, &sf(), &csv(), None, Some(&crm)).unwrap();
    assert_eq!(
        table(&with.updates),
        [vec!["Id", "LastName"], vec!["0019", "Ås Hansen"]]
    );
    let bad = vec![rec(json!({"ID": "0019"}))];
    assert!(matches!(
        update_file(&c, &sf(), &csv(), None, Some(&bad)),
        Err(RecordsError::InvalidOption {
            option: "crmRecords",
            ..
        })
    ));
}

/// A contact the CRM has without a first name (Cube's name is its last name): a change of
/// the name is a new last name, whole, so that the CRM's names joined are Cube's name.
#[test]
fn an_empty_first_name_in_the_crms_records_is_kept() {
    let per = customer("0020", "Ås Øvre", "", "");
    let c =
        changes(json!({"changed": [changed(per, json!({"crm__standard_info__name": "Ås Kvam"}))]}));
    let crm = vec![rec(
        json!({"Id": "0020", "FirstName": "", "LastName": "Ås Øvre"}),
    )];
    let with = update_file(&c, &sf(), &csv(), None, Some(&crm)).unwrap();
    assert_eq!(
        table(&with.updates),
        [vec!["Id", "LastName"], vec!["0020", "Ås Kvam"]]
    );
    // Without the first-name column the records say nothing of it: Cube's name decides, as
    // without crmRecords.
    let no_column = vec![rec(json!({"Id": "0020", "LastName": "Ås Øvre"}))];
    let without = update_file(&c, &sf(), &csv(), None, None).unwrap();
    let partial = update_file(&c, &sf(), &csv(), None, Some(&no_column)).unwrap();
    assert_eq!(table(&partial.updates), table(&without.updates));
    assert_eq!(
        table(&without.updates),
        [vec!["Id", "LastName"], vec!["0020", "Kvam"]]
    );
    // A customer added in Cube whose key the CRM has without a first name: all last name.
    let added = changes(json!({"added": [customer("0020", "Ås Kvam", "", "")]}));
    let files = update_file(&added, &sf(), &csv(), None, Some(&crm)).unwrap();
    assert_eq!(table(&files.created)[1][1..3], ["", "Ås Kvam"]);
}

#[test]
fn the_formula_guard_spares_only_e164_phones() {
    let kari = customer("0017", "Kari Nordmann", "+4791234567", "kari@example.no");
    let c = changes(json!({"changed": [changed(kari, json!({
        "crm__standard_info__phone_1": "+47 (0) 455 00 000", "crm__standard_info__phone_2": "+ring meg",
        "crm__custom_info__66": "=HYPERLINK(\"x\")"}))]}));
    let files = update_file(&c, &sf(), &csv(), Some(&labels()), None).unwrap();
    let text = String::from_utf8(files.updates).unwrap();
    assert!(text.starts_with("Id,Phone,MobilePhone,MailingCity\r\n0017,+4745500000,'+ring meg,\"'=HYPERLINK(\"\"x\"\")\"\r\n"), "{text}");
    let off = edited(|v| v["file"]["formulaGuard"] = json!(false)).unwrap();
    let text = String::from_utf8(
        update_file(&c, &off, &csv(), Some(&labels()), None)
            .unwrap()
            .updates,
    )
    .unwrap();
    assert!(text.contains(",+ring meg,\"=HYPERLINK"), "{text}");
}

#[test]
fn national_phones_dates_and_kept_columns() {
    let m = edited(|v| {
        v["phone"]["write"] = json!("national");
        v["fields"][5] =
            json!({"crm": "Birthdate", "cube": "crm__custom_info__70", "type": "date"});
        v["file"]["dateFormat"] = json!("DD.MM.YYYY");
        v["file"]["keepUnchangedColumns"] = json!(true);
        v["file"]["delimiter"] = json!(";");
        v["file"]["bom"] = json!(true);
    })
    .unwrap();
    let kari = customer("0017", "Kari Nordmann", "+4791234567", "kari@example.no");
    let c = changes(json!({"changed": [changed(kari, json!({
        "crm__standard_info__phone_1": "+46 70 123 45 67", "crm__standard_info__phone_2": "455 00 000",
        "crm__custom_info__70": "2024-03-05"}))]}));
    let files = update_file(&c, &m, &csv(), Some(&labels()), None).unwrap();
    let text = String::from_utf8(files.updates).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(rows[0], "Id;FirstName;LastName;Phone;MobilePhone;OtherPhone;Email;MailingStreet;Birthdate;MailingCity");
    assert_eq!(rows[1], "0017;;;+46701234567;45500000;;;;05.03.2024;");
}

#[test]
fn xlsx_update_files_are_workbooks() {
    let kari = customer("0017", "Kari Nordmann", "+4791234567", "kari@example.no");
    let c = changes(
        json!({"changed": [changed(kari, json!({"crm__standard_info__email": "k@x.no"}))]}),
    );
    let files = update_file(
        &c,
        &sf(),
        &UpdateFileOptions {
            format: Some(SheetFormat::Xlsx),
        },
        None,
        None,
    )
    .unwrap();
    for f in [&files.updates, &files.created, &files.removed] {
        assert_eq!(&f[..2], b"PK");
    }
}

#[test]
fn crm_exports_become_cube_import_records() {
    let export = vec![
        rec(
            json!({"Id": "003A1", "FirstName": " Anne Marie ", "LastName": "Ås Øvre", "Phone": "912 34 567",
            "MobilePhone": "", "OtherPhone": "0047 45500000", "Email": " Anne@Example.NO ", "MailingStreet": "Storgata 1",
            "MailingPostalCode": "0150", "MailingCity": "Oslo", "Unmapped": "x"}),
        ),
        rec(
            json!({"Id": "003A2", "FirstName": "", "LastName": "Nordmann", "Phone": "ring meg",
            "MobilePhone": "+47 455 00 001", "OtherPhone": "", "Email": "", "MailingStreet": "",
            "MailingPostalCode": "", "MailingCity": "", "Unmapped": ""}),
        ),
    ];
    let (records, columns) = import_records(&export, &sf(), Some(&labels())).unwrap();
    let headers: Vec<&str> = columns
        .iter()
        .map(|c| c.header.as_deref().unwrap())
        .collect();
    assert_eq!(
        headers,
        [
            "Customer ID",
            "Name",
            "Phone 1",
            "Phone 2",
            "Phone 3",
            "Email",
            "Address street",
            "Postal code",
            "City"
        ]
    );
    assert_eq!(columns[6].field, "crm__custom_info__64");
    assert_eq!(
        Value::Object(records[0].clone()),
        json!({"crm__customer_id": "003A1", "crm__standard_info__name": "Anne Marie Ås Øvre",
            "crm__standard_info__phone_1": "+4791234567", "crm__standard_info__phone_2": "",
            "crm__standard_info__phone_3": "+4745500000", "crm__standard_info__email": "anne@example.no",
            "crm__custom_info__64": "Storgata 1", "crm__custom_info__65": "0150", "crm__custom_info__66": "Oslo"})
    );
    assert_eq!(records[1]["crm__standard_info__name"], "Nordmann");
    assert_eq!(
        records[1]["crm__standard_info__phone_1"], "ring meg",
        "kept as it is"
    );
    // Without labels, the label is the column.
    let (records, columns) = import_records(&export, &sf(), None).unwrap();
    assert_eq!(columns[8].field, "City");
    assert_eq!(records[0]["City"], "Oslo");
    // A missing column: its path; optional ones are left out.
    let mut short = export.clone();
    for r in &mut short {
        r.remove("MailingCity");
        r.remove("Phone");
    }
    let e = import_records(&short, &sf(), None).unwrap_err();
    assert_eq!(path_of(e.clone()), "mapping.fields[0].crm");
    assert!(e.to_string().contains("no column \"Phone\""), "{e}");
    let e = import_records(&[rec(json!({"FirstName": "Kari"}))], &sf(), None).unwrap_err();
    assert_eq!(path_of(e), "mapping.key.crm");
    let mut no_id = export.clone();
    no_id[1].insert("Id".into(), json!(" "));
    match import_records(&no_id, &sf(), None).unwrap_err() {
        RecordsError::InvalidOption { option, reason } => {
            assert_eq!(option, "records");
            assert!(
                reason.starts_with("records[1] (row 3 of a CSV with a header) has no \"Id\""),
                "{reason}"
            );
        }
        other => panic!("{other}"),
    }
}
