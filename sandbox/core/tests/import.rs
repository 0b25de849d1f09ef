//! `POST /_sandbox/import` through the core (no edge): the package's own import sheets
//! (`cube-records`, `.xlsx` and CSV) create and update customers as Cube's Excel import does,
//! all or nothing, and what they did shows in every list until a reset.

use cube_records::{import_sheet, ImportSheetOptions, Labels, LongCells, Record, SheetFormat};
use cube_sandbox_core::dates::Date;
use cube_sandbox_core::{Body, Config, Request, Sandbox};
use serde_json::{json, Value};

const TODAY: &str = "2026-11-28";
const TOKEN: &str = "Token demo-token";

fn sandbox() -> Sandbox {
    let mut config = Config::for_tests();
    config.today = Date::parse_iso(TODAY);
    config.customers = 300;
    config.page_size = 100;
    Sandbox::new(config, 0)
}

/// `(status, JSON body)` of one request.
fn call(sb: &Sandbox, method: &str, target: &str, body: &[u8]) -> (u16, Value) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = vec![("authorization".to_string(), TOKEN.to_string())];
    let req = Request {
        method,
        path,
        query,
        headers: &headers,
        body,
        origin: "http://sandbox.test",
    };
    let response = sb.handle(&req, 0);
    let Body::Bytes(bytes) = response.body else {
        panic!("{target}: not a bytes answer")
    };
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{target}: {e}"))
    };
    (response.status, value)
}

fn get(sb: &Sandbox, target: &str) -> Value {
    let (status, value) = call(sb, "GET", target, b"");
    assert_eq!(status, 200, "{target}: {value}");
    value
}

fn import(sb: &Sandbox, query: &str, sheet: &[u8]) -> (u16, Value) {
    call(sb, "POST", &format!("/_sandbox/import?{query}"), sheet)
}

const B2C1: &str = "dataOwnerId=1&crmType=B2C";

fn records(value: Value) -> Vec<Record> {
    serde_json::from_value(value).unwrap()
}

fn sheet(records: &[Record], format: SheetFormat, labels: Option<&Labels>) -> Vec<u8> {
    let options = ImportSheetOptions {
        format,
        ..ImportSheetOptions::default()
    };
    import_sheet(records, &options, labels, LongCells::Refuse).unwrap()
}

fn customer(sb: &Sandbox, owner: u32, crm: &str, id: &str) -> Value {
    get(
        sb,
        &format!("/api/v1/data_owners/{owner}/{crm}/customers/{id}"),
    )
}

fn custom_fields(sb: &Sandbox) -> Value {
    get(sb, "/api/v1/data_owners/1/B2C/crm_custom_fields/")
}

/// Two new customers (Nordic names, a leading-zero postal code, phones as text) with custom
/// fields by label, and a generated customer's phone 2 changed.
fn new_customers(sb: &Sandbox) -> Vec<Record> {
    let fields = custom_fields(sb);
    let key = |label: &str| {
        fields
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == label)
            .unwrap()["lookup__id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    records(json!([
        {"crm__customer_id": "000901", "crm__standard_info__name": "Åse Ødegård",
         "crm__standard_info__phone_1": "+4791234567", "crm__standard_info__phone_2": "004722334455",
         "crm__standard_info__email": "ase@example.no", key("Postal code"): "0150",
         key("City"): "Tromsø", key("Birth year"): 1985},
        {"crm__customer_id": "E-77", "crm__standard_info__name": "Bjørn Æsøy",
         "crm__standard_info__phone_1": "912 34 567", "crm__standard_info__phone_2": "",
         "crm__standard_info__email": "", key("Postal code"): "9008",
         key("City"): "", key("Birth year"): ""}
    ]))
}

