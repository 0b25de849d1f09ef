//! Every endpoint: status, envelope or bare array, field names, loose types, errors.

mod common;

use common::{Sandbox, DEMO_TOKEN};
use serde_json::Value;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn campaigns_are_a_bare_array_with_documented_fields() {
    let sb = Sandbox::start();
    let list = sb.get_json("/api/v1/campaigns");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 12);
    for c in list {
        assert_eq!(
            keys(c),
            [
                "campaign__id",
                "campaign__name",
                "campaign__start_date",
                "campaign__end_date",
                "campaign__archived_date",
                "campaign__is_active",
                "campaign__crm_type",
                "service__id",
                "service__name",
                "data_owner__id",
                "data_owner__name"
            ]
        );
        assert!(["B2C", "B2B"].contains(&c["campaign__crm_type"].as_str().unwrap()));
    }
    let active: Vec<&Value> = list.iter().map(|c| &c["campaign__is_active"]).collect();
    assert!(active.contains(&&Value::Bool(true)));
    assert!(active.contains(&&Value::Bool(false)));
    assert!(active.contains(&&Value::String(String::new())));
    assert!(list.iter().any(|c| c["campaign__start_date"] == ""));
    // the slash-less and slashed forms are the same route
    assert_eq!(
        sb.get_json("/api/v1/campaigns/"),
        sb.get_json("/api/v1/campaigns")
    );
}

