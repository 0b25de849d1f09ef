//! `openapi.json` describes every route, and every route's real answers conform to it.

mod common;
#[path = "common/schema.rs"]
mod schema;

use common::{Sandbox, DEMO_TOKEN};
use cube_sandbox::dates::Date;
use schema::Checker;
use serde_json::{json, Value};

const SPEC: &str = include_str!("../openapi.json");

/// The sandbox's own control API, tagged `sandbox` and `x-sandbox-only` in the spec.
const CONTROL: &[&str] = &[
    "/_sandbox/info",
    "/_sandbox/requests",
    "/_sandbox/edits",
    "/_sandbox/import",
    "/_sandbox/reset",
    "/_sandbox/faults",
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

/// The spec's Cube routes (its paths but the control API's). That they are exactly the
/// client's endpoints is checked on the client's side (`src/endpoints/tests.rs`), that each
/// routes in the core by `sandbox/core/tests/openapi_routes.rs`.
fn api_paths(spec: &Value) -> Vec<String> {
    spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| !p.starts_with("/_sandbox/"))
        .cloned()
        .collect()
}

#[test]
fn the_spec_lists_the_control_routes_and_is_served() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    let mut control: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("/_sandbox/"))
        .collect();
    let mut expected = CONTROL.to_vec();
    control.sort();
    expected.sort();
    assert_eq!(control, expected);
    // The control API, and only it, is marked as the sandbox's own, and takes no auth.
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let control = path.starts_with("/_sandbox/");
            let what = format!("{method} {path}");
            assert_eq!(
                op["x-sandbox-only"] == true,
                control,
                "{what}: x-sandbox-only"
            );
            assert_eq!(
                op["tags"] == json!(["sandbox"]),
                control,
                "{what}: tag sandbox"
            );
            assert_eq!(op["security"] == json!([]), control, "{what}: no auth");
        }
    }
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
    let mut all = api_paths(&spec);
    all.sort();
    let mut exercised: Vec<String> = covered.iter().map(|p| p.to_string()).collect();
    exercised.sort();
    assert_eq!(exercised, all, "every route exercised");
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

/// `(METHOD, path)` of every operation the spec lists under the `sandbox` tag.
fn control_operations(spec: &Value) -> Vec<(String, String)> {
    let mut ops: Vec<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/_sandbox/"))
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_ascii_uppercase(), path.clone()))
        })
        .collect();
    ops.sort();
    ops
}

#[test]
fn the_control_routes_of_the_spec_are_the_routers() {
    let spec = spec();
    let listed = control_operations(&spec);
    let mut routed: Vec<(String, String)> = cube_sandbox::control::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    routed.sort();
    assert_eq!(
        listed, routed,
        "openapi.json's sandbox operations and control::ROUTES"
    );
    // And the router answers exactly those: every other method is a 405 whose Allow header
    // lists the spec's (HEAD with GET, OPTIONS for the preflight).
    let sb = Sandbox::start();
    for path in CONTROL {
        let methods: Vec<&str> = listed
            .iter()
            .filter(|(_, p)| p == path)
            .map(|(m, _)| m.as_str())
            .collect();
        let mut allow: Vec<&str> = methods.clone();
        if methods.contains(&"GET") {
            allow.push("HEAD");
        }
        allow.push("OPTIONS");
        for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] {
            let r = sb.request(method, path, &[], None);
            if allow.contains(&method) {
                assert!(
                    r.status < 400 || r.status == 400 && method == "POST",
                    "{method} {path}: {}",
                    r.status
                );
            } else {
                assert_eq!(r.status, 405, "{method} {path}");
                let mut got: Vec<&str> = r.header("allow").unwrap().split(", ").collect();
                got.sort_unstable();
                let mut want = allow.clone();
                want.sort_unstable();
                assert_eq!(got, want, "{method} {path}: Allow");
            }
        }
    }
    assert_eq!(
        sb.request("GET", "/_sandbox/nothing", &[], None).status,
        404
    );
}