#[test]
fn a_sheet_creates_then_updates_and_a_second_import_changes_nothing() {
    for format in [SheetFormat::Xlsx, SheetFormat::Csv] {
        let sb = sandbox();
        let labels = Labels::from_custom_fields(&custom_fields(&sb)).unwrap();
        let recs = new_customers(&sb);
        let bytes = sheet(&recs, format, Some(&labels));
        let (status, report) = import(&sb, B2C1, &bytes);
        assert_eq!(status, 200, "{format:?}: {report}");
        assert_eq!(
            report,
            json!({"created": 2, "updated": 0, "unchanged": 0, "rows": 2, "errors": []})
        );
        for r in &recs {
            let id = r["crm__customer_id"].as_str().unwrap();
            let back = customer(&sb, 1, "B2C", id);
            for (k, v) in r {
                let want = match v {
                    // A CSV is all text; .xlsx keeps the number.
                    Value::Number(n) if format == SheetFormat::Csv => json!(n.to_string()),
                    v => v.clone(),
                };
                assert_eq!(back[k], want, "{format:?} {id} {k}");
            }
            assert_eq!(back["crm__change_log__update_method"], "Import new");
            assert_eq!(back["crm__change_log__updated"], TODAY);
            assert_eq!(
                back["crm__change_log__updated_by"],
                "import@nordlys.example"
            );
        }
        // The same sheet again: nothing to change.
        let (_, again) = import(&sb, B2C1, &bytes);
        assert_eq!(
            again,
            json!({"created": 0, "updated": 0, "unchanged": 2, "rows": 2, "errors": []})
        );
        // One row edited: an update with Import update; the other row unchanged.
        let mut edited = recs.clone();
        edited[1].insert(
            "crm__standard_info__email".into(),
            json!("bjorn@example.no"),
        );
        let (_, third) = import(&sb, B2C1, &sheet(&edited, format, Some(&labels)));
        assert_eq!(
            third,
            json!({"created": 0, "updated": 1, "unchanged": 1, "rows": 2, "errors": []})
        );
        let back = customer(&sb, 1, "B2C", "E-77");
        assert_eq!(back["crm__standard_info__email"], "bjorn@example.no");
        assert_eq!(back["crm__change_log__update_method"], "Import update");
    }
}

#[test]
fn a_row_of_a_generated_customer_updates_it_and_empty_cells_leave_fields_as_they_are() {
    let sb = sandbox();
    let page = get(&sb, "/api/v1/data_owners/1/B2C/customers/");
    let original = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["crm__customer_id"] != "" && r["crm__standard_info__email"] != "")
        .unwrap()
        .clone();
    let id = original["crm__customer_id"].as_str().unwrap();
    // Only the id, a new name and phone 3; the e-mail cell is empty.
    let sheet_csv =
        format!("Customer ID;Name;Phone 3;Email\r\n{id};Kari Nordmann-Ås;'+4799887766;\r\n");
    let (status, report) = import(&sb, B2C1, sheet_csv.as_bytes());
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["updated"], 1);
    let back = customer(&sb, 1, "B2C", id);
    assert_eq!(back["crm__standard_info__name"], "Kari Nordmann-Ås");
    assert_eq!(back["crm__standard_info__phone_3"], "+4799887766");
    assert_eq!(
        back["crm__standard_info__email"], original["crm__standard_info__email"],
        "an empty cell leaves the field as it is"
    );
    assert_eq!(
        back["crm__standard_info__phone_1"],
        original["crm__standard_info__phone_1"]
    );
    assert_eq!(back["crm__change_log__update_method"], "Import update");
    assert_eq!(back["crm__change_log__updated"], TODAY);
    // The same values again: unchanged, the change log kept.
    let (_, again) = import(&sb, B2C1, sheet_csv.as_bytes());
    assert_eq!(again["unchanged"], 1);
    // A simulated edit afterwards keeps the imported name's first name.
    let edits = call(
        &sb,
        "POST",
        "/_sandbox/edits",
        json!({"count": 300, "dataOwnerId": 1, "crmType": "B2C", "seed": 5})
            .to_string()
            .as_bytes(),
    )
    .1;
    if let Some(e) = edits["edited"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["customerId"] == id && e["values"]["crm__standard_info__name"].is_string())
    {
        let name = e["values"]["crm__standard_info__name"].as_str().unwrap();
        assert!(name.starts_with("Kari "), "{name}");
    }
    // Reset brings the generated customer back.
    call(&sb, "POST", "/_sandbox/reset", b"");
    assert_eq!(customer(&sb, 1, "B2C", id), original);
}

