//! Every fault kind, latency, routes, skip/times, seeded repeats, flags and the control API.

mod common;

use std::time::{Duration, Instant};

use common::{Sandbox, DEMO_TOKEN};
use cube_sandbox::faults::{flag, FaultConfig};
use cube_sandbox::http_client;
use serde_json::{json, Value};

const PAGE: &str = "/api/v1/data_owners/1/B2C/customers/";

fn with_faults(faults: Value) -> Sandbox {
    let sb = Sandbox::with_config(|c| c.customers = 1200);
    let r = sb.control("POST", "/_sandbox/faults", Some(&faults));
    assert_eq!(r.status, 200, "{}", r.text());
    sb
}

fn rule(kind: Value) -> Value {
    json!({"seed": 7, "rules": [kind]})
}

fn last_logged_fault(sb: &Sandbox) -> Value {
    let log = sb.control("GET", "/_sandbox/requests", None).json();
    log.as_array().unwrap().last().unwrap()["fault"].clone()
}

#[test]
fn status_faults_with_retry_after() {
    let sb = with_faults(rule(
        json!({"kind": "status", "status": 429, "retryAfter": 3, "times": 1}),
    ));
    let r = sb.get("/account/who_am_i");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("3"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.json()["detail"],
        "Request was throttled. Expected available in 3 seconds."
    );
    assert_eq!(last_logged_fault(&sb), "status");
    assert_eq!(sb.get("/account/who_am_i").status, 200, "times: 1");
    assert_eq!(last_logged_fault(&sb), Value::Null);

    let sb = with_faults(rule(
        json!({"kind": "status", "status": 503, "retryAfter": 5, "retryAfterDate": true}),
    ));
    let r = sb.get("/account/who_am_i");
    assert_eq!(r.status, 503);
    let date = r.header("retry-after").unwrap();
    let at = httpdate::parse_http_date(date).expect("an HTTP-date");
    assert!(at > std::time::SystemTime::now());

    for (status, body) in [(500, "json"), (502, "html"), (504, "empty")] {
        let sb = with_faults(rule(
            json!({"kind": "status", "status": status, "body": body}),
        ));
        let r = sb.get(PAGE);
        assert_eq!(r.status, status);
        match body {
            "json" => assert_eq!(r.json()["detail"], "A server error occurred."),
            "html" => assert!(r.text().contains("<html>")),
            _ => assert!(r.body.is_empty()),
        }
    }
}

#[test]
fn reset_drops_the_connection_mid_body() {
    let sb = with_faults(rule(
        json!({"kind": "reset", "keepBytes": 1000, "times": 2}),
    ));
    let result = http_client::request(
        sb.running.addr(),
        "GET",
        PAGE,
        &[("Authorization", DEMO_TOKEN)],
        None,
    );
    assert!(result.is_err(), "the body must not complete");
    // On the wire: the headers with the full Content-Length, the first keepBytes of the
    // body, then the end of the connection.
    let received = sb.raw(&format!(
        "GET {PAGE} HTTP/1.1\r\nHost: {}\r\nAuthorization: {DEMO_TOKEN}\r\n\r\n",
        sb.running.addr()
    ));

    let end = received
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let announced: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .expect("a Content-Length")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(received.len() - end - 4, 1000, "keepBytes of the body");
    let full = sb.get(PAGE);
    assert_eq!(full.status, 200, "times: 2");
    assert_eq!(announced, full.body.len(), "the full Content-Length");
    let log = sb.control("GET", "/_sandbox/requests", None).json();
    assert_eq!(log[0]["fault"], "reset");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[1]["fault"], "reset");
    assert_eq!(log[2]["fault"], Value::Null);
}

#[test]
fn truncate_cuts_json_with_a_consistent_length() {
    let sb = with_faults(rule(json!({"kind": "truncate"})));
    let r = sb.get(PAGE);
    assert_eq!(r.status, 200);
    let len: usize = r.header("content-length").unwrap().parse().unwrap();
    assert_eq!(len, r.body.len());
    assert!(len > 1000);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert!(r.text().starts_with("{\"count\":1200"));
}

#[test]
fn html_login_page_with_200() {
    let sb = with_faults(rule(json!({"kind": "html", "route": "/api/"})));
    let r = sb.get(PAGE);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().starts_with("<!DOCTYPE html>"));
    assert_eq!(
        sb.get("/account/who_am_i").status,
        200,
        "other routes untouched"
    );
}