/// One rule of every kind the spec lists, with every option given.
fn a_rule_of_every_kind() -> Vec<Value> {
    vec![
        json!({"kind": "status", "status": 503, "retryAfter": 1, "retryAfterDate": true, "body": "html", "route": "/api/v1/campaigns", "rate": 0.5, "times": 2, "skip": 1}),
        json!({"kind": "reset", "keepBytes": 10, "route": "/nowhere"}),
        json!({"kind": "truncate", "keepBytes": 10, "route": "/nowhere"}),
        json!({"kind": "html", "route": "/nowhere"}),
        json!({"kind": "redirect", "status": 301, "location": "https://example.invalid", "route": "/nowhere"}),
        json!({"kind": "dribble", "chunkBytes": 8, "chunkDelayMs": 1, "route": "/nowhere"}),
        json!({"kind": "foreign_next", "origin": "http://10.1.2.3:8000", "route": "/nowhere"}),
        json!({"kind": "next_loop", "route": "/nowhere"}),
        json!({"kind": "lying_count", "factor": 3, "route": "/nowhere"}),
        json!({"kind": "bad_envelope", "variant": "missing", "route": "/nowhere"}),
        json!({"kind": "huge_record", "bytes": 1000, "route": "/nowhere"}),
        json!({"kind": "invalid_utf8", "route": "/nowhere"}),
        json!({"kind": "endless_body", "chunkBytes": 8, "chunkDelayMs": 1, "maxSeconds": 1, "route": "/nowhere"}),
        json!({"kind": "delay", "latencyMs": 1, "jitterMs": 1, "route": "/nowhere"}),
    ]
}

fn request_schema<'a>(spec: &'a Value, path: &str, method: &str) -> &'a Value {
    let s = &spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(!s.is_null(), "no request body schema for {method} {path}");
    s
}

#[test]
fn every_control_route_answers_as_the_spec_says() {
    let spec = spec();
    let checker = Checker::new(&spec);
    let sb = Sandbox::with_config(|c| c.today = Date::parse_iso("2026-03-29"));
    let page = sb.get_json("/api/v1/data_owners/1/B2C/customers/");
    let id = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["crm__customer_id"].as_str().unwrap())
        .find(|id| !id.is_empty())
        .unwrap()
        .to_string();
    let mut covered = std::collections::BTreeSet::new();
    let mut check = |method: &str, path: &str, body: Option<Value>, status: &str| {
        if let Some(body) = &body {
            assert_conforms(
                &checker,
                request_schema(&spec, path, &method.to_ascii_lowercase()),
                body,
                &format!("{method} {path} request {body}"),
            );
        }
        let r = sb.control(method, path, body.as_ref());
        assert_eq!(
            r.status.to_string(),
            status,
            "{method} {path}: {}",
            r.text()
        );
        if status != "204" {
            assert!(r
                .header("content-type")
                .unwrap()
                .starts_with("application/json"));
            assert_conforms(
                &checker,
                response_schema(&spec, path, &method.to_ascii_lowercase(), status),
                &r.json(),
                &format!("{method} {path}"),
            );
        }
        covered.insert((method.to_string(), path.to_string()));
    };
    // Requests in the log: answered, faulted, and a preflight.
    sb.get("/account/who_am_i");
    sb.get("/api/v1/data_owners/1/B2C/customers/");
    sb.request(
        "OPTIONS",
        "/api/v1/campaigns",
        &[("Origin", "http://a.example")],
        None,
    );
    check("GET", "/_sandbox/info", None, "200");
    check(
        "POST",
        "/_sandbox/edits",
        Some(json!({"count": 40, "seed": 2})),
        "200",
    );
    check(
        "POST",
        "/_sandbox/edits",
        Some(json!({"count": 3, "dataOwnerId": 2, "crmType": "B2B"})),
        "200",
    );
    check("POST", "/_sandbox/edits", Some(Value::Null), "200");
    check("POST", "/_sandbox/edits", None, "200");
    check(
        "POST",
        "/_sandbox/edits",
        Some(
            json!({"set": [{"customerId": id, "dataOwnerId": 1, "crmType": "B2C",
            "fields": {"crm__standard_info__phone_3": "+4722334455",
                       "crm__standard_info__email": "", "crm__custom_info__66": "Ås"}}]}),
        ),
        "200",
    );
    let config = json!({"seed": 3, "latencyMs": 0, "jitterMs": 0, "rules": a_rule_of_every_kind()});
    check("POST", "/_sandbox/faults", Some(config), "200");
    sb.get("/api/v1/campaigns");
    check("GET", "/_sandbox/faults", None, "200");
    check("GET", "/_sandbox/requests", None, "200");
    check("DELETE", "/_sandbox/requests", None, "204");
    check("POST", "/_sandbox/faults", Some(Value::Null), "200");
    check("DELETE", "/_sandbox/faults", None, "200");
    check("POST", "/_sandbox/reset", None, "200");
    // The 400s: a member or parameter that is not read, and a malformed body.
    check("POST", "/_sandbox/faults", None, "400");
    check("POST", "/_sandbox/edits", None, "200");
    for (method, target, body) in [
        (
            "POST",
            "/_sandbox/edits",
            json!({"count": 1, "lastName": "Berg"}),
        ),
        (
            "POST",
            "/_sandbox/edits",
            json!({"set": [{"customerId": id, "dataOwnerId": 1, "crmType": "B2C",
                "fields": {"crm__customer_id": "X"}}]}),
        ),
        ("POST", "/_sandbox/edits", json!({"count": 1, "set": []})),
        (
            "POST",
            "/_sandbox/faults",
            json!({"kind": "delay", "ms": 5000}),
        ),
        (
            "POST",
            "/_sandbox/faults",
            json!({"rules": [{"kind": "html", "status": 500}]}),
        ),
        ("POST", "/_sandbox/reset", json!({"keepEdits": true})),
        ("GET", "/_sandbox/info?verbose=1", Value::Null),
    ] {
        let r = sb.control(method, target, Some(&body));
        assert_eq!(r.status, 400, "{method} {target}");
        let path = target.split('?').next().unwrap();
        assert_conforms(
            &checker,
            response_schema(&spec, path, &method.to_ascii_lowercase(), "400"),
            &r.json(),
            target,
        );
        // A body the spec allows is never a 400, and one it forbids is refused.
        if method == "POST" && path != "/_sandbox/reset" {
            let errors = checker.check(request_schema(&spec, path, "post"), &body);
            assert!(
                !errors.is_empty(),
                "the spec allows {body}, the sandbox refuses it"
            );
        }
    }
    // The import, whose body is a sheet (here CSV), not JSON: a 200, and the 400s of a sheet
    // with errors (each listed), of a missing or unread query parameter (none listed).
    let import = "/_sandbox/import?dataOwnerId=1&crmType=B2C";
    for (target, body, status, errors) in [
        (import, "Customer ID,Name\r\nS-1,Åse Ødegård\r\n", 200, 0),
        (
            import,
            "Customer ID,Name\r\n,Nils\r\nS-2,a\r\nS-2,b\r\n",
            400,
            2,
        ),
        (
            "/_sandbox/import?dataOwnerId=1",
            "Customer ID\r\nS-3\r\n",
            400,
            0,
        ),
        (
            &format!("{import}&seed=1"),
            "Customer ID\r\nS-3\r\n",
            400,
            0,
        ),
    ] {
        let headers = [("Content-Type", "text/csv")];
        let r = sb.request("POST", target, &headers, Some(body.as_bytes()));
        assert_eq!(r.status, status, "{target}: {}", r.text());
        let schema = response_schema(&spec, "/_sandbox/import", "post", &status.to_string());
        assert_conforms(&checker, schema, &r.json(), target);
        assert_eq!(
            r.json()["errors"].as_array().unwrap().len(),
            errors,
            "{target}"
        );
    }
    covered.insert(("POST".to_string(), "/_sandbox/import".to_string()));
    assert_eq!(
        covered.into_iter().collect::<Vec<_>>(),
        control_operations(&spec),
        "every control operation exercised"
    );
}