#[test]
fn imported_customers_show_in_every_list_survive_edits_and_go_with_a_reset() {
    let sb = sandbox();
    let labels = Labels::from_custom_fields(&custom_fields(&sb)).unwrap();
    let (status, _) = import(
        &sb,
        B2C1,
        &sheet(&new_customers(&sb), SheetFormat::Xlsx, Some(&labels)),
    );
    assert_eq!(status, 200);
    // The list: 302 customers, the new ones on the last page, in sheet order.
    let last = get(&sb, "/api/v1/data_owners/1/B2C/customers/?page=4");
    assert_eq!(last["count"], 302);
    let ids: Vec<&str> = last["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["crm__customer_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["000901", "E-77"]);
    // The other CRMs are untouched.
    assert_eq!(
        get(&sb, "/api/v1/data_owners/1/B2B/customers/")["count"],
        300
    );
    // Callflow (CRM-wide) and the legacy list of the CRM's first campaign.
    let callflow = get(
        &sb,
        "/api/v1/data_owners/1/crm/B2C/callflow_customers/?page=4",
    );
    assert_eq!(callflow["count"], 302);
    assert_eq!(callflow["results"][1]["crm__customer_id"], "E-77");
    let first_b2c = get(&sb, "/_sandbox/info")["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["dataOwnerId"] == 1 && k["crmType"] == "B2C")
        .unwrap()["id"]
        .clone();
    assert_eq!(callflow["results"][1]["campaign__id"], first_b2c);
    let legacy = get(&sb, &format!("/crm/customers?assignment_id={first_b2c}"));
    let row = legacy
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer_id"] == "000901")
        .expect("in the legacy list of the CRM's first campaign");
    assert_eq!(row["name"], "Åse Ødegård");
    assert_eq!(row["postal_code"], "0150");
    assert_eq!(row["update_method"], "Import new");
    assert_eq!(get(&sb, "/_sandbox/info")["counts"]["createdCustomers"], 2);
    // Edits leave them be; a reset removes them.
    call(&sb, "POST", "/_sandbox/edits", br#"{"count": 50}"#);
    assert_eq!(
        customer(&sb, 1, "B2C", "E-77")["crm__standard_info__name"],
        "Bjørn Æsøy"
    );
    call(&sb, "POST", "/_sandbox/reset", b"");
    let (status, _) = call(&sb, "GET", "/api/v1/data_owners/1/B2C/customers/E-77", b"");
    assert_eq!(status, 404);
    assert_eq!(
        get(&sb, "/api/v1/data_owners/1/B2C/customers/")["count"],
        300
    );
}

#[test]
fn a_customer_created_through_the_legacy_api_is_updated_by_an_import() {
    let sb = sandbox();
    let body = json!({"customer_id": "L-1", "assignment_id": 101, "name": "Ola Nordmann"});
    let (status, _) = call(&sb, "POST", "/crm/customers", body.to_string().as_bytes());
    assert_eq!(status, 201);
    let (_, report) = import(
        &sb,
        B2C1,
        "Customer ID,Email\nL-1,ola@example.no\n".as_bytes(),
    );
    assert_eq!(report["updated"], 1, "{report}");
    let back = customer(&sb, 1, "B2C", "L-1");
    assert_eq!(back["crm__standard_info__name"], "Ola Nordmann");
    assert_eq!(back["crm__standard_info__email"], "ola@example.no");
    assert_eq!(back["crm__change_log__update_method"], "Import update");
}

/// The 400s: every row error at once, each with its row and column, and nothing changed.
#[test]
fn a_sheet_with_errors_changes_nothing_and_names_every_row() {
    let sb = sandbox();
    let fields = custom_fields(&sb);
    let birth_year = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "Birth year")
        .unwrap();
    let csv = format!(
        "Customer ID,Name,{}\n\
         N-1,Ny Kunde,1985\n\
         ,Uten Id,1986\n\
         N-1,Dobbel,1987\n\
         N-2,For lang,{}\n\
         N-3,Ekstra,1988,overflow\n",
        birth_year["lookup__id"].as_str().unwrap(),
        "9".repeat(21),
    );
    let (status, body) = import(&sb, B2C1, csv.as_bytes());
    assert_eq!(status, 400);
    let rows: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    let key = birth_year["lookup__id"].as_str().unwrap();
    assert_eq!(
        rows,
        [(3, "Customer ID"), (4, "Customer ID"), (5, key), (6, "D")]
    );
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("import: nothing was imported: row 3, Customer ID: no customer id"),
        "{detail}"
    );
    assert!(detail.ends_with("(and 3 more: see errors)"), "{detail}");
    assert!(body["errors"][1]["message"]
        .as_str()
        .unwrap()
        .contains("also in row 2"));
    assert!(body["errors"][2]["message"]
        .as_str()
        .unwrap()
        .contains("21 characters; Birth year holds at most 20"));
    // Nothing was created, not even the good row.
    assert_eq!(
        get(&sb, "/api/v1/data_owners/1/B2C/customers/")["count"],
        300
    );
}