#[test]
fn redirect_to_the_same_path_on_another_origin_with_cors() {
    let sb = with_faults(json!({"rules": [
        {"kind": "redirect", "route": "/account/"},
        {"kind": "redirect", "status": 308, "location": "https://elsewhere.example/", "route": "/api/"},
    ]}));
    let r = sb.get("/account/who_am_i");
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some("http://internal.cube.local:8000/account/who_am_i")
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = sb.get("/api/v1/campaigns?page=2");
    assert_eq!(r.status, 308);
    assert_eq!(
        r.header("location"),
        Some("https://elsewhere.example/api/v1/campaigns?page=2")
    );
    assert_eq!(last_logged_fault(&sb), json!("redirect"));
}

#[test]
fn dribble_sends_the_real_body_slowly() {
    let sb = with_faults(rule(
        json!({"kind": "dribble", "chunkBytes": 20, "chunkDelayMs": 40}),
    ));
    let started = Instant::now();
    let r = sb.get("/account/who_am_i");
    let elapsed = started.elapsed();
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["username"], "demo@example.com");
    // the real answer: its Content-Length announced up front
    let length = r.body.len().to_string();
    assert_eq!(r.header("content-length"), Some(length.as_str()));
    assert_eq!(r.header("transfer-encoding"), None);
    let chunks = r.body.len().div_ceil(20) as u32;
    assert!(
        elapsed >= Duration::from_millis(40) * (chunks - 1),
        "{elapsed:?}"
    );
}

#[test]
fn foreign_next_and_next_loop() {
    let sb = with_faults(rule(json!({"kind": "foreign_next"})));
    let p = sb.get_json(&format!("{PAGE}?page=2"));
    assert_eq!(
        p["next"],
        "http://internal.cube.local:8000/api/v1/data_owners/1/B2C/customers/?page=3"
    );
    assert_eq!(
        p["previous"],
        "http://internal.cube.local:8000/api/v1/data_owners/1/B2C/customers/"
    );
    let sb = with_faults(rule(
        json!({"kind": "foreign_next", "origin": "https://evil.example:8443"}),
    ));
    let p = sb.get_json(PAGE);
    assert!(p["next"]
        .as_str()
        .unwrap()
        .starts_with("https://evil.example:8443/api/v1/"));

    let sb = with_faults(rule(json!({"kind": "next_loop"})));
    let p = sb.get_json(&format!("{PAGE}?page=3"));
    assert_eq!(p["next"], format!("{}{PAGE}?page=3", sb.base()));
    assert_eq!(last_logged_fault(&sb), "next_loop");
}

#[test]
fn lying_count_and_bad_envelopes() {
    let sb = with_faults(rule(json!({"kind": "lying_count", "factor": 3})));
    let p = sb.get_json(PAGE);
    assert_eq!(p["count"], 3600);
    assert_eq!(p["results"].as_array().unwrap().len(), 500);

    let sb = with_faults(rule(json!({"kind": "bad_envelope"})));
    assert!(sb.get_json(PAGE)["results"].is_object());
    let sb = with_faults(rule(json!({"kind": "bad_envelope", "variant": "missing"})));
    let p = sb.get_json(PAGE);
    assert!(p.get("results").is_none());
    assert_eq!(p["count"], 1200);
    let sb = with_faults(rule(json!({"kind": "bad_envelope", "variant": "array"})));
    assert_eq!(sb.get_json(PAGE).as_array().unwrap().len(), 500);
    // envelope kinds leave non-paginated routes alone
    let sb = with_faults(rule(json!({"kind": "bad_envelope"})));
    assert!(sb.get_json("/api/v1/campaigns").is_array());
    assert_eq!(last_logged_fault(&sb), Value::Null);
}

#[test]
fn huge_record_and_invalid_utf8() {
    let sb = with_faults(rule(json!({"kind": "huge_record", "bytes": 3_000_000})));
    let p = sb.get_json(PAGE);
    let name = p["results"][0]["crm__standard_info__name"]
        .as_str()
        .unwrap();
    assert_eq!(name.len(), 3_000_000);
    assert_eq!(p["results"].as_array().unwrap().len(), 500);

    let sb = with_faults(rule(json!({"kind": "invalid_utf8"})));
    let r = sb.get(PAGE);
    assert_eq!(r.status, 200);
    assert!(String::from_utf8(r.body.clone()).is_err());
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert_eq!(last_logged_fault(&sb), "invalid_utf8");
}

