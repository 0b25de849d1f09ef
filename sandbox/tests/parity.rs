//! Parity of the two HTTP edges: the native `cube-sandbox` (axum) and the Node edge of the
//! package (`node pkg/bin/cube.mjs sandbox`) start with the same configuration and get the
//! same requests, one by one; their answers must be the same — status, body bytes and every
//! header except the ones each HTTP server adds on its own (`date`, `connection`,
//! `keep-alive`).
//!
//! It needs the built package (`cargo xtask build`), so plain `cargo test` lists it as ignored;
//! `cargo xtask test` runs it after building the package
//! (`cargo test -p cube-sandbox --test parity -- --ignored`), and it fails, never skips,
//! when the package is missing.

mod common;

use std::path::PathBuf;

use common::{basic, Edge, DEMO_TOKEN, PARTNER_TOKEN};
use cube_sandbox::dates::Date;
use cube_sandbox::faults::{flag, FaultConfig};
use cube_sandbox::http_client::{self, HttpResponse};
use cube_sandbox::Config;

/// Headers the HTTP server of each edge adds by itself; everything else is the core's answer.
const SERVER_HEADERS: &[&str] = &["date", "connection", "keep-alive"];

struct Case {
    method: &'static str,
    target: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

fn get(target: &str, auth: Option<&str>) -> Case {
    let mut headers = vec![("Accept", "application/json".to_string())];
    if let Some(a) = auth {
        headers.push(("Authorization", a.to_string()));
    }
    Case {
        method: "GET",
        target: target.to_string(),
        headers,
        body: None,
    }
}

fn demo(target: &str) -> Case {
    get(target, Some(DEMO_TOKEN))
}

fn with(method: &'static str, target: &str, auth: Option<&str>, body: Option<&str>) -> Case {
    let mut case = get(target, auth);
    case.method = method;
    if let Some(b) = body {
        case.headers
            .push(("Content-Type", "application/json".to_string()));
        case.body = Some(b.as_bytes().to_vec());
    }
    case
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cube-parity-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The answer, with the edge's own address (in `next`/`previous` links, from the `Host`
/// header) written as `http://SANDBOX`, the one part the two edges cannot share.
fn ask(edge: &Edge, case: &Case) -> HttpResponse {
    let headers: Vec<(&str, &str)> = case.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut r = http_client::request(
        edge.addr(),
        case.method,
        &case.target,
        &headers,
        case.body.as_deref(),
    )
    .unwrap_or_else(|e| panic!("{} {}: {e}", case.method, case.target));
    let base = edge.base_url();
    r.body = replace(&r.body, base.as_bytes(), b"http://SANDBOX");
    for (_, value) in &mut r.headers {
        *value = value.replace(&base, "http://SANDBOX");
    }
    r
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The headers to compare: lower-case names (the client lower-cases them), sorted.
fn compared_headers(r: &HttpResponse) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(n, _)| !SERVER_HEADERS.contains(&n.as_str()))
        .cloned()
        .collect();
    out.sort();
    out
}

fn compare(native: &Edge, node: &Edge, cases: &[Case]) -> Vec<String> {
    let mut differences = Vec::new();
    for case in cases {
        let what = format!("{} {}", case.method, case.target);
        let a = ask(native, case);
        let b = ask(node, case);
        if a.status != b.status {
            differences.push(format!(
                "{what}: status {} (native) vs {} (node)",
                a.status, b.status
            ));
        }
        let (ha, hb) = (compared_headers(&a), compared_headers(&b));
        if ha != hb {
            differences.push(format!("{what}: headers\n  native {ha:?}\n  node   {hb:?}"));
        }
        if a.body != b.body {
            let cut = |r: &HttpResponse| r.text().chars().take(200).collect::<String>();
            differences.push(format!(
                "{what}: body ({} vs {} bytes)\n  native {}\n  node   {}",
                a.body.len(),
                b.body.len(),
                cut(&a),
                cut(&b)
            ));
        }
    }
    differences
}

fn config(www: PathBuf, pkg: PathBuf) -> Config {
    let mut config = Config::for_tests();
    config.today = Date::parse_iso("2026-11-28");
    config.customers = 1200;
    config.page_size = 250;
    config.static_dir = Some(www);
    config.pkg_dir = Some(pkg);
    config
}

#[test]
#[ignore = "needs the built package (cargo xtask build); cargo xtask test runs it"]
fn both_edges_answer_alike() {
    let (www, pkg) = (temp_dir("www"), temp_dir("pkg"));
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(www.join("app.mjs"), "export {}").unwrap();
    std::fs::create_dir_all(pkg.join("web")).unwrap();
    std::fs::write(pkg.join("web/cube_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let config = config(www.clone(), pkg.clone());
    let native = Edge::native(&config);
    let node = Edge::node(&config);

    // A customer id of the generated tenant (the same on both: checked below).
    let first = ask(&native, &demo("/api/v1/data_owners/1/B2C/customers/")).json();
    let id = first["results"]
        .as_array()
        .expect("a page")
        .iter()
        .filter_map(|c| c["crm__customer_id"].as_str())
        .find(|id| !id.is_empty())
        .expect("a customer id")
        .to_string();
    let customers = "/api/v1/data_owners/1/B2C/customers/";
    let range = "from_date=20261001&to_date=20261128";
    let preflight = Case {
        method: "OPTIONS",
        target: customers.to_string(),
        headers: vec![
            ("Origin", "http://localhost:5173".to_string()),
            ("Access-Control-Request-Method", "GET".to_string()),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type".to_string(),
            ),
        ],
        body: None,
    };
    let mut cors_get = demo("/account/who_am_i");
    cors_get
        .headers
        .push(("Origin", "http://localhost:5173".to_string()));
    let new_customer = r#"{"customer_id": "CRM-ØST-1", "assignment_id": 101, "name": "Åse Ødegård",
        "phone_1": "+47 912 34 567", "email": "ase@example.no", "address": "Bjørnveien 3",
        "postal_code": "0150", "city": "Oslo"}"#;
    let cases = vec![
        // who_am_i: Token, Basic, the external user, with a slash, HEAD
        demo("/account/who_am_i"),
        get(
            "/account/who_am_i",
            Some(&basic("demo@example.com", "demo")),
        ),
        get("/account/who_am_i/", Some(PARTNER_TOKEN)),
        with("HEAD", "/account/who_am_i", Some(DEMO_TOKEN), None),
        cors_get,
        // every current endpoint
        demo("/api/v1/campaigns"),
        demo("/api/v1/client_access/campaigns"),
        get("/api/v1/client_access/campaigns", Some(PARTNER_TOKEN)),
        demo(customers),
        demo(&format!("{customers}?page=2")),
        demo(&format!("{customers}?page=last")),
        demo("/api/v1/data_owners/2/B2B/customers/"),
        demo(&format!("{customers}{id}")),
        demo(&format!("{customers}{id}/")),
        demo("/api/v1/data_owners/1/B2C/crm_custom_fields/"),
        demo("/api/v1/data_owners/1/crm/B2C/callflow_customers/"),
        demo("/api/v1/campaigns/101/callflow_customers/"),
        demo(&format!("/api/v1/call_outcomes/?{range}")),
        demo(&format!(
            "/api/v1/data_owners/1/crm/B2C/call_outcomes/?{range}"
        )),
        demo(&format!("/api/v1/campaigns/101/call_outcomes/?{range}")),
        demo(&format!(
            "/api/v1/data_owners/1/crm/B2C/product_registrations/?{range}"
        )),
        demo(&format!(
            "/api/v1/campaigns/101/product_registrations/?{range}"
        )),
        // legacy, including a created customer
        demo("/crm/customers?assignment_id=102"),
        demo("/responses?campaign_id=101&from=20000101&to=21000101"),
        with(
            "POST",
            "/crm/customers",
            Some(DEMO_TOKEN),
            Some(new_customer),
        ),
        with(
            "POST",
            "/crm/customers",
            Some(DEMO_TOKEN),
            Some(new_customer),
        ),
        demo("/crm/customers?assignment_id=101"),
        // 400
        demo(&format!("{customers}?page=0")),
        demo("/api/v1/call_outcomes/?from_date=2026-11-01&to_date=20261128"),
        demo("/api/v1/data_owners/1/B2X/customers/"),
        demo("/responses?campaign_id=101"),
        with(
            "POST",
            "/crm/customers",
            Some(DEMO_TOKEN),
            Some("{not json"),
        ),
        // 401
        get("/account/who_am_i", None),
        get("/account/who_am_i", Some("Token wrong")),
        get(
            "/account/who_am_i",
            Some(&basic("demo@example.com", "nope")),
        ),
        with("DELETE", "/api/v1/campaigns", None, None),
        // 403
        get("/api/v1/data_owners/2/B2C/customers/", Some(PARTNER_TOKEN)),
        get("/crm/customers?assignment_id=201", Some(PARTNER_TOKEN)),
        // 404
        demo("/api/v1/data_owners/4/B2C/customers/"),
        demo("/api/v1/campaigns/999/callflow_customers/"),
        demo(&format!("{customers}nope")),
        demo(&format!("{customers}?page=99")),
        demo("/api/v1/nothing/"),
        demo("/_sandbox/nothing"),
        // 405
        with("POST", "/api/v1/campaigns", Some(DEMO_TOKEN), Some("{}")),
        with("PUT", "/account/who_am_i", Some(DEMO_TOKEN), Some("{}")),
        // CORS preflight
        preflight,
        // the control API and the spec
        get("/_sandbox/info", None),
        get("/_sandbox/faults", None),
        get("/openapi.json", None),
        // files
        get("/", None),
        get("/app.mjs", None),
        get("/pkg/web/cube_bg.wasm", None),
        get("/missing.js", None),
        get("/pkg/%2e%2e/Cargo.toml", None),
        with("HEAD", "/app.mjs", None, None),
    ];
    assert_alike(&native, &node, &cases);
    let _ = std::fs::remove_dir_all(www);
    let _ = std::fs::remove_dir_all(pkg);
}

/// Fails listing every request the two edges answered differently.
fn assert_alike(native: &Edge, node: &Edge, cases: &[Case]) {
    let differences = compare(native, node, cases);
    assert!(
        differences.is_empty(),
        "{} of {} requests answered differently:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}

/// The faults whose answer is a whole response (no transport tricks) answer alike too; the
/// transport faults (reset, dribble, endless body) are compared by the fault tests, which run
/// through both edges.
#[test]
#[ignore = "needs the built package (cargo xtask build); cargo xtask test runs it"]
fn both_edges_answer_faults_alike() {
    let mut config = Config::for_tests();
    config.today = Date::parse_iso("2026-11-28");
    config.customers = 600;
    config.faults = FaultConfig {
        seed: 3,
        latency_ms: 0,
        jitter_ms: 0,
        rules: [
            r#"{"kind":"status","status":429,"retryAfter":2,"route":"/account/"}"#,
            r#"{"kind":"status","status":503,"body":"html","route":"/api/v1/campaigns"}"#,
            "redirect:1:/api/v1/client_access/",
            "truncate=500:1:/api/v1/data_owners/1/",
            "html:1:/api/v1/data_owners/2/",
            "lying_count=3:1:/api/v1/data_owners/3/B2C/",
            "bad_envelope=array:1:/api/v1/data_owners/3/B2B/",
            "invalid_utf8:1:/api/v1/call_outcomes/",
            "foreign_next:1:/api/v1/campaigns/101/",
            "status=500:0.5:/crm/",
        ]
        .iter()
        .map(|spec| flag::parse(spec).unwrap())
        .collect(),
    };
    let native = Edge::native(&config);
    let node = Edge::node(&config);
    let mut cases = vec![
        demo("/account/who_am_i"),
        demo("/api/v1/campaigns"),
        demo("/api/v1/client_access/campaigns?x=1"),
        demo("/api/v1/data_owners/1/B2C/customers/"),
        demo("/api/v1/data_owners/2/B2C/customers/"),
        demo("/api/v1/data_owners/3/B2C/customers/"),
        demo("/api/v1/data_owners/3/B2B/customers/"),
        demo("/api/v1/call_outcomes/?from_date=20261101&to_date=20261128"),
        demo("/api/v1/campaigns/101/callflow_customers/?page=2"),
        get("/_sandbox/faults", None),
    ];
    // The seeded draws of a rate: the same sequence on both.
    cases.extend((0..12).map(|_| demo("/crm/customers?assignment_id=102")));
    assert_alike(&native, &node, &cases);
}
