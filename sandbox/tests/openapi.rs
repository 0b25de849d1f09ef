//! `openapi.json` describes every route, and every route's real answers conform to it.

mod common;
#[path = "common/schema.rs"]
mod schema;

use common::{Sandbox, DEMO_TOKEN};
use cube_sandbox::dates::Date;
use schema::Checker;
use serde_json::{json, Value};

const SPEC: &str = include_str!("../openapi.json");

/// The documented endpoints (shared/cube-api.md), current and legacy.
const DOCUMENTED: &[&str] = &[
    "/account/who_am_i",
    "/api/v1/campaigns",
    "/api/v1/client_access/campaigns",
    "/api/v1/data_owners/{data_owner_id}/{crm_type}/customers/",
    "/api/v1/data_owners/{data_owner_id}/{crm_type}/customers/{customer_id}",
    "/api/v1/data_owners/{data_owner_id}/{crm_type}/crm_custom_fields/",
    "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/callflow_customers/",
    "/api/v1/campaigns/{campaign_id}/callflow_customers/",
    "/api/v1/call_outcomes/",
    "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/call_outcomes/",
    "/api/v1/campaigns/{campaign_id}/call_outcomes/",
    "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/product_registrations/",
    "/api/v1/campaigns/{campaign_id}/product_registrations/",
    "/crm/customers",
    "/responses",
];

fn spec() -> Value {
    serde_json::from_str(SPEC).expect("openapi.json is JSON")
}

fn response_schema<'a>(spec: &'a Value, path: &str, method: &str, status: &str) -> &'a Value {
    let s =
        &spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"];
    assert!(!s.is_null(), "no {status} schema for {method} {path}");
    s
}

fn assert_conforms(checker: &Checker, schema: &Value, value: &Value, what: &str) {
    let errors = checker.check(schema, value);
    assert!(
        errors.is_empty(),
        "{what}: {} errors, first: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
}

#[test]
fn the_spec_lists_exactly_the_documented_routes_and_is_served() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut paths: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut documented = DOCUMENTED.to_vec();
    paths.sort();
    documented.sort();
    assert_eq!(paths, documented);
    let sb = Sandbox::start();
    let served = sb.get_as("/openapi.json", None);
    assert_eq!(served.status, 200);
    assert_eq!(served.header("access-control-allow-origin"), Some("*"));
    assert_eq!(served.json(), spec);
}