#[test]
fn endless_body_stops_by_itself() {
    let sb = with_faults(rule(
        json!({"kind": "endless_body", "maxSeconds": 1, "chunkBytes": 1000, "chunkDelayMs": 10}),
    ));
    let started = Instant::now();
    let r = sb.get(PAGE);
    // At least its 1 s (a lower bound no machine can break). "By itself" is bounded by what
    // was sent, not by a clock: a chunk follows a sleep of at least chunkDelayMs, and none is
    // sent once maxSeconds have passed, so 1 s at 10 ms a chunk is at most 100 chunks of 1000
    // bytes — however slow the machine (a slower one sends fewer). One that ignored maxSeconds
    // would send more, or never end.
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(r.status, 200);
    let prefix = "{\"count\": 1, \"next\": null, \"previous\": null, \"results\": [";
    assert!(r.text().starts_with(prefix), "{}", &r.text()[..80]);
    let padding = r.body.len() - prefix.len();
    assert!(r.body.len() > 10_000);
    assert!(
        padding <= 100 * 1000,
        "{padding} bytes after the prefix: more than 100 chunks"
    );
    assert_eq!(padding % 1000, 0, "whole chunks of spaces");
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    let bad = sb.control(
        "POST",
        "/_sandbox/faults",
        Some(&rule(json!({"kind": "endless_body", "maxSeconds": 121}))),
    );
    assert_eq!(bad.status, 400);
}

#[test]
fn latency_global_and_per_route() {
    // Latency is checked from below (a delayed request takes at least that long, which no
    // machine can break) and by the fault counters and the log; the one check from above
    // (the control API is never delayed) races a request held 30 s, so only a machine that
    // stalls for half a minute could fail it.
    let sb = with_faults(json!({"latencyMs": 500}));
    let t = Instant::now();
    assert_eq!(sb.get("/account/who_am_i").status, 200);
    assert!(t.elapsed() >= Duration::from_millis(500));

    let sb = with_faults(json!({"latencyMs": 30_000}));
    let addr = sb.running.addr();
    let held = std::thread::spawn(move || {
        http_client::request(addr, "GET", "/account/who_am_i", &[], None).map(|r| r.status)
    });
    let t = Instant::now();
    assert_eq!(sb.control("GET", "/_sandbox/info", None).status, 200);
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "control API is never delayed"
    );
    assert!(!held.is_finished(), "the API request is still held");
    drop(sb); // stops the server; the held request ends with it

    let sb = with_faults(rule(
        json!({"kind": "delay", "latencyMs": 500, "route": "/api/v1/campaigns"}),
    ));
    sb.get("/account/who_am_i");
    assert_eq!(
        last_logged_fault(&sb),
        Value::Null,
        "other routes are not delayed"
    );
    let t = Instant::now();
    sb.get("/api/v1/campaigns");
    assert!(t.elapsed() >= Duration::from_millis(500));
    assert_eq!(last_logged_fault(&sb), "delay");
    let faults = sb.control("GET", "/_sandbox/faults", None).json();
    assert_eq!(faults["rules"][0]["matched"], 1, "{faults}");
    assert_eq!(faults["rules"][0]["injected"], 1, "{faults}");
}

#[test]
fn skip_times_counters_and_clear() {
    let sb = with_faults(rule(
        json!({"kind": "status", "status": 500, "skip": 2, "times": 2}),
    ));
    let statuses: Vec<u16> = (0..6).map(|_| sb.get("/account/who_am_i").status).collect();
    assert_eq!(statuses, [200, 200, 500, 500, 200, 200]);
    let config = sb.control("GET", "/_sandbox/faults", None).json();
    assert_eq!(config["rules"][0]["matched"], 6);
    assert_eq!(config["rules"][0]["injected"], 2);
    assert_eq!(config["rules"][0]["kind"], "status");
    let cleared = sb.control("DELETE", "/_sandbox/faults", None).json();
    assert_eq!(cleared["rules"], json!([]));
}

#[test]
fn rates_repeat_with_the_seed() {
    let run = || {
        let sb = with_faults(
            json!({"seed": 11, "rules": [{"kind": "status", "status": 503, "rate": 0.4}]}),
        );
        (0..40)
            .map(|_| sb.get("/account/who_am_i").status)
            .collect::<Vec<_>>()
    };
    let a = run();
    assert_eq!(a, run());
    let failures = a.iter().filter(|s| **s == 503).count();
    assert!((6..=26).contains(&failures), "{failures}");
}

#[test]
fn faults_from_flags_survive_reset() {
    let sb = Sandbox::with_config(|c| {
        c.faults = FaultConfig {
            seed: 1,
            latency_ms: 0,
            jitter_ms: 0,
            rules: vec![flag::parse("status=502:1:/api/v1/campaigns").unwrap()],
        }
    });
    assert_eq!(sb.get("/api/v1/campaigns").status, 502);
    assert_eq!(sb.get("/account/who_am_i").status, 200);
    sb.control("DELETE", "/_sandbox/faults", None);
    assert_eq!(sb.get("/api/v1/campaigns").status, 200);
    sb.control("POST", "/_sandbox/reset", None);
    assert_eq!(
        sb.get("/api/v1/campaigns").status,
        502,
        "reset restores the flags' faults"
    );
}