#[test]
fn customers_custom_fields_and_one_customer() {
    let sb = Sandbox::start();
    let fields = sb.get_json("/api/v1/data_owners/1/B2C/crm_custom_fields/");
    let fields = fields.as_array().unwrap();
    assert!((5..=8).contains(&fields.len()));
    for f in fields {
        assert_eq!(
            keys(f),
            ["id", "key", "type", "max_length", "hint", "lookup__id"]
        );
        assert_eq!(
            f["lookup__id"],
            format!("crm__custom_info__{}", f["id"].as_i64().unwrap())
        );
        assert!(["text", "number", "date", "choice"].contains(&f["type"].as_str().unwrap()));
    }
    assert_eq!(fields[0]["key"], "Address street");
    let page = sb.get_json("/api/v1/data_owners/1/B2C/customers/");
    assert_eq!(page["count"], 2000);
    let results = page["results"].as_array().unwrap();
    assert_eq!(results.len(), 500);
    let first = &results[0];
    for f in fields {
        let key = f["lookup__id"].as_str().unwrap();
        assert!(first.get(key).is_some(), "{key} missing");
    }
    for key in [
        "crm__customer_id",
        "crm__standard_info__name",
        "crm__standard_info__phone_1",
        "crm__standard_info__phone_2",
        "crm__standard_info__phone_3",
        "crm__standard_info__email",
        "crm__change_log__updated",
        "crm__change_log__updated_by",
        "crm__change_log__update_method",
    ] {
        assert!(first.get(key).is_some(), "{key} missing");
    }
    // leading-zero ids, anonymized customers, Norwegian letters
    assert!(results
        .iter()
        .any(|c| c["crm__customer_id"].as_str().unwrap().starts_with('0')));
    let anon: Vec<&Value> = results
        .iter()
        .filter(|c| c["crm__customer_id"] == "")
        .collect();
    assert!(!anon.is_empty());
    assert!(anon
        .iter()
        .all(|c| c["crm__standard_info__name"] == "Anonymized"));
    assert!(results.iter().any(|c| {
        let n = c["crm__standard_info__name"].as_str().unwrap();
        n.contains('ø') || n.contains('å') || n.contains('æ') || n.contains('Ø') || n.contains('Å')
    }));
    // one customer, by a leading-zero id, with and without the slash
    let zero = results
        .iter()
        .find(|c| c["crm__customer_id"].as_str().unwrap().starts_with('0'))
        .unwrap();
    let id = zero["crm__customer_id"].as_str().unwrap();
    let one = sb.get_json(&format!("/api/v1/data_owners/1/B2C/customers/{id}"));
    assert_eq!(&one, zero);
    let slashed = sb.get_json(&format!("/api/v1/data_owners/1/B2C/customers/{id}/"));
    assert_eq!(&slashed, zero);
    let plain = id.trim_start_matches('0');
    assert_eq!(
        sb.get(&format!("/api/v1/data_owners/1/B2C/customers/{plain}"))
            .status,
        404,
        "the id is a string: {plain} is not {id}"
    );
    let missing = sb.get("/api/v1/data_owners/1/B2C/customers/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["detail"], "Not found.");
}

#[test]
fn b2b_customers_and_loose_custom_values() {
    let sb = Sandbox::start();
    let page = sb.get_json("/api/v1/data_owners/2/B2B/customers/");
    let results = page["results"].as_array().unwrap();
    assert!(results.iter().any(|c| c["crm__standard_info__name"]
        .as_str()
        .unwrap()
        .ends_with(" AS")));
    let b2c = sb.get_json("/api/v1/data_owners/1/B2C/customers/");
    let values: Vec<&Value> = b2c["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c.as_object().unwrap().iter())
        .filter(|(k, _)| k.starts_with("crm__custom_info__"))
        .map(|(_, v)| v)
        .collect();
    assert!(values.iter().any(|v| v.is_number()));
    assert!(values.iter().any(|v| v.as_str() == Some("")));
    assert!(values
        .iter()
        .any(|v| v.as_str().is_some_and(|s| !s.is_empty())));
}

#[test]
fn callflow_outcome_and_product_records() {
    let sb = Sandbox::start();
    let cf = sb.get_json("/api/v1/data_owners/1/crm/B2C/callflow_customers/");
    assert_eq!(cf["count"], 2000);
    let rec = &cf["results"][0];
    for key in [
        "crm__customer_id",
        "callflow__callstate__name",
        "callflow__attempts_status__attempts",
        "callflow__last_change__user",
        "callflow__last_change__when",
        "callflow__last_change__cause",
        "callflow__last_change__alternative",
        "callflow__last_change__comment",
    ] {
        assert!(rec.get(key).is_some(), "{key}");
    }
    assert!(rec["callflow__attempts_status__attempts"].is_i64());
    let range = "from_date=20000101&to_date=21000101";
    let oc = sb.get_json(&format!("/api/v1/campaigns/101/call_outcomes/?{range}"));
    assert_eq!(oc["count"], 300);
    let o = &oc["results"][0];
    for key in [
        "call_outcome__type",
        "call_outcome__subtype",
        "call_outcome__comment",
        "call_outcome__report_as__submitted_by",
        "call_outcome__report_as__submitted_in_team",
        "call_outcome__report_as__submitted_when",
        "call_outcome__report_as__submitted_when_timestamp",
        "campaign__id",
        "segment__name",
    ] {
        assert!(o.get(key).is_some(), "{key}");
    }
    let when = o["call_outcome__report_as__submitted_when"]
        .as_str()
        .unwrap();
    assert_eq!(when.len(), "2020-02-12 10:27".len());
    let ts = o["call_outcome__report_as__submitted_when_timestamp"]
        .as_str()
        .unwrap();
    assert!(ts.ends_with("+0100") || ts.ends_with("+0200"), "{ts}");
    assert!(o
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with("call_outcome__extra__")));
    // campaign 101 sells products
    let pr = sb.get_json(&format!(
        "/api/v1/campaigns/101/product_registrations/?{range}"
    ));
    let n = pr["count"].as_u64().unwrap();
    assert!(n > 30 && n < 300, "{n}");
    let p = &pr["results"][0];
    assert!(p["product__price"].is_number());
    let code = p["product__code"].as_str().unwrap();
    assert_eq!(p[format!("product__{code}")], 1);
    assert!(p["product__title"].is_string());
    let crm = sb.get_json(&format!(
        "/api/v1/data_owners/1/crm/B2C/product_registrations/?{range}"
    ));
    assert!(crm["count"].as_u64().unwrap() >= n);
    let all = sb.get_json(&format!(
        "/api/v1/data_owners/1/crm/B2B/call_outcomes/?{range}"
    ));
    assert_eq!(all["count"], 600, "two B2B campaigns × 300");
}

#[test]
fn legacy_endpoints() {
    let sb = Sandbox::start();
    let list = sb.get_json("/crm/customers?assignment_id=102");
    let list = list.as_array().unwrap();
    assert!(!list.is_empty());
    for key in [
        "customer_id",
        "name",
        "phone_1",
        "phone_2",
        "phone_3",
        "email",
        "updated",
        "updated_by",
        "update_method",
        "org_number",
        "org_name",
        "address",
        "postal_code",
        "city",
    ] {
        assert!(list[0].get(key).is_some(), "{key}: {}", list[0]);
    }
    let r = sb.get("/crm/customers");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["param"], "assignment_id");
    assert_eq!(sb.get("/crm/customers?assignment_id=999").status, 404);
    let responses = sb.get_json("/responses?campaign_id=101&from=20000101&to=21000101");
    let responses = responses.as_array().unwrap();
    assert_eq!(responses.len(), 300);
    for key in [
        "customer_id",
        "name",
        "type",
        "subtype",
        "comment",
        "submitted_by",
        "submitted_when",
    ] {
        assert!(responses[0].get(key).is_some(), "{key}");
    }
    let r = sb.get("/responses?campaign_id=101");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["param"], "from");
}

