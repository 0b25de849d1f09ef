use super::params::ParamValue::{self, Num, Str};
use super::*;

fn p(pairs: &[(&'static str, ParamValue)]) -> Vec<(&'static str, ParamValue)> {
    pairs.to_vec()
}

fn path(method: Method, pairs: &[(&'static str, ParamValue)]) -> String {
    build(method, &p(pairs), None).unwrap().path_and_query
}

fn err_param(method: Method, pairs: &[(&'static str, ParamValue)]) -> String {
    let e = build(method, &p(pairs), None).unwrap_err();
    assert_eq!(e.code.as_str(), "invalid_argument");
    assert!(
        e.message.contains(e.param.as_deref().unwrap()),
        "message names the param: {}",
        e.message
    );
    e.param.clone().unwrap()
}

#[test]
fn every_documented_path() {
    let crm = [("dataOwnerId", Num(7.0)), ("crmType", Str("B2C".into()))];
    assert_eq!(path(Method::WhoAmI, &[]), "/account/who_am_i");
    assert_eq!(path(Method::Campaigns, &[]), "/api/v1/campaigns");
    assert_eq!(
        path(Method::ClientAccessCampaigns, &[]),
        "/api/v1/client_access/campaigns"
    );
    assert_eq!(
        path(Method::Customers, &crm),
        "/api/v1/data_owners/7/B2C/customers/"
    );
    let mut one = crm.to_vec();
    one.push(("customerId", Str("000417".into())));
    assert_eq!(
        path(Method::Customer, &one),
        "/api/v1/data_owners/7/B2C/customers/000417"
    );
    assert_eq!(
        path(Method::CustomFields, &crm),
        "/api/v1/data_owners/7/B2C/crm_custom_fields/"
    );
    assert_eq!(
        path(Method::CallflowCustomers, &crm),
        "/api/v1/data_owners/7/crm/B2C/callflow_customers/"
    );
    assert_eq!(
        path(
            Method::CallflowCustomers,
            &[
                ("campaignId", Num(3.0)),
                ("callState", Str("Not reached".into()))
            ]
        ),
        "/api/v1/campaigns/3/callflow_customers/?call_state=Not%20reached"
    );
    let range = [
        ("from", Str("2024-01-01".into())),
        ("to", Str("20240131".into())),
    ];
    assert_eq!(
        path(Method::CallOutcomes, &range),
        "/api/v1/call_outcomes/?from_date=20240101&to_date=20240131"
    );
    assert_eq!(path(Method::CallOutcomes, &[]), "/api/v1/call_outcomes/");
    let mut crm_range = crm.to_vec();
    crm_range.extend(range.iter().cloned());
    assert_eq!(
        path(Method::CallOutcomes, &crm_range),
        "/api/v1/data_owners/7/crm/B2C/call_outcomes/?from_date=20240101&to_date=20240131"
    );
    assert_eq!(
        path(Method::CallOutcomes, &[("campaignId", Str("12".into()))]),
        "/api/v1/campaigns/12/call_outcomes/"
    );
    assert_eq!(
        path(Method::ProductRegistrations, &crm),
        "/api/v1/data_owners/7/crm/B2C/product_registrations/"
    );
    assert_eq!(
        path(Method::ProductRegistrations, &[("campaignId", Num(12.0))]),
        "/api/v1/campaigns/12/product_registrations/"
    );
    assert_eq!(
        path(Method::LegacyCustomers, &[("assignmentId", Num(5.0))]),
        "/crm/customers?assignment_id=5"
    );
    assert_eq!(
        path(
            Method::LegacyResponses,
            &[("campaignId", Num(5.0)), ("from", Str("2024-03-01".into()))]
        ),
        "/responses?campaign_id=5&from=20240301"
    );
}

#[test]
fn shapes_and_start_page() {
    let crm = [
        ("dataOwnerId", Num(1.0)),
        ("crmType", Str("b2b".into())),
        ("page", Num(4.0)),
    ];
    let spec = build(Method::Customers, &p(&crm), None).unwrap();
    assert_eq!(spec.shape, Shape::Pages);
    assert_eq!(spec.start_page, 4);
    assert!(
        spec.path_and_query.contains("/B2B/"),
        "crm type is normalized"
    );
    assert_eq!(
        build(Method::Campaigns, &p(&[]), None).unwrap().shape,
        Shape::Array
    );
    assert_eq!(
        build(Method::WhoAmI, &p(&[]), None).unwrap().shape,
        Shape::Object
    );
}

#[test]
fn bad_input_names_the_parameter() {
    use Method::*;
    let crm = |owner: ParamValue, crm: ParamValue| vec![("dataOwnerId", owner), ("crmType", crm)];
    assert_eq!(
        err_param(Customers, &crm(Num(0.0), Str("B2C".into()))),
        "dataOwnerId"
    );
    assert_eq!(
        err_param(Customers, &crm(Num(1.5), Str("B2C".into()))),
        "dataOwnerId"
    );
    assert_eq!(
        err_param(Customers, &crm(Str("abc".into()), Str("B2C".into()))),
        "dataOwnerId"
    );
    assert_eq!(
        err_param(Customers, &crm(Num(1.0), Str("B2X".into()))),
        "crmType"
    );
    assert_eq!(
        err_param(Customers, &[("crmType", Str("B2C".into()))]),
        "dataOwnerId"
    );
    assert_eq!(
        err_param(Customers, &[("dataOwnerId", Num(1.0))]),
        "crmType"
    );
    assert_eq!(
        err_param(Customers, &[("dataownerId", Num(1.0))]),
        "dataownerId"
    );
    assert_eq!(
        err_param(Customer, &crm(Num(1.0), Str("B2C".into()))),
        "customerId"
    );
    assert_eq!(
        err_param(
            CallOutcomes,
            &[
                ("from", Str("2024-02-30".into())),
                ("to", Str("2024-03-01".into()))
            ]
        ),
        "from"
    );
    assert_eq!(
        err_param(
            CallOutcomes,
            &[
                ("from", Str("2024-03-02".into())),
                ("to", Str("2024-03-01".into()))
            ]
        ),
        "from"
    );
    assert_eq!(
        err_param(CallOutcomes, &[("from", Str("2024-03-01".into()))]),
        "to"
    );
    assert_eq!(
        err_param(
            CallOutcomes,
            &[("campaignId", Num(1.0)), ("dataOwnerId", Num(1.0))]
        ),
        "campaignId"
    );
    assert_eq!(err_param(ProductRegistrations, &[]), "campaignId");
    assert_eq!(
        err_param(
            CallflowCustomers,
            &crm(Num(1.0), Str("B2C".into()))
                .into_iter()
                .chain([("callState", Str("Ready".into()))])
                .collect::<Vec<_>>()
        ),
        "callState"
    );
    assert_eq!(
        err_param(LegacyResponses, &[("campaignId", Num(1.0))]),
        "from"
    );
    assert_eq!(err_param(LegacyCustomers, &[]), "assignmentId");
    assert_eq!(err_param(Campaigns, &[("page", Num(1.0))]), "page");
    assert_eq!(
        err_param(
            Customers,
            &crm(Num(1.0), Str("B2C".into()))
                .into_iter()
                .chain([("page", Num(0.0))])
                .collect::<Vec<_>>()
        ),
        "page"
    );
}

#[test]
fn legacy_create_checks_its_body() {
    let ok = build(
        Method::LegacyCreateCustomer,
        &p(&[]),
        Some(r#"{"customer_id":"0042","assignment_id":3,"name":"Åse"}"#),
    )
    .unwrap();
    assert_eq!(ok.http_method, "POST");
    assert!(ok.body.unwrap().contains("Åse"));
    for (body, param) in [
        (None, "customer"),
        (Some("[1]"), "customer"),
        (Some(r#"{"assignment_id":3}"#), "customer.customer_id"),
        (Some(r#"{"customer_id":"1"}"#), "customer.assignment_id"),
        (
            Some(r#"{"customer_id":"1","assignment_id":0}"#),
            "customer.assignment_id",
        ),
    ] {
        let e = build(Method::LegacyCreateCustomer, &p(&[]), body).unwrap_err();
        assert_eq!(e.param.as_deref(), Some(param), "{body:?}");
    }
}

#[test]
fn names_round_trip() {
    for m in Method::ALL {
        assert_eq!(Method::from_js_name(m.js_name()), Some(m));
    }
    assert_eq!(Method::from_js_name("nope"), None);
}

/// `{dataOwnerId}` → `{data_owner_id}`: the sandbox's OpenAPI names path parameters as Cube does.
fn openapi_path(template: &str) -> String {
    let mut out = String::new();
    for c in template.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The query parameters a row may send, by their names on the wire, and whether Cube needs them.
fn wire_query(row: &crate::endpoints::Endpoint) -> Vec<(&'static str, bool)> {
    use crate::endpoints::Rule;
    let mut q: Vec<(&'static str, bool)> = row
        .query
        .iter()
        .map(|(js, wire)| {
            let id = crate::endpoints::param_kind(js) == Some(crate::endpoints::ParamKind::Id);
            (*wire, id)
        })
        .collect();
    for rule in row.rules {
        match rule {
            Rule::DateRange => q.extend([("from_date", false), ("to_date", false)]),
            Rule::LegacyDates => q.extend([("from", true), ("to", false)]),
            Rule::CampaignOnly(_) | Rule::LegacyCustomerBody => {}
        }
    }
    q
}

#[test]
fn the_sandbox_openapi_has_every_row_and_nothing_else() {
    use crate::endpoints::{PathTemplate, ENDPOINTS};
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/sandbox/openapi.json"))
            .expect("sandbox/openapi.json");
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for row in ENDPOINTS {
        for template in row.paths() {
            let key = openapi_path(template);
            let op = &paths
                .get(&key)
                .unwrap_or_else(|| panic!("{}: {key} is not in openapi.json", row.js_name))
                [row.http.to_ascii_lowercase()];
            assert!(
                op.is_object(),
                "{}: {} {key} is not in openapi.json",
                row.js_name,
                row.http
            );
            seen.insert(format!("{} {key}", row.http));
            let declared: Vec<(&str, &str, bool)> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap(),
                        p["in"].as_str().unwrap(),
                        p["required"].as_bool().unwrap_or(false),
                    )
                })
                .collect();
            // Path parameters: exactly the template's, all required.
            let in_path: Vec<&str> = key
                .split('{')
                .skip(1)
                .map(|s| s.split('}').next().unwrap())
                .collect();
            let declared_path: Vec<&str> = declared
                .iter()
                .filter(|p| p.1 == "path")
                .map(|p| p.0)
                .collect();
            assert_eq!(
                declared_path, in_path,
                "{}: path parameters of {key}",
                row.js_name
            );
            // Query: every parameter the client may send, required where Cube needs it.
            let mut expected = wire_query(&row);
            let campaign_route = matches!(row.path, PathTemplate::CampaignOrCrm { campaign, .. } if campaign == template);
            if !campaign_route {
                // Filters that only a campaign's route takes.
                expected.retain(|(wire, _)| *wire != "call_state");
            }
            if row.shape == Shape::Pages && key.starts_with("/api/v1/") {
                expected.push(("page", false));
            }
            let declared_query: Vec<(&str, bool)> = declared
                .iter()
                .filter(|p| p.1 == "query")
                .map(|p| (p.0, p.2))
                .collect();
            let mut want = expected.clone();
            want.sort();
            let mut got = declared_query.clone();
            got.sort();
            assert_eq!(
                got, want,
                "{}: query parameters of {} {key}",
                row.js_name, row.http
            );
        }
    }
    // The sandbox's own control API (`/_sandbox/…`, marked `x-sandbox-only`) is no Cube
    // endpoint: it is in the spec, never in the table.
    let documented: std::collections::BTreeSet<String> = paths
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .iter()
                .filter(|(m, _)| matches!(m.as_str(), "get" | "post" | "put" | "patch" | "delete"))
                .filter(move |(m, op)| {
                    let sandbox_only = op["x-sandbox-only"] == true;
                    assert_eq!(
                        sandbox_only,
                        p.starts_with("/_sandbox/"),
                        "{m} {p}: x-sandbox-only exactly on the /_sandbox/ paths"
                    );
                    !sandbox_only
                })
                .map(move |(m, _)| format!("{} {p}", m.to_ascii_uppercase()))
        })
        .collect();
    assert_eq!(
        documented, seen,
        "openapi.json documents exactly the table's endpoints"
    );
}

#[test]
fn the_table_and_the_method_enum_agree() {
    use crate::endpoints::ENDPOINTS;
    for (i, row) in ENDPOINTS.iter().enumerate() {
        assert_eq!(
            row.method as usize, i,
            "{} is in its Method's place",
            row.js_name
        );
        assert_eq!(Method::from_js_name(row.js_name), Some(row.method));
        assert_eq!(
            row.shape == Shape::Pages,
            row.params.contains(&"page"),
            "{}: lists take page",
            row.js_name
        );
    }
}

#[test]
fn huge_values_and_keys_are_cut_in_messages() {
    let huge = "9".repeat(50_000) + &"x".repeat(50_000);
    let crm = [("dataOwnerId", Num(7.0)), ("crmType", Str("B2C".into()))];
    let key: &'static str = Box::leak(huge.clone().into_boxed_str());
    let cases: Vec<(Method, Vec<(&'static str, ParamValue)>)> = vec![
        (
            Method::Customers,
            p(&[("dataOwnerId", Str(huge.clone())), crm[1].clone()]),
        ),
        (
            Method::Customers,
            p(&[crm[0].clone(), ("crmType", Str(huge.clone()))]),
        ),
        (
            Method::Customer,
            [&crm[..], &[("customerId", Str(huge.clone()))]].concat(),
        ),
        (Method::Customers, [&crm[..], &[(key, Num(1.0))]].concat()),
    ];
    for (method, pairs) in cases {
        let e = build(method, &pairs, None).unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message);
        assert!(e.message.contains("(100,000 characters)"), "{}", e.message);
        assert!(e.param.as_ref().unwrap().len() <= 80);
    }
}

#[test]
fn every_parameter_is_declared_and_every_handle_fits_its_rows() {
    use crate::endpoints::{param_kind, Handle, ENDPOINTS};
    for row in ENDPOINTS {
        for p in row.params {
            assert!(param_kind(p).is_some(), "{}: {p} has no kind", row.js_name);
        }
        for (js, _) in row.query {
            assert!(
                row.params.contains(js),
                "{}: query {js} is a parameter",
                row.js_name
            );
        }
        for h in row.handles {
            for p in h.params() {
                assert!(
                    row.params.contains(p),
                    "{}: {} fills {p}",
                    row.js_name,
                    h.name()
                );
            }
        }
        if let Some(p) = row.positional {
            assert!(
                !row.handles.is_empty(),
                "{}: positional only on a handle",
                row.js_name
            );
            assert!(
                row.params.contains(&p),
                "{}: {p} is a parameter",
                row.js_name
            );
        }
        assert_eq!(
            row.body.is_some(),
            row.http == "POST",
            "{}: a body exactly for a POST",
            row.js_name
        );
    }
    assert_eq!(Handle::Crm.params(), ["dataOwnerId", "crmType"]);
}