#[test]
fn each_fault_kinds_options_in_the_spec_are_the_sandboxs() {
    let spec = spec();
    let sb = Sandbox::start();
    let branches = spec["components"]["schemas"]["SandboxFaultRule"]["oneOf"]
        .as_array()
        .unwrap();
    let kinds = spec["components"]["schemas"]["SandboxFaultRule"]["properties"]["kind"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(branches.len(), kinds.len());
    for branch in branches {
        let name = branch["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
        let schema = &spec["components"]["schemas"][name];
        let kind = schema["properties"]["kind"]["enum"][0].as_str().unwrap();
        assert!(kinds.contains(&json!(kind)), "{kind}");
        // What the sandbox says a rule of this kind takes, in the 400 for an unknown member.
        let mut rule = json!({"kind": kind, "unknownMember": 1});
        for required in schema["required"].as_array().unwrap() {
            if required != "kind" {
                rule[required.as_str().unwrap()] = json!(503);
            }
        }
        let r = sb.control("POST", "/_sandbox/faults", Some(&json!({"rules": [rule]})));
        let detail = r.json()["detail"].as_str().unwrap().to_string();
        let takes = detail
            .split(" takes ")
            .nth(1)
            .unwrap_or_else(|| panic!("{detail}"));
        let mut sandbox: Vec<&str> = takes.split(", ").map(|m| m.trim_matches('\'')).collect();
        let mut listed: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| !matches!(*k, "matched" | "injected"))
            .collect();
        sandbox.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, sandbox, "the {kind} rule's members");
    }
}
