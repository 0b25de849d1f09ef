//! `endpoints::build` for every method with arbitrary parameters (through `ParamSource`).
//! Invariants: no panic; a refusal is `invalid_argument` naming a parameter the message
//! mentions; an accepted request is a clean ASCII path whose meaning a WHATWG URL parser (what
//! `fetch` uses) does not change — no dot segment, no injected query parameter, no fragment.
#![no_main]

use arbitrary::Arbitrary;
use cube_integration::endpoints::params::{ParamSource, ParamValue};
use cube_integration::endpoints::query::with_page;
use cube_integration::endpoints::{build, Method, Shape};
use cube_integration::ErrorCode;
use libfuzzer_sys::fuzz_target;
use url::Url;

const KEYS: [&str; 11] = [
    "dataOwnerId",
    "crmType",
    "customerId",
    "campaignId",
    "callState",
    "from",
    "to",
    "page",
    "assignmentId",
    "customer",
    "limit",
];
const TEXTS: [&str; 16] = [
    "1",
    "42",
    "B2C",
    "b2b",
    "2024-01-31",
    "20240201",
    "..",
    ".",
    "%2e%2e",
    "a/b",
    "a?b=1",
    "a#b",
    "Ready",
    "Not reached",
    "000417",
    "æøå",
];

#[derive(Arbitrary, Debug)]
enum Key {
    Known(u8),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    Pool(u8),
    Str(String),
    Num(f64),
    Int(i32),
    Bool(bool),
    Other,
}

#[derive(Arbitrary, Debug)]
struct Input {
    method: u8,
    /// `fields[i]` is the value of `KEYS[i]`: the documented parameters are easy to reach.
    fields: [Option<Value>; 10],
    /// Then any further keys (typos, duplicates, odd names).
    extra: Vec<(Key, Value)>,
    body: Option<String>,
}

fn value(v: Value) -> ParamValue {
    match v {
        Value::Pool(i) => ParamValue::Str(TEXTS[usize::from(i) % TEXTS.len()].into()),
        Value::Str(s) => ParamValue::Str(s),
        Value::Num(n) => ParamValue::Num(n),
        Value::Int(i) => ParamValue::Num(f64::from(i)),
        Value::Bool(b) => ParamValue::Bool(b),
        Value::Other => ParamValue::Other("object".into()),
    }
}

struct Params(Vec<(String, ParamValue)>);

impl ParamSource for Params {
    fn get(&self, key: &str) -> Option<ParamValue> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
    fn keys(&self) -> Vec<String> {
        self.0.iter().map(|(k, _)| k.clone()).collect()
    }
}

const QUERY_KEYS: [&str; 7] = [
    "call_state",
    "from_date",
    "to_date",
    "assignment_id",
    "campaign_id",
    "from",
    "to",
];

fuzz_target!(|input: Input| {
    let method = Method::ALL[usize::from(input.method) % Method::ALL.len()];
    let mut pairs: Vec<(String, ParamValue)> = input
        .fields
        .into_iter()
        .zip(KEYS)
        .filter_map(|(v, k)| v.map(|v| (k.to_string(), value(v))))
        .collect();
    pairs.extend(input.extra.into_iter().take(4).map(|(k, v)| {
        let key = match k {
            Key::Known(i) => KEYS[usize::from(i) % KEYS.len()].to_string(),
            Key::Any(s) => s,
        };
        (key, value(v))
    }));
    let params = Params(pairs);
    match build(method, &params, input.body.as_deref()) {
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.message);
            let param = e
                .param
                .as_deref()
                .expect("invalid_argument names its parameter");
            // Named as written, or (an unknown key with odd characters) in its escaped form.
            assert!(
                e.message.contains(param) || e.message.contains(&format!("{param:?}")),
                "{param}: {}",
                e.message
            );
        }
        Ok(spec) => {
            let pq = spec.path_and_query.as_str();
            assert!(pq.starts_with('/'), "{pq}");
            assert!(
                pq.bytes().all(|b| b.is_ascii_graphic()),
                "not clean ASCII: {pq:?}"
            );
            assert!(!pq.contains('#'), "{pq}");
            let (path, query) = pq.split_once('?').unwrap_or((pq, ""));
            for segment in path.split('/') {
                let s = segment.to_ascii_lowercase().replace("%2e", ".");
                assert!(
                    s != "." && s != "..",
                    "{method:?}: dot segment in {pq:?} (params {:?})",
                    params.0
                );
            }
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let key = pair.split('=').next().unwrap();
                assert!(
                    QUERY_KEYS.contains(&key),
                    "{method:?}: unexpected query key {key:?} in {pq:?}"
                );
                assert_eq!(pair.matches('=').count(), 1, "{pq:?}");
            }
            let full = format!("https://acme.headshed.com/cube{pq}");
            let u = Url::parse(&full).expect("a built URL parses");
            assert_eq!(u.host_str(), Some("acme.headshed.com"));
            assert_eq!(
                u.path(),
                format!("/cube{path}"),
                "fetch would request another path than built"
            );
            assert_eq!(u.query().unwrap_or(""), query);
            assert!(spec.start_page >= 1);
            assert!(Url::parse(&format!("https://a.b{}", with_page(pq, spec.start_page))).is_ok());
            match spec.http_method {
                "GET" => assert!(spec.body.is_none()),
                "POST" => {
                    let body = spec.body.as_deref().expect("POST has a body");
                    let v: serde_json::Value = serde_json::from_str(body).expect("body is JSON");
                    assert!(v.is_object());
                }
                other => panic!("method {other}"),
            }
            if spec.shape != Shape::Pages {
                assert_eq!(spec.start_page, 1);
            }
        }
    }
});
