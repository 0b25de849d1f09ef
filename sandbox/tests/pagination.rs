//! DRF pagination: walking every page, absolute links, kept parameters, invalid pages.

mod common;

use std::collections::HashSet;

use common::Sandbox;
use cube_sandbox::dates::Date;
use serde_json::Value;

fn small() -> Sandbox {
    Sandbox::with_config(|c| {
        c.customers = 1234;
        c.page_size = 100;
        c.today = Date::parse_iso("2026-11-28");
    })
}

/// Follows `next` from `start`; returns every record and the number of pages.
fn walk(sb: &Sandbox, start: &str) -> (Vec<Value>, usize, u64) {
    let mut target = start.to_string();
    let mut records = Vec::new();
    let mut pages = 0;
    let mut count = None;
    loop {
        let page = sb.get_json(&target);
        pages += 1;
        let c = page["count"].as_u64().unwrap();
        assert_eq!(*count.get_or_insert(c), c, "count changed between pages");
        records.extend(page["results"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            None => break,
            Some(next) => {
                assert!(
                    next.starts_with(&sb.base()),
                    "absolute, same origin: {next}"
                );
                target = next[sb.base().len()..].to_string();
            }
        }
        assert!(pages < 1000, "runaway pagination");
    }
    (records, pages, count.unwrap_or(0))
}

#[test]
fn walking_customers_gives_exactly_count_records_without_duplicates() {
    let sb = small();
    let (records, pages, count) = walk(&sb, "/api/v1/data_owners/2/B2B/customers/");
    assert_eq!(count, 1234);
    assert_eq!(pages, 13);
    assert_eq!(records.len(), 1234);
    let ids: HashSet<&str> = records
        .iter()
        .map(|r| r["crm__customer_id"].as_str().unwrap())
        .filter(|id| !id.is_empty())
        .collect();
    let anonymized = records
        .iter()
        .filter(|r| r["crm__customer_id"] == "")
        .count();
    assert_eq!(ids.len() + anonymized, 1234, "no duplicate ids");
}

#[test]
fn walking_callflow_and_outcomes() {
    let sb = small();
    let (records, _, count) = walk(&sb, "/api/v1/data_owners/1/crm/B2C/callflow_customers/");
    assert_eq!(records.len() as u64, count);
    assert_eq!(count, 1234);
    let (records, _, count) = walk(&sb, "/api/v1/campaigns/101/callflow_customers/");
    assert_eq!(records.len() as u64, count);
    let (records, pages, count) = walk(
        &sb,
        "/api/v1/call_outcomes/?to_date=20261128&from_date=20261001",
    );
    assert_eq!(records.len() as u64, count);
    assert!(pages > 10);
    let keys: HashSet<String> = records
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["campaign__id"], r["call_outcome__report_as__submitted_when_timestamp"]
            )
        })
        .collect();
    assert_eq!(keys.len(), records.len(), "no duplicate outcomes");
    let whens: Vec<&str> = records
        .iter()
        .map(|r| {
            r["call_outcome__report_as__submitted_when"]
                .as_str()
                .unwrap()
        })
        .collect();
    let mut sorted = whens.clone();
    sorted.sort();
    assert_eq!(whens, sorted, "oldest first");
}

#[test]
fn links_keep_the_other_parameters_sorted_like_drf() {
    let sb = small();
    let base = sb.base();
    let first = sb.get_json("/api/v1/call_outcomes/?to_date=20261128&from_date=20261001");
    assert_eq!(
        first["next"],
        format!("{base}/api/v1/call_outcomes/?from_date=20261001&page=2&to_date=20261128")
    );
    assert_eq!(first["previous"], Value::Null);
    let second = sb.get_json("/api/v1/call_outcomes/?to_date=20261128&from_date=20261001&page=2");
    assert_eq!(
        second["previous"],
        format!("{base}/api/v1/call_outcomes/?from_date=20261001&to_date=20261128"),
        "page 1 is linked without a page parameter"
    );
    let third = sb.get_json("/api/v1/call_outcomes/?to_date=20261128&from_date=20261001&page=3");
    assert_eq!(
        third["previous"],
        format!("{base}/api/v1/call_outcomes/?from_date=20261001&page=2&to_date=20261128")
    );
    let cs = sb.get_json("/api/v1/campaigns/101/callflow_customers/?call_state=Not+reached");
    if let Some(next) = cs["next"].as_str() {
        assert!(next.contains("call_state=Not+reached&page=2"), "{next}");
    }
}

#[test]
fn invalid_pages_are_404() {
    let sb = small();
    let path = "/api/v1/data_owners/1/B2C/customers/";
    let last = sb.get_json(&format!("{path}?page=13"));
    assert_eq!(last["results"].as_array().unwrap().len(), 34);
    assert_eq!(last["next"], Value::Null);
    assert_eq!(sb.get_json(&format!("{path}?page=last")), last);
    for page in ["14", "0", "-1", "abc", "1.5", ""] {
        let r = sb.get(&format!("{path}?page={page}"));
        assert_eq!(r.status, 404, "page={page}");
        assert_eq!(r.json()["detail"], "Invalid page.");
    }
    // An empty list still has a page 1.
    let empty = "/api/v1/campaigns/102/product_registrations/?from_date=20200101&to_date=20301231";
    let page = sb.get_json(empty);
    assert_eq!(page["count"], 0);
    assert_eq!(page["results"], serde_json::json!([]));
    assert_eq!(sb.get(&format!("{empty}&page=2")).status, 404);
}

#[test]
fn default_page_size_is_500() {
    let sb = Sandbox::start();
    let page = sb.get_json("/api/v1/data_owners/3/B2C/customers/?page=4");
    assert_eq!(page["results"].as_array().unwrap().len(), 500);
    assert_eq!(page["next"], Value::Null);
}

fn raw(sb: &Sandbox, request: &str) -> String {
    String::from_utf8_lossy(&sb.raw(request)).into_owned()
}

#[test]
fn links_are_built_from_the_host_header() {
    let sb = small();
    let page = "/api/v1/data_owners/1/B2C/customers/?page=2";
    let auth = "Authorization: Token demo-token\r\nConnection: close\r\n";
    // A proxy's Host header names the origin of the links.
    let answer = raw(
        &sb,
        &format!("GET {page} HTTP/1.1\r\nHost: proxy.example:8080\r\n{auth}\r\n"),
    );
    assert!(answer.starts_with("HTTP/1.1 200 "), "{}", &answer[..100]);
    assert!(answer.contains(
        r#""next":"http://proxy.example:8080/api/v1/data_owners/1/B2C/customers/?page=3""#
    ));
    // Without one (an HTTP/1.0 client, or a sloppy HTTP/1.1 one): http://localhost.
    for version in ["HTTP/1.0", "HTTP/1.1"] {
        let answer = raw(&sb, &format!("GET {page} {version}\r\n{auth}\r\n"));
        assert!(answer.starts_with("HTTP/1."), "{version}: {answer}");
        assert!(
            answer[..12].ends_with(" 200"),
            "{version}: {}",
            &answer[..100]
        );
        assert!(
            answer.contains(
                r#""next":"http://localhost/api/v1/data_owners/1/B2C/customers/?page=3""#
            ),
            "{version}"
        );
    }
}