#[test]
fn bad_parameters_are_400_naming_the_parameter() {
    let sb = Sandbox::start();
    let cases = [
        ("/api/v1/data_owners/1/B2X/customers/", "crm_type"),
        ("/api/v1/data_owners/b2c/B2C/customers/", "data_owner_id"),
        ("/api/v1/data_owners/1/b2c/crm_custom_fields/", "crm_type"),
        (
            "/api/v1/data_owners/one/crm/B2C/callflow_customers/",
            "data_owner_id",
        ),
        ("/api/v1/campaigns/abc/call_outcomes/", "campaign_id"),
        (
            "/api/v1/call_outcomes/?from_date=2026-11-01&to_date=20261128",
            "from_date",
        ),
        (
            "/api/v1/call_outcomes/?from_date=20261101&to_date=20261131",
            "to_date",
        ),
        (
            "/api/v1/campaigns/101/product_registrations/?from_date=x",
            "from_date",
        ),
        ("/responses?campaign_id=101&from=20261101&to=tomorrow", "to"),
        // Eight bytes that are not eight digits (found by Schemathesis: this panicked).
        (
            "/api/v1/campaigns/103/product_registrations/?from_date=%23%F1%96%B1%9A%C3%AB4",
            "from_date",
        ),
        ("/responses?campaign_id=101&from=2026%C3%B811", "from"),
    ];
    for (path, param) in cases {
        let r = sb.get(path);
        assert_eq!(r.status, 400, "{path}");
        let body = r.json();
        assert_eq!(body["param"], param, "{path}");
        assert!(body["detail"].as_str().unwrap().contains(param), "{path}");
    }
    assert_eq!(
        sb.get("/api/v1/data_owners/1/B2X/customers/").json()["detail"],
        "Invalid crm_type 'B2X': expected B2C or B2B"
    );
}

#[test]
fn unknown_things_are_404_and_wrong_methods_405() {
    let sb = Sandbox::start();
    for path in [
        "/api/v1/data_owners/4/B2C/customers/",
        "/api/v1/data_owners/0/crm/B2C/call_outcomes/",
        "/api/v1/campaigns/999/callflow_customers/",
        "/api/v1/nothing/",
    ] {
        let r = sb.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["detail"], "Not found.");
    }
    let r = sb.request(
        "POST",
        "/api/v1/campaigns",
        &[("Authorization", DEMO_TOKEN)],
        Some(b"{}"),
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["detail"], "Method \"POST\" not allowed.");
    assert_eq!(
        r.header("allow"),
        Some("GET, HEAD, OPTIONS"),
        "RFC 9110: a 405 says what is allowed"
    );
    let legacy = sb.request(
        "PUT",
        "/crm/customers",
        &[("Authorization", DEMO_TOKEN)],
        None,
    );
    assert_eq!(
        (legacy.status, legacy.header("allow")),
        (405, Some("GET, POST, HEAD, OPTIONS"))
    );
    let control = sb.request("PUT", "/_sandbox/faults", &[], None);
    assert_eq!(
        (control.status, control.header("allow")),
        (405, Some("GET, HEAD, POST, DELETE, OPTIONS"))
    );
    let anonymous = sb.request("DELETE", "/api/v1/campaigns", &[], None);
    assert_eq!(
        anonymous.status, 401,
        "DRF authenticates before checking the method"
    );
}

#[test]
fn the_tenant_is_deterministic_per_seed() {
    let a = Sandbox::start();
    let b = Sandbox::start();
    let c = Sandbox::with_config(|c| c.seed = 7);
    let path = "/api/v1/data_owners/2/B2C/customers/?page=3";
    let results = |sb: &Sandbox| sb.get_json(path)["results"].clone();
    assert!(results(&a) == results(&b), "same seed, same data");
    assert!(results(&a) != results(&c), "another seed, other data");
}

#[test]
fn info_describes_the_tenant() {
    let sb = Sandbox::with_config(|c| {
        c.today = cube_sandbox::dates::Date::parse_iso("2026-01-15");
    });
    let info = sb.control("GET", "/_sandbox/info", None).json();
    assert_eq!(info["seed"], 42);
    assert_eq!(info["today"], "2026-01-15");
    assert_eq!(info["pageSize"], 500);
    assert_eq!(info["dataOwners"].as_array().unwrap().len(), 3);
    assert_eq!(
        info["dataOwners"][0]["campaignIds"],
        serde_json::json!([101, 102, 103, 104])
    );
    assert_eq!(info["users"]["internal"]["username"], "demo@example.com");
    assert_eq!(info["users"]["external"]["token"], "partner-token");
}