/// Concrete requests for each route: (spec path, concrete target).
fn targets(customer_id: &str) -> Vec<(&'static str, String)> {
    let wide = "from_date=20200101&to_date=20301231";
    let mut out = vec![
        ("/account/who_am_i", "/account/who_am_i".to_string()),
        ("/api/v1/campaigns", "/api/v1/campaigns".into()),
        (
            "/api/v1/client_access/campaigns",
            "/api/v1/client_access/campaigns/".into(),
        ),
        (
            "/api/v1/call_outcomes/",
            format!("/api/v1/call_outcomes/?{wide}"),
        ),
        ("/api/v1/call_outcomes/", "/api/v1/call_outcomes/".into()),
        ("/crm/customers", "/crm/customers?assignment_id=101".into()),
        ("/crm/customers", "/crm/customers?assignment_id=104".into()),
        (
            "/responses",
            "/responses?campaign_id=101&from=20200101".into(),
        ),
        (
            "/responses",
            "/responses?campaign_id=103&from=20200101&to=20301231".into(),
        ),
    ];
    for owner in 1..=3 {
        for crm in ["B2C", "B2B"] {
            let o = format!("/api/v1/data_owners/{owner}");
            out.push((
                "/api/v1/data_owners/{data_owner_id}/{crm_type}/customers/",
                format!("{o}/{crm}/customers/"),
            ));
            out.push((
                "/api/v1/data_owners/{data_owner_id}/{crm_type}/customers/",
                format!("{o}/{crm}/customers/?page=2"),
            ));
            out.push((
                "/api/v1/data_owners/{data_owner_id}/{crm_type}/crm_custom_fields/",
                format!("{o}/{crm}/crm_custom_fields/"),
            ));
            out.push((
                "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/callflow_customers/",
                format!("{o}/crm/{crm}/callflow_customers/?page=3"),
            ));
            out.push((
                "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/call_outcomes/",
                format!("{o}/crm/{crm}/call_outcomes/?{wide}"),
            ));
            out.push((
                "/api/v1/data_owners/{data_owner_id}/crm/{crm_type}/product_registrations/",
                format!("{o}/crm/{crm}/product_registrations/?{wide}"),
            ));
        }
        for k in 1..=4 {
            let c = format!("/api/v1/campaigns/{}", owner * 100 + k);
            out.push((
                "/api/v1/campaigns/{campaign_id}/callflow_customers/",
                format!("{c}/callflow_customers/?call_state=Done"),
            ));
            out.push((
                "/api/v1/campaigns/{campaign_id}/callflow_customers/",
                format!("{c}/callflow_customers/"),
            ));
            out.push((
                "/api/v1/campaigns/{campaign_id}/call_outcomes/",
                format!("{c}/call_outcomes/?{wide}"),
            ));
            out.push((
                "/api/v1/campaigns/{campaign_id}/product_registrations/",
                format!("{c}/product_registrations/?{wide}"),
            ));
        }
    }
    out.push((
        "/api/v1/data_owners/{data_owner_id}/{crm_type}/customers/{customer_id}",
        format!("/api/v1/data_owners/1/B2C/customers/{customer_id}"),
    ));
    out
}

#[test]
fn every_route_answers_as_the_spec_says() {
    let spec = spec();
    let checker = Checker::new(&spec);
    let sb = Sandbox::with_config(|c| {
        c.today = Date::parse_iso("2026-03-29"); // a DST switch day
        c.edits = 50;
        c.page_size = 100;
    });
    let first = sb.get_json("/api/v1/data_owners/1/B2C/customers/");
    let id = first["results"][1]["crm__customer_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut covered = std::collections::HashSet::new();
    for (path, target) in targets(&id) {
        let r = sb.get(&target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert_conforms(
            &checker,
            response_schema(&spec, path, "get", "200"),
            &r.json(),
            &target,
        );
        covered.insert(path);
    }
    // POST /crm/customers
    let body = json!({"customer_id": "NEW-1", "assignment_id": 102, "name": "Ny Kunde AS", "org_number": "912345678", "Employees": 12});
    let r = sb.post_json("/crm/customers", Some(DEMO_TOKEN), &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let request_schema = &spec["paths"]["/crm/customers"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_conforms(&checker, request_schema, &body, "request body");
    assert_conforms(
        &checker,
        response_schema(&spec, "/crm/customers", "post", "201"),
        &r.json(),
        "POST /crm/customers",
    );
    covered.insert("/crm/customers");
    assert_eq!(covered.len(), DOCUMENTED.len(), "every route exercised");
}

#[test]
fn error_answers_match_the_error_schema() {
    let spec = spec();
    let checker = Checker::new(&spec);
    let error =
        &spec["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"];
    let sb = Sandbox::start();
    for (target, auth, status) in [
        ("/api/v1/campaigns", None, 401),
        ("/api/v1/campaigns", Some("Token partner-token"), 403),
        (
            "/api/v1/data_owners/1/B2X/customers/",
            Some(DEMO_TOKEN),
            400,
        ),
        (
            "/api/v1/data_owners/7/B2C/customers/",
            Some(DEMO_TOKEN),
            404,
        ),
        ("/api/v1/call_outcomes/?page=9", Some(DEMO_TOKEN), 404),
    ] {
        let r = sb.get_as(target, auth);
        assert_eq!(r.status, status, "{target}");
        assert_conforms(&checker, error, &r.json(), target);
    }
}