#[test]
fn bad_fault_configs_are_400() {
    let sb = Sandbox::start();
    for body in [
        json!({"rules": [{"kind": "gremlins"}]}),
        json!({"rules": [{"kind": "status", "status": 503, "rate": 2}]}),
        json!({"rules": [{"kind": "status"}]}),
        json!({"rules": [{"kind": "status", "status": 99}]}),
        json!({"rules": [{"kind": "html", "route": "api/"}]}),
        json!({"rules": [{"kind": "redirect", "status": 200}]}),
    ] {
        let r = sb.control("POST", "/_sandbox/faults", Some(&body));
        assert_eq!(r.status, 400, "{body}");
    }
}

#[test]
fn a_member_the_sandbox_does_not_read_is_refused_and_changes_nothing() {
    let sb = with_faults(rule(json!({"kind": "status", "status": 502})));
    let before = sb.control("GET", "/_sandbox/faults", None).json();
    for (body, named) in [
        // A rule posted as the whole configuration: its members are not the config's.
        (json!({"kind": "delay", "ms": 5000}), "unknown field `kind`"),
        (json!({"latency": 300}), "unknown field `latency`"),
        // An array is not read by position (its rules were dropped, the config cleared).
        (json!([]), "invalid type: array"),
        (json!([7, 30, 5, [{"kind": "html"}]]), "invalid type: array"),
        (
            json!({"rules": [{"kind": "delay", "ms": 5000}]}),
            "rules[0]: a delay rule has no option 'ms'",
        ),
        (
            json!({"rules": [{"kind": "status", "status": 503, "retryafter": 1}]}),
            "rules[0]: a status rule has no option 'retryafter'",
        ),
    ] {
        let r = sb.control("POST", "/_sandbox/faults", Some(&body));
        assert_eq!(r.status, 400, "{body}");
        let detail = r.json()["detail"].as_str().unwrap_or_default().to_string();
        assert!(detail.contains(named), "{body}: {detail}");
    }
    assert_eq!(sb.control("GET", "/_sandbox/faults", None).json(), before);
    // The answer lists what would have been taken, at the top and in a rule.
    let top = sb.control(
        "POST",
        "/_sandbox/faults",
        Some(&json!({"kind": "delay", "ms": 5000})),
    );
    assert_eq!(
        top.json()["detail"],
        "faults: unknown field `kind`, expected one of `seed`, `latencyMs`, `jitterMs`, `rules` \
         (a rule goes inside \"rules\": [{\"kind\": …}])"
    );
    let in_rule = sb.control(
        "POST",
        "/_sandbox/faults",
        Some(&json!({"rules": [{"kind": "delay", "ms": 5000}]})),
    );
    assert_eq!(
        in_rule.json()["detail"],
        "faults: rules[0]: a delay rule has no option 'ms'; a delay rule takes 'kind', 'route', \
         'rate', 'times', 'skip', 'latencyMs', 'jitterMs'"
    );
    // Every option a rule reads is still taken.
    let full = json!({"rules": [{"kind": "status", "status": 429, "retryAfter": 2, "route": "/api/", "rate": 0.5, "times": 3, "skip": 1}]});
    assert_eq!(
        sb.control("POST", "/_sandbox/faults", Some(&full)).status,
        200
    );
}

#[test]
fn a_configuration_read_back_can_be_posted_again() {
    let sb = with_faults(rule(json!({"kind": "status", "status": 502, "times": 1})));
    assert_eq!(sb.get("/account/who_am_i").status, 502);
    let read = sb.control("GET", "/_sandbox/faults", None).json();
    assert_eq!(read["rules"][0]["injected"], 1);
    let mut changed = read.clone();
    changed["latencyMs"] = json!(1);
    let posted = sb.control("POST", "/_sandbox/faults", Some(&changed));
    assert_eq!(posted.status, 200, "{}", posted.text());
    // The counters of the new configuration start at zero.
    assert_eq!(posted.json()["rules"][0]["injected"], 0);
    assert_eq!(posted.json()["latencyMs"], 1);
}

#[test]
fn posting_null_clears_the_faults() {
    let sb = with_faults(rule(json!({"kind": "status", "status": 502})));
    assert_eq!(sb.get("/account/who_am_i").status, 502);
    let cleared = sb.control("POST", "/_sandbox/faults", Some(&Value::Null));
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.json()["rules"], json!([]));
    assert_eq!(sb.get("/account/who_am_i").status, 200);
}

#[test]
fn preflight_is_never_faulted() {
    let sb = with_faults(rule(json!({"kind": "status", "status": 500})));
    let r = sb.request(
        "OPTIONS",
        PAGE,
        &[("Access-Control-Request-Method", "GET")],
        None,
    );
    assert_eq!(r.status, 204);
}
