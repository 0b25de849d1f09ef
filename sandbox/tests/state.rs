//! Simulated edits, customers created through the legacy API, and reset.

mod common;

use common::{Sandbox, DEMO_TOKEN, PARTNER_TOKEN};
use cube_sandbox::data::names::ascii_slug;
use cube_sandbox::dates::Date;
use serde_json::{json, Value};

fn sandbox() -> Sandbox {
    Sandbox::with_config(|c| c.today = Date::parse_iso("2026-11-28"))
}

fn customer(sb: &Sandbox, owner: u64, crm: &str, id: &str) -> Value {
    sb.get_json(&format!("/api/v1/data_owners/{owner}/{crm}/customers/{id}"))
}

#[test]
fn edits_change_customers_and_their_change_log() {
    let sb = sandbox();
    let r = sb.control(
        "POST",
        "/_sandbox/edits",
        Some(&json!({"count": 6, "dataOwnerId": 1, "crmType": "B2C", "seed": 3})),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let edited = r.json()["edited"].as_array().unwrap().clone();
    assert_eq!(edited.len(), 6);
    for e in &edited {
        assert_eq!(e["dataOwnerId"], 1);
        assert_eq!(e["crmType"], "B2C");
        let id = e["customerId"].as_str().unwrap();
        let now = customer(&sb, 1, "B2C", id);
        assert_eq!(now["crm__change_log__updated"], "2026-11-28");
        assert_eq!(now["crm__change_log__update_method"], "Manual update");
        assert!(now["crm__change_log__updated_by"]
            .as_str()
            .unwrap()
            .contains('@'));
        let fields = e["fields"].as_array().unwrap();
        assert!(!fields.is_empty());
        for f in fields {
            let f = f.as_str().unwrap();
            assert!(
                [
                    "crm__standard_info__name",
                    "crm__standard_info__phone_1",
                    "crm__standard_info__email"
                ]
                .contains(&f),
                "{f}"
            );
            assert_eq!(now[f], e["values"][f], "{f}");
        }
    }
    // The same seed repeats after a reset; without a seed each round differs.
    assert_eq!(sb.control("POST", "/_sandbox/reset", None).status, 200);
    let again = sb
        .control(
            "POST",
            "/_sandbox/edits",
            Some(&json!({"count": 6, "dataOwnerId": 1, "crmType": "B2C", "seed": 3})),
        )
        .json();
    assert_eq!(again["edited"], Value::Array(edited.clone()));
    let a = sb
        .control("POST", "/_sandbox/edits", Some(&json!({"count": 3})))
        .json();
    let b = sb
        .control("POST", "/_sandbox/edits", Some(&json!({"count": 3})))
        .json();
    assert_ne!(a, b);
    // Reset brings the original customer back.
    let id = edited[0]["customerId"].as_str().unwrap();
    sb.control("POST", "/_sandbox/reset", None);
    let restored = customer(&sb, 1, "B2C", id);
    assert_ne!(restored["crm__change_log__updated"], "2026-11-28");
}

#[test]
fn set_edits_give_imported_and_generated_customers_the_values_sent() {
    let sb = sandbox();
    let r = sb.request(
        "POST",
        "/_sandbox/import?dataOwnerId=1&crmType=B2C",
        &[("Content-Type", "text/csv")],
        Some("Customer ID,Name,Phone 1,Email,City\r\n003A000001xYzAbCD2,Anne Marie Ås,912 34 567,am@example.no,Oslo\r\n".as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let fields = sb.get_json("/api/v1/data_owners/1/B2C/crm_custom_fields/");
    let city = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "City")
        .unwrap()["lookup__id"]
        .as_str()
        .unwrap()
        .to_string();
    let b2b = sb.get_json("/api/v1/data_owners/1/B2B/customers/")["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["crm__customer_id"].as_str().unwrap().to_string())
        .find(|id| !id.is_empty())
        .unwrap();
    let body = json!({"set": [
        {"customerId": "003A000001xYzAbCD2", "dataOwnerId": 1, "crmType": "B2C",
         "fields": {"crm__standard_info__name": "Anne Marie Østby", "crm__standard_info__email": "",
                    &city: "Tromsø"}},
        {"customerId": b2b, "dataOwnerId": 1, "crmType": "B2B",
         "fields": {"crm__standard_info__phone_2": "+4722334455"}},
    ]});
    let r = sb.control("POST", "/_sandbox/edits", Some(&body));
    assert_eq!(r.status, 200, "{}", r.text());
    let edited = r.json()["edited"].as_array().unwrap().clone();
    assert_eq!(edited.len(), 2);
    assert_eq!(
        edited[0]["fields"],
        json!([
            "crm__standard_info__name",
            "crm__standard_info__email",
            city
        ])
    );
    let imported = customer(&sb, 1, "B2C", "003A000001xYzAbCD2");
    assert_eq!(imported["crm__standard_info__name"], "Anne Marie Østby");
    assert_eq!(imported["crm__standard_info__email"], "");
    assert_eq!(imported[&city], "Tromsø");
    assert_eq!(imported["crm__standard_info__phone_1"], "912 34 567");
    assert_eq!(imported["crm__change_log__update_method"], "Manual update");
    assert_eq!(imported["crm__change_log__updated"], "2026-11-28");
    assert_eq!(
        imported["crm__change_log__updated_by"],
        edited[0]["values"]["crm__change_log__updated_by"]
    );
    let generated = customer(&sb, 1, "B2B", &b2b);
    assert_eq!(generated["crm__standard_info__phone_2"], "+4722334455");
    // A mistake in any entry: a 400 naming it, and nothing changes.
    let r = sb.control(
        "POST",
        "/_sandbox/edits",
        Some(&json!({"set": [
            {"customerId": "003A000001xYzAbCD2", "dataOwnerId": 1, "crmType": "B2C",
             "fields": {"crm__standard_info__phone_1": "+4790000000"}},
            {"customerId": "nobody", "dataOwnerId": 1, "crmType": "B2C",
             "fields": {"crm__standard_info__phone_1": "+4790000000"}},
        ]})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .starts_with("edits: set[1].customerId: no customer 'nobody' in data owner 1's B2C CRM"));
    assert_eq!(
        customer(&sb, 1, "B2C", "003A000001xYzAbCD2")["crm__standard_info__phone_1"],
        "912 34 567"
    );
    // A reset takes the imported customer and the edits away.
    sb.control("POST", "/_sandbox/reset", None);
    assert_eq!(
        sb.get("/api/v1/data_owners/1/B2C/customers/003A000001xYzAbCD2")
            .status,
        404
    );
}

#[test]
fn edits_validate_their_body() {
    let sb = sandbox();
    for body in [
        json!({"count": 1, "crmType": "B2X"}),
        json!({"count": 1, "dataOwnerId": 99}),
        json!({"count": "many"}),
        json!({"count": 1, "colour": "red"}),
    ] {
        let r = sb.control("POST", "/_sandbox/edits", Some(&body));
        assert_eq!(r.status, 400, "{body}");
        assert!(r.json()["detail"].is_string());
    }
}

#[test]
fn a_name_edit_changes_the_last_name_only() {
    // Cube has one name field: a new last name shows as crm__standard_info__name with the
    // same first name (B2C only; a company's name is never edited).
    let sb = sandbox();
    let original = sandbox();
    let edited = sb
        .control(
            "POST",
            "/_sandbox/edits",
            Some(&json!({"count": 60, "dataOwnerId": 1, "crmType": "B2C", "seed": 8})),
        )
        .json();
    let legacy: Vec<Value> = sb
        .get_json("/crm/customers?assignment_id=101")
        .as_array()
        .unwrap()
        .clone();
    let (mut names, mut emails, mut in_legacy) = (0, 0, 0);
    for e in edited["edited"].as_array().unwrap() {
        let Some(new) = e["values"]["crm__standard_info__name"].as_str() else {
            continue;
        };
        names += 1;
        let id = e["customerId"].as_str().unwrap();
        let before = customer(&original, 1, "B2C", id);
        let old = before["crm__standard_info__name"].as_str().unwrap();
        let (old_first, old_last) = old.split_once(' ').unwrap();
        let (new_first, new_last) = new.split_once(' ').unwrap();
        assert_eq!(new_first, old_first, "{id}: {old} → {new}");
        assert_ne!(new_last, old_last, "{id}: {old} → {new}");
        assert!(!new_last.contains(' '), "{new}");
        assert_eq!(customer(&sb, 1, "B2C", id)["crm__standard_info__name"], new);
        // An e-mail changed in the same edit follows the new name.
        if let Some(email) = e["values"]["crm__standard_info__email"].as_str() {
            let local = format!("{}.{}", ascii_slug(new_first), ascii_slug(new_last));
            assert!(email.starts_with(&local), "{email} for {new}");
            emails += 1;
        }
        if let Some(record) = legacy.iter().find(|r| r["customer_id"] == id) {
            in_legacy += 1;
            assert_eq!(record["name"], new, "the legacy record of {id}");
        }
    }
    assert!(
        names >= 10 && emails >= 1 && in_legacy >= 1,
        "{names} name edits, {emails} with an e-mail, {in_legacy} in campaign 101"
    );
    let b2b = sb
        .control(
            "POST",
            "/_sandbox/edits",
            Some(&json!({"count": 60, "dataOwnerId": 1, "crmType": "B2B", "seed": 8})),
        )
        .json();
    for e in b2b["edited"].as_array().unwrap() {
        assert!(!e["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("crm__standard_info__name")));
    }
}

#[test]
fn edits_without_a_count_edit_one_customer() {
    let sb = sandbox();
    for body in [
        None,
        Some(Value::Null),
        Some(json!({})),
        Some(json!({"seed": 4})),
    ] {
        let r = sb.control("POST", "/_sandbox/edits", body.as_ref());
        assert_eq!(r.status, 200, "{body:?}: {}", r.text());
        assert_eq!(r.json()["edited"].as_array().unwrap().len(), 1, "{body:?}");
    }
}

#[test]
fn an_unknown_edits_member_is_named_with_the_ones_taken() {
    let sb = sandbox();
    let r = sb.control(
        "POST",
        "/_sandbox/edits",
        Some(&json!({"count": 1, "lastName": "Berg"})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .split(" at line")
            .next()
            .unwrap(),
        "edits: unknown field `lastName`, expected one of `count`, `dataOwnerId`, `crmType`, `seed`, `set`"
    );
    assert_eq!(
        sb.control("GET", "/_sandbox/info", None).json()["counts"]["editedCustomers"],
        0
    );
}

#[test]
fn edits_flag_applies_at_start() {
    let sb = Sandbox::with_config(|c| {
        c.edits = 25;
        c.today = Date::parse_iso("2026-11-28");
    });
    let info = sb.control("GET", "/_sandbox/info", None).json();
    let edited = info["counts"]["editedCustomers"].as_u64().unwrap();
    assert!((20..=25).contains(&edited), "{edited}");
    let mut manual_today = 0;
    for owner in 1..=3 {
        for crm in ["B2C", "B2B"] {
            let mut page = 1;
            loop {
                let p = sb.get_json(&format!(
                    "/api/v1/data_owners/{owner}/{crm}/customers/?page={page}"
                ));
                manual_today += p["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["crm__change_log__updated"] == "2026-11-28")
                    .count();
                if p["next"].is_null() {
                    break;
                }
                page += 1;
            }
        }
    }
    assert_eq!(manual_today as u64, edited);
}

#[test]
fn legacy_post_creates_a_customer() {
    let sb = sandbox();
    let body = json!({
        "customer_id": "CRM-ØST-1",
        "assignment_id": 101,
        "name": "Åse Kjærsti Ødegård",
        "phone_1": "+47 912 34 567",
        "email": "ase@example.no",
        "address": "Bjørnveien 3",
        "postal_code": "0150",
        "city": "Oslo"
    });
    let r = sb.post_json("/crm/customers", Some(DEMO_TOKEN), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let created = r.json();
    assert_eq!(created["customer_id"], "CRM-ØST-1");
    assert_eq!(created["name"], "Åse Kjærsti Ødegård");
    assert_eq!(created["postal_code"], "0150");
    assert_eq!(created["updated"], "2026-11-28");
    // visible through both APIs
    let legacy = sb.get_json("/crm/customers?assignment_id=101");
    assert!(legacy
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["customer_id"] == "CRM-ØST-1"));
    let one = customer(&sb, 1, "B2C", "CRM-%C3%98ST-1");
    assert_eq!(one["crm__standard_info__name"], "Åse Kjærsti Ødegård");
    assert_eq!(one["crm__standard_info__phone_1"], "+47 912 34 567");
    let list = sb.get_json("/api/v1/data_owners/1/B2C/customers/?page=5");
    assert_eq!(list["count"], 2001);
    assert_eq!(list["results"][0]["crm__customer_id"], "CRM-ØST-1");
    // duplicates and missing fields are 400s naming the field
    let dup = sb.post_json("/crm/customers", Some(DEMO_TOKEN), &body);
    assert_eq!(dup.status, 400);
    assert_eq!(dup.json()["param"], "customer_id");
    let taken = sb.post_json(
        "/crm/customers",
        Some(DEMO_TOKEN),
        &json!({"customer_id": "100001", "assignment_id": 101}),
    );
    assert_eq!(taken.status, 400, "a generated id is taken too");
    for (body, param) in [
        (json!({"assignment_id": 101}), "customer_id"),
        (
            json!({"customer_id": "", "assignment_id": 101}),
            "customer_id",
        ),
        (json!({"customer_id": "X1"}), "assignment_id"),
        (
            json!({"customer_id": "X1", "assignment_id": "abc"}),
            "assignment_id",
        ),
        (
            json!({"customer_id": "X1", "assignment_id": 999}),
            "assignment_id",
        ),
        // The standard text fields are DRF CharFields: strings or numbers, nothing else
        // (found by Schemathesis: an object as e-mail was accepted as "").
        (
            json!({"customer_id": "X1", "assignment_id": 101, "email": {}}),
            "email",
        ),
        (
            json!({"customer_id": "X1", "assignment_id": 101, "name": null}),
            "name",
        ),
        (
            json!({"customer_id": "X1", "assignment_id": 101, "phone_2": true}),
            "phone_2",
        ),
    ] {
        let r = sb.post_json("/crm/customers", Some(DEMO_TOKEN), &body);
        assert_eq!(r.status, 400, "{body}");
        let e = r.json();
        assert_eq!(e["param"], param, "{body}");
        assert!(e[param].is_array(), "DRF field errors: {e}");
    }
    let r = sb.request(
        "POST",
        "/crm/customers",
        &[
            ("Authorization", DEMO_TOKEN),
            ("Content-Type", "application/json"),
        ],
        Some(b"{not json"),
    );
    assert_eq!(r.status, 400);
    // auth and permissions
    assert_eq!(sb.post_json("/crm/customers", None, &body).status, 401);
    let other = json!({"customer_id": "P-1", "assignment_id": 201});
    assert_eq!(
        sb.post_json("/crm/customers", Some(PARTNER_TOKEN), &other)
            .status,
        403
    );
    // reset forgets it
    sb.control("POST", "/_sandbox/reset", None);
    let list = sb.get_json("/api/v1/data_owners/1/B2C/customers/?page=4");
    assert_eq!(list["count"], 2000);
}

#[test]
fn reset_clears_the_log() {
    let sb = sandbox();
    sb.get("/account/who_am_i");
    assert_eq!(
        sb.control("GET", "/_sandbox/requests", None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = sb.control("POST", "/_sandbox/reset", None);
    assert_eq!(r.json(), json!({"reset": true}));
    assert_eq!(
        sb.control("GET", "/_sandbox/requests", None).json(),
        json!([])
    );
}

#[test]
fn control_routes_refuse_what_they_do_not_read() {
    let sb = sandbox();
    sb.control(
        "POST",
        "/_sandbox/edits",
        Some(&json!({"count": 2, "seed": 1})),
    );
    sb.control("POST", "/_sandbox/faults", Some(&json!({"latencyMs": 1})));
    let raw = |method: &str, target: &str, body: &[u8]| {
        sb.request(
            method,
            target,
            &[("Content-Type", "application/json")],
            Some(body),
        )
    };
    for (method, target, body, detail) in [
        (
            "POST",
            "/_sandbox/reset",
            &br#"{"keepEdits": true}"#[..],
            "reset: unknown field `keepEdits`; /_sandbox/reset takes no options",
        ),
        (
            "POST",
            "/_sandbox/reset",
            b"[1]",
            "reset: /_sandbox/reset takes no body (send none, null or {})",
        ),
        (
            "POST",
            "/_sandbox/reset?keep=edits",
            b"",
            "reset: unknown query parameter 'keep'; /_sandbox/reset takes none",
        ),
        (
            "DELETE",
            "/_sandbox/faults",
            br#"{"rules": []}"#,
            "faults: unknown field `rules`; /_sandbox/faults takes no options",
        ),
        (
            "DELETE",
            "/_sandbox/requests",
            br#"{"before": 3}"#,
            "requests: unknown field `before`; /_sandbox/requests takes no options",
        ),
        (
            "GET",
            "/_sandbox/requests?path=/api/v1/campaigns",
            b"",
            "requests: unknown query parameter 'path'; /_sandbox/requests takes none",
        ),
        (
            "POST",
            "/_sandbox/edits?count=5",
            b"",
            "edits: unknown query parameter 'count'; /_sandbox/edits takes none (its options go \
             in the JSON body)",
        ),
        (
            "POST",
            "/_sandbox/faults?latencyMs=5",
            b"null",
            "faults: unknown query parameter 'latencyMs'; /_sandbox/faults takes none (its \
             options go in the JSON body)",
        ),
    ] {
        let r = raw(method, target, body);
        assert_eq!(r.status, 400, "{method} {target}: {}", r.text());
        assert_eq!(r.json()["detail"], detail, "{method} {target}");
    }
    // Nothing changed: the edits, the faults and the log are still there.
    let info = sb.control("GET", "/_sandbox/info", None).json();
    assert_eq!(info["counts"]["editedCustomers"], 2);
    assert_eq!(
        sb.control("GET", "/_sandbox/faults", None).json()["latencyMs"],
        1
    );
    // No body, null and {} say the same: nothing.
    for body in [&b""[..], b"null", b"{}", b" { } "] {
        assert_eq!(raw("DELETE", "/_sandbox/requests", body).status, 204);
        assert_eq!(raw("GET", "/_sandbox/info", body).status, 200);
        assert_eq!(
            raw("POST", "/_sandbox/reset", body).json(),
            json!({"reset": true})
        );
    }
    // A wrong method is still a 405 first.
    assert_eq!(raw("PUT", "/_sandbox/reset?x=1", b"{}").status, 405);
}