#[test]
fn header_problems_are_400s_naming_the_column() {
    let sb = sandbox();
    for (csv, column, says) in [
        (
            "Customer ID,Colour\n1,red\n",
            Some("Colour"),
            "\"Colour\" is no field of data owner 1's B2C CRM",
        ),
        (
            "Customer ID,Org number\n1,9\n",
            Some("Org number"),
            "custom fields (Address street, Postal code",
        ),
        ("Name,Email\nÅse,a@b.no\n", None, "no Customer ID column"),
        (
            "Customer ID,Name,crm__standard_info__name\n1,a,b\n",
            Some("crm__standard_info__name"),
            "same field as the column \"Name\"",
        ),
        (
            "Customer ID,Name,Name\n1,a,b\n",
            Some("Name"),
            "the header \"Name\" is in two columns",
        ),
        (
            "Customer ID,crm__change_log__updated\n1,2024-01-01\n",
            Some("crm__change_log__updated"),
            "is set by the import itself",
        ),
    ] {
        let (status, body) = import(&sb, B2C1, csv.as_bytes());
        assert_eq!(status, 400, "{csv}");
        let e = &body["errors"][0];
        assert_eq!(e["row"], 1, "{csv}");
        assert_eq!(e["column"].as_str(), column, "{csv}");
        assert!(e["message"].as_str().unwrap().contains(says), "{csv}: {e}");
    }
    // A B2B label in the B2B CRM is a field.
    let (status, body) = import(
        &sb,
        "dataOwnerId=1&crmType=B2B",
        b"Customer ID,Org number\nB-1,912345678\n",
    );
    assert_eq!((status, &body["created"]), (200, &json!(1)), "{body}");
}

#[test]
fn the_query_and_the_body_are_checked_before_the_sheet() {
    let sb = sandbox();
    let csv = b"Customer ID\n1\n";
    for (query, body, says) in [
        ("", &csv[..], "import: dataOwnerId is required"),
        ("dataOwnerId=1", csv, "import: crmType is required"),
        (
            "dataOwnerId=1&crmType=B2C&count=5",
            csv,
            "import: unknown parameter 'count'; /_sandbox/import takes dataOwnerId and crmType",
        ),
        (
            "dataOwnerId=1&dataOwnerId=2&crmType=B2C",
            csv,
            "import: dataOwnerId is given twice",
        ),
        (
            "dataOwnerId=x&crmType=B2C",
            csv,
            "import: dataOwnerId 'x' is not a data owner id",
        ),
        ("dataOwnerId=9&crmType=B2C", csv, "import: no data owner 9"),
        (
            "dataOwnerId=1&crmType=b2c",
            csv,
            "import: crmType 'b2c' is not B2C or B2B",
        ),
        (B2C1, b"", "import: no sheet"),
        (B2C1, br#"{"rows": []}"#, "import: the body is JSON"),
        (B2C1, b"PK\x03\x04 junk", "the .xlsx file is damaged"),
        (B2C1, b"Customer ID\n\xF8\n", "is not UTF-8"),
    ] {
        let (status, answer) = import(&sb, query, body);
        assert_eq!(status, 400, "{query}");
        let detail = answer["detail"].as_str().unwrap();
        assert!(detail.contains(says), "{query}: {detail}");
        assert_eq!(answer["errors"], json!([]));
    }
    // And the other control routes still read no query parameter.
    let (status, answer) = call(&sb, "POST", "/_sandbox/reset?dataOwnerId=1", b"");
    assert_eq!(status, 400, "{answer}");
}
