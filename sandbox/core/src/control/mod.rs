//! The sandbox's own control API under `/_sandbox/` (no auth, CORS like the rest), and
//! `/openapi.json`.

mod edits;
mod faults;
mod import;
mod info;
mod requests;

use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::state::State;

/// The OpenAPI 3 description of the emulated Cube API (`sandbox/openapi.json`).
pub const OPENAPI: &str = include_str!("../../../openapi.json");

/// The control API's operations, `(method, path)`: what `openapi.json` lists under its
/// `sandbox` tag (`tests/openapi.rs` keeps the two equal). `HEAD` goes with each `GET`, and
/// `OPTIONS` (CORS preflight) with each path; any other method is a 405.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/_sandbox/requests"),
    ("DELETE", "/_sandbox/requests"),
    ("GET", "/_sandbox/info"),
    ("POST", "/_sandbox/edits"),
    ("POST", "/_sandbox/import"),
    ("POST", "/_sandbox/reset"),
    ("GET", "/_sandbox/faults"),
    ("POST", "/_sandbox/faults"),
    ("DELETE", "/_sandbox/faults"),
];

/// What a request to the control API (or `/openapi.json`) asks for.
#[derive(Clone, Copy, PartialEq)]
enum Op {
    ListRequests,
    ClearRequests,
    Info,
    Edit,
    Import,
    Reset,
    ShowFaults,
    SetFaults,
    ClearFaults,
    OpenApi,
}

/// The control API's answer, or `None` when the path is not one of its own.
///
/// Like a fault configuration's members, nothing a caller sends is ignored without a word:
/// no control route but `POST /_sandbox/import` (`dataOwnerId`, `crmType`) reads a query
/// parameter, and the routes without a body (all but `POST /_sandbox/edits`,
/// `POST /_sandbox/faults` and `POST /_sandbox/import`) take none — `null` and `{}` aside,
/// which say the same. Either is a 400 that names what was not read, and changes nothing.
pub fn answer(sb: &State, req: &Request<'_>) -> Option<Response> {
    let op = match (req.path, req.method) {
        ("/_sandbox/requests", "GET" | "HEAD") => Op::ListRequests,
        ("/_sandbox/requests", "DELETE") => Op::ClearRequests,
        ("/_sandbox/info", "GET" | "HEAD") => Op::Info,
        ("/_sandbox/edits", "POST") => Op::Edit,
        ("/_sandbox/import", "POST") => Op::Import,
        ("/_sandbox/reset", "POST") => Op::Reset,
        ("/_sandbox/faults", "GET" | "HEAD") => Op::ShowFaults,
        ("/_sandbox/faults", "POST") => Op::SetFaults,
        ("/_sandbox/faults", "DELETE") => Op::ClearFaults,
        ("/openapi.json", "GET" | "HEAD") => Op::OpenApi,
        ("/openapi.json", _) => return Some(not_allowed("GET, HEAD, OPTIONS".into())),
        (path, _) => return allowed(path).map(not_allowed),
    };
    let result = match unread(req, op) {
        Some(message) => Err(message),
        None => match op {
            Op::ListRequests => ok(requests::list(sb)),
            Op::ClearRequests => {
                requests::clear(sb);
                Ok(Response::empty(204))
            }
            Op::Info => ok(info::info(sb)),
            Op::Edit => edits::edit(sb, req.body).map(ok_value),
            Op::Import => Ok(import::import(sb, req.query, req.body)),
            Op::Reset => {
                sb.reset();
                ok(json!({"reset": true}))
            }
            Op::ShowFaults => ok(faults::show(sb)),
            Op::SetFaults => faults::set(sb, req.body).map(ok_value),
            Op::ClearFaults => ok(faults::clear(sb)),
            Op::OpenApi => Ok(Response::json(200, OPENAPI.as_bytes().to_vec())),
        },
    };
    Some(result.unwrap_or_else(|message| Response::json_value(400, &json!({ "detail": message }))))
}

/// What a control request sent that its route does not read, as a 400's message.
fn unread(req: &Request<'_>, op: Op) -> Option<String> {
    let route = req.path.strip_prefix("/_sandbox/")?;
    if op == Op::Import {
        // It reads both, and refuses what it does not read itself.
        return None;
    }
    let reads_body = matches!(op, Op::Edit | Op::SetFaults);
    unread_query(route, req.query, reads_body).or_else(|| {
        if reads_body {
            None
        } else {
            unread_body(route, req.body)
        }
    })
}

/// The first query parameter of a control route (which reads none), as a 400's message.
fn unread_query(route: &str, query: &str, reads_body: bool) -> Option<String> {
    let name = query
        .split('&')
        .find(|p| !p.is_empty())?
        .split('=')
        .next()?;
    let hint = if reads_body {
        " (its options go in the JSON body)"
    } else {
        ""
    };
    Some(format!(
        "{route}: unknown query parameter '{name}'; /_sandbox/{route} takes none{hint}"
    ))
}

/// A body sent to a control route that reads none, as a 400's message: anything but nothing,
/// `null` or `{}`.
fn unread_body(route: &str, body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Null) => None,
        Ok(Value::Object(members)) => members.keys().next().map(|name| {
            format!("{route}: unknown field `{name}`; /_sandbox/{route} takes no options")
        }),
        _ => Some(format!(
            "{route}: /_sandbox/{route} takes no body (send none, null or {{}})"
        )),
    }
}

/// The `Allow` header of a control path (`ROUTES`), or `None` when it is none of them.
fn allowed(path: &str) -> Option<String> {
    let mut methods: Vec<&str> = Vec::new();
    for (method, _) in ROUTES.iter().filter(|(_, p)| *p == path) {
        methods.push(method);
        if *method == "GET" {
            methods.push("HEAD");
        }
    }
    (!methods.is_empty()).then(|| {
        methods.push("OPTIONS");
        methods.join(", ")
    })
}

/// A 405 with the `Allow` header RFC 9110 requires.
fn not_allowed(allow: String) -> Response {
    let mut response = Response::empty(405);
    response.set_header("allow", allow);
    response
}

fn ok(value: Value) -> Result<Response, String> {
    Ok(ok_value(value))
}

fn ok_value(value: Value) -> Response {
    Response::json_value(200, &value)
}
