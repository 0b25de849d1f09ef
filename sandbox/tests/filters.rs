//! from_date/to_date ("today" when either is missing) and call_state.

mod common;

use std::collections::HashMap;

use common::Sandbox;
use cube_sandbox::dates::Date;
use serde_json::Value;

fn sandbox() -> Sandbox {
    Sandbox::with_config(|c| c.today = Date::parse_iso("2026-11-28"))
}

fn dates(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["call_outcome__report_as__submitted_when"]
                .as_str()
                .unwrap()[..10]
                .to_string()
        })
        .collect()
}

#[test]
fn missing_dates_mean_today_only() {
    let sb = sandbox();
    for query in ["", "?from_date=20261001", "?to_date=20261127"] {
        let page = sb.get_json(&format!("/api/v1/campaigns/101/call_outcomes/{query}"));
        assert_eq!(page["count"], 5, "300 outcomes over 60 days: {query}");
        assert!(dates(&page).iter().all(|d| d == "2026-11-28"), "{query}");
    }
}

#[test]
fn date_ranges_are_inclusive() {
    let sb = sandbox();
    let one_day =
        sb.get_json("/api/v1/campaigns/103/call_outcomes/?from_date=20261120&to_date=20261120");
    assert_eq!(one_day["count"], 5);
    assert!(dates(&one_day).iter().all(|d| d == "2026-11-20"));
    let week =
        sb.get_json("/api/v1/campaigns/103/call_outcomes/?from_date=20261120&to_date=20261126");
    assert_eq!(week["count"], 35);
    assert!(dates(&week)
        .iter()
        .all(|d| ("2026-11-20".."2026-11-27").contains(&d.as_str())));
    let all =
        sb.get_json("/api/v1/campaigns/103/call_outcomes/?from_date=20200101&to_date=20301231");
    assert_eq!(all["count"], 300);
    let reversed =
        sb.get_json("/api/v1/campaigns/103/call_outcomes/?from_date=20261126&to_date=20261120");
    assert_eq!(reversed["count"], 0);
    let future = sb.get_json("/api/v1/call_outcomes/?from_date=20261201&to_date=20261231");
    assert_eq!(future["count"], 0);
    let products = sb.get_json(
        "/api/v1/data_owners/2/crm/B2C/product_registrations/?from_date=20261120&to_date=20261126",
    );
    let d = dates(&products);
    assert!(!d.is_empty());
    assert!(d
        .iter()
        .all(|d| ("2026-11-20".."2026-11-27").contains(&d.as_str())));
    let legacy = sb.get_json("/responses?campaign_id=103&from=20261120&to=20261126");
    assert_eq!(legacy.as_array().unwrap().len(), 35);
    let legacy_to_today = sb.get_json("/responses?campaign_id=103&from=20261127");
    assert_eq!(legacy_to_today.as_array().unwrap().len(), 10);
}

#[test]
fn call_state_filters_campaign_callflow() {
    let sb = sandbox();
    let all = sb.get_json("/api/v1/campaigns/201/callflow_customers/");
    let total = all["count"].as_u64().unwrap();
    let mut sum = 0;
    let mut seen = HashMap::new();
    for state in [
        "Ready",
        "Callback",
        "Done",
        "Not reached",
        "Busy",
        "Do not call",
    ] {
        let q = state.replace(' ', "%20");
        let page = sb.get_json(&format!(
            "/api/v1/campaigns/201/callflow_customers/?call_state={q}"
        ));
        let n = page["count"].as_u64().unwrap();
        assert!(n > 0, "{state}");
        sum += n;
        for r in page["results"].as_array().unwrap() {
            assert_eq!(r["callflow__callstate__name"], state);
            seen.insert(r["crm__customer_id"].to_string(), state);
        }
    }
    assert_eq!(sum, total, "the states partition the campaign");
    let unknown = sb.get_json("/api/v1/campaigns/201/callflow_customers/?call_state=Sleeping");
    assert_eq!(
        unknown["count"], 0,
        "an unknown state filters everything out"
    );
    let empty = sb.get_json("/api/v1/campaigns/201/callflow_customers/?call_state=");
    assert_eq!(empty["count"], total, "an empty call_state is no filter");
}

#[test]
fn one_campaign_lists_agree_with_the_merged_lists() {
    let sb = sandbox();
    let wide = "from_date=20260901&to_date=20261128";
    let fast = sb.get_json(&format!("/api/v1/campaigns/104/call_outcomes/?{wide}"));
    let mut merged = Vec::new();
    for page in [1, 2] {
        let target = format!("/api/v1/data_owners/1/crm/B2B/call_outcomes/?{wide}&page={page}");
        merged.extend(sb.get_json(&target)["results"].as_array().unwrap().clone());
    }
    assert_eq!(merged.len(), 600);
    let of_104: Vec<&Value> = merged.iter().filter(|r| r["campaign__id"] == 104).collect();
    let fast: Vec<&Value> = fast["results"].as_array().unwrap().iter().collect();
    assert_eq!(fast.len(), 300);
    assert!(fast == of_104, "same records, same (time) order");
    let legacy = sb.get_json("/responses?campaign_id=104&from=20260901&to=20261128");
    let legacy_ids: Vec<&Value> = legacy
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["customer_id"])
        .collect();
    let fast_ids: Vec<&Value> = fast.iter().map(|r| &r["crm__customer_id"]).collect();
    assert_eq!(legacy_ids, fast_ids);
}
