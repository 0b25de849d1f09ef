//! `POST /_sandbox/import` over HTTP: the package's import sheet (`cube-records`, as
//! `importSheet()` writes it) in, the customers read back through the API equal to the records
//! on every field the sheet carries; a second import changes nothing, an edited row is an
//! `Import update`; a sheet with errors changes nothing.

mod common;

use common::Sandbox;
use cube_records::{import_sheet, ImportSheetOptions, Labels, LongCells, Record, SheetFormat};
use cube_sandbox::dates::Date;
use serde_json::{json, Value};

const TODAY: &str = "2026-11-28";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn sandbox() -> Sandbox {
    Sandbox::with_config(|c| {
        c.today = Date::parse_iso(TODAY);
        c.customers = 250;
    })
}

fn import(sb: &Sandbox, query: &str, content_type: &str, sheet: &[u8]) -> (u16, Value) {
    let r = sb.request(
        "POST",
        &format!("/_sandbox/import?{query}"),
        &[("Content-Type", content_type)],
        Some(sheet),
    );
    (r.status, r.json())
}

/// Customers as an integrator's CRM has them: Nordic names, a postal code with a leading zero,
/// phones as people type them, ids that are not numbers; custom fields by key.
fn records(fields: &Value) -> Vec<Record> {
    let key = |label: &str| {
        fields
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == label)
            .unwrap_or_else(|| panic!("no {label}"))["lookup__id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (street, postal, city) = (key("Address street"), key("Postal code"), key("City"));
    serde_json::from_value(json!([
        {"crm__customer_id": "000417", "crm__standard_info__name": "Åse Ødegård",
         "crm__standard_info__phone_1": "+4791234567", "crm__standard_info__phone_2": "+47 22 33 44 55",
         "crm__standard_info__phone_3": "", "crm__standard_info__email": "ase.odegard@example.no",
         &street: "Kjærlighetsstien 3B", &postal: "0150", &city: "Oslo"},
        {"crm__customer_id": "CRM-2", "crm__standard_info__name": "Bjørn Æsøy",
         "crm__standard_info__phone_1": "004790000000", "crm__standard_info__phone_2": "",
         "crm__standard_info__phone_3": "912 34 567", "crm__standard_info__email": "",
         &street: "", &postal: "9008", &city: "Tromsø"},
        {"crm__customer_id": "0", "crm__standard_info__name": "Øystein Lærum",
         "crm__standard_info__phone_1": "07000", "crm__standard_info__phone_2": "",
         "crm__standard_info__phone_3": "", "crm__standard_info__email": "o@example.no",
         &street: "Storgata 1", &postal: "0001", &city: "Ås"}
    ]))
    .unwrap()
}

#[test]
fn the_packages_sheet_round_trips_through_the_import_in_both_formats() {
    for (format, content_type) in [(SheetFormat::Xlsx, XLSX), (SheetFormat::Csv, "text/csv")] {
        let sb = sandbox();
        let fields = sb.get_json("/api/v1/data_owners/2/B2C/crm_custom_fields/");
        let labels = Labels::from_custom_fields(&fields).unwrap();
        let recs = records(&fields);
        let options = ImportSheetOptions {
            format,
            ..ImportSheetOptions::default()
        };
        let sheet = |recs: &[Record]| {
            import_sheet(recs, &options, Some(&labels), LongCells::Refuse).unwrap()
        };
        let query = "dataOwnerId=2&crmType=B2C";
        let (status, report) = import(&sb, query, content_type, &sheet(&recs));
        assert_eq!(status, 200, "{format:?}: {report}");
        assert_eq!(
            report,
            json!({"created": 3, "updated": 0, "unchanged": 0, "rows": 3, "errors": []})
        );
        // Read back: one by one and as the last page of the list.
        let page = sb.get_json("/api/v1/data_owners/2/B2C/customers/?page=last");
        assert_eq!(page["count"], 253);
        let listed = page["results"].as_array().unwrap();
        for (r, from_list) in recs.iter().zip(&listed[listed.len() - 3..]) {
            let id = r["crm__customer_id"].as_str().unwrap();
            let one = sb.get_json(&format!("/api/v1/data_owners/2/B2C/customers/{id}"));
            assert_eq!(&one, from_list);
            for (k, v) in r {
                assert_eq!(&one[k], v, "{format:?} {id}: {k}");
            }
            assert_eq!(one["crm__change_log__updated"], TODAY);
            assert_eq!(one["crm__change_log__update_method"], "Import new");
        }
        // Again: nothing changes, not even the change log.
        let (_, again) = import(&sb, query, content_type, &sheet(&recs));
        assert_eq!(again["unchanged"], 3, "{again}");
        // One row edited: that customer is an Import update.
        let mut edited = recs.clone();
        edited[2].insert("crm__standard_info__phone_2".into(), json!("+4745500000"));
        let (_, third) = import(&sb, query, content_type, &sheet(&edited));
        assert_eq!(
            third,
            json!({"created": 0, "updated": 1, "unchanged": 2, "rows": 3, "errors": []})
        );
        let one = sb.get_json("/api/v1/data_owners/2/B2C/customers/0");
        assert_eq!(one["crm__standard_info__phone_2"], "+4745500000");
        assert_eq!(one["crm__change_log__update_method"], "Import update");
        assert_eq!(
            one["crm__change_log__updated_by"],
            "import@fjordnett.example"
        );
        // Reset: gone.
        assert_eq!(sb.control("POST", "/_sandbox/reset", None).status, 200);
        assert_eq!(sb.get("/api/v1/data_owners/2/B2C/customers/0").status, 404);
    }
}

#[test]
fn a_sheet_with_a_bad_row_changes_nothing() {
    let sb = sandbox();
    let csv = "Customer ID;Name\r\nOK-1;Ola\r\n;Kari\r\n";
    let (status, body) = import(&sb, "dataOwnerId=1&crmType=B2B", "text/csv", csv.as_bytes());
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"],
        json!([{"row": 3, "column": "Customer ID", "message": "no customer id: every row needs the id of its customer"}])
    );
    assert_eq!(
        sb.get("/api/v1/data_owners/1/B2B/customers/OK-1").status,
        404
    );
    let count = sb.get_json("/api/v1/data_owners/1/B2B/customers/")["count"].clone();
    assert_eq!(count, 250);
}
