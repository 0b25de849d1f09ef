//! Who may see what: 401 on every route without credentials, 403 for the external user
//! outside data owner 1.

mod common;

use common::{basic, Sandbox, PARTNER_TOKEN};

#[test]
fn external_user_sees_only_data_owner_1() {
    let sb = Sandbox::start();
    let r = sb.get_as("/api/v1/campaigns", Some(PARTNER_TOKEN));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["detail"],
        "You do not have permission to perform this action."
    );
    let mine = sb.get_as("/api/v1/client_access/campaigns", Some(PARTNER_TOKEN));
    assert_eq!(mine.status, 200);
    let mine = mine.json();
    let ids: Vec<i64> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["data_owner__id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1, 1, 1, 1]);
    let partner = basic("partner@example.com", "partner");
    for path in [
        "/api/v1/data_owners/1/B2C/customers/",
        "/api/v1/data_owners/1/crm/B2B/call_outcomes/",
        "/api/v1/campaigns/101/callflow_customers/",
        "/crm/customers?assignment_id=101",
    ] {
        assert_eq!(sb.get_as(path, Some(&partner)).status, 200, "{path}");
    }
    for path in [
        "/api/v1/data_owners/2/B2C/customers/",
        "/api/v1/data_owners/3/B2B/crm_custom_fields/",
        "/api/v1/data_owners/2/crm/B2C/callflow_customers/",
        "/api/v1/data_owners/2/crm/B2C/product_registrations/",
        "/api/v1/campaigns/201/call_outcomes/",
        "/api/v1/campaigns/202/product_registrations/",
        "/crm/customers?assignment_id=301",
        "/responses?campaign_id=201&from=20200101",
    ] {
        let r = sb.get_as(path, Some(&partner));
        assert_eq!(r.status, 403, "{path}");
    }
    // all call outcomes: only data owner 1's
    let all = sb
        .get_as(
            "/api/v1/call_outcomes/?from_date=20000101&to_date=21000101",
            Some(PARTNER_TOKEN),
        )
        .json();
    assert!(all["count"].as_u64().unwrap() > 0);
    assert!(all["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["data_owner__id"] == 1));
}

#[test]
fn every_api_route_requires_auth() {
    let sb = Sandbox::start();
    for path in [
        "/api/v1/campaigns",
        "/api/v1/client_access/campaigns",
        "/api/v1/data_owners/1/B2C/customers/",
        "/api/v1/data_owners/1/B2C/customers/100001",
        "/api/v1/data_owners/1/B2C/crm_custom_fields/",
        "/api/v1/data_owners/1/crm/B2C/callflow_customers/",
        "/api/v1/campaigns/101/callflow_customers/",
        "/api/v1/call_outcomes/",
        "/api/v1/data_owners/1/crm/B2C/call_outcomes/",
        "/api/v1/campaigns/101/call_outcomes/",
        "/api/v1/data_owners/1/crm/B2C/product_registrations/",
        "/api/v1/campaigns/101/product_registrations/",
        "/crm/customers?assignment_id=101",
        "/responses?campaign_id=101&from=20261101",
    ] {
        assert_eq!(sb.get_as(path, None).status, 401, "{path}");
        assert_eq!(sb.get_as(path, Some("Token wrong")).status, 401, "{path}");
        assert_eq!(sb.get(path).status, 200, "{path}");
    }
}
