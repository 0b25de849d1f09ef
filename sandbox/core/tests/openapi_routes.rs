//! Every operation `sandbox/openapi.json` lists routes in the core, and nothing else does: each
//! documented path and method reaches its route (an answer that is not 405), another method
//! on it is a 405, and a path the spec lacks reaches no route. With the client's own check
//! (`src/endpoints/tests.rs`: the spec has every endpoint of the client's table and nothing
//! else), the client's table, the spec and the sandbox's router agree.

use cube_sandbox_core::{control, routes, Config, Request, State};
use serde_json::Value;

const SPEC: &str = include_str!("../../openapi.json");
const AUTH: &str = "Token demo-token";

/// A path of the spec with its parameters filled in.
fn concrete(template: &str) -> String {
    template
        .replace("{data_owner_id}", "1")
        .replace("{crm_type}", "B2C")
        .replace("{campaign_id}", "1")
        .replace("{customer_id}", "000001")
}

fn answer(state: &State, method: &str, path: &str) -> Option<u16> {
    let headers = [("authorization".to_string(), AUTH.to_string())];
    let req = Request {
        method,
        path,
        query: "",
        headers: &headers,
        body: b"",
        origin: "http://127.0.0.1:8787",
    };
    let routed = match path.starts_with("/_sandbox/") {
        true => control::answer(state, &req),
        false => routes::answer(state, &req, None),
    };
    routed.map(|r| r.status)
}

fn operations() -> Vec<(String, String)> {
    let spec: Value = serde_json::from_str(SPEC).expect("openapi.json is JSON");
    let mut out = Vec::new();
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            out.push((path.clone(), method.to_ascii_uppercase()));
        }
    }
    out
}

#[test]
fn every_operation_of_the_spec_routes_and_other_methods_are_405() {
    let state = State::new(Config::default(), 0);
    let ops = operations();
    assert!(ops.len() >= 20, "{} operations", ops.len());
    for (template, method) in &ops {
        let path = concrete(template);
        let status = answer(&state, method, &path);
        assert!(
            matches!(status, Some(s) if s != 405),
            "{method} {template} does not route in the core: {status:?}"
        );
        for other in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if ops.iter().any(|(t, m)| t == template && m == other) {
                continue;
            }
            // HEAD and GET go together; the rest is a 405 from the route itself.
            let status = answer(&state, other, &path);
            assert_eq!(status, Some(405), "{other} {template}");
        }
    }
}

#[test]
fn a_path_the_spec_lacks_routes_nowhere() {
    let state = State::new(Config::default(), 0);
    for path in [
        "/api/v1/nope",
        "/api/v1/data_owners/1/B2C/nope/",
        "/api/v2/campaigns",
        "/crm/nope",
        "/_sandbox/nope",
    ] {
        assert_eq!(answer(&state, "GET", path), None, "{path}");
    }
}
