//! The sandbox's own control API under `/_sandbox/` (no auth, CORS like the rest), and
//! `/openapi.json`.

mod edits;
mod faults;
mod info;
mod requests;

use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::state::State;

/// The OpenAPI 3 description of the emulated Cube API (`sandbox/openapi.json`).
pub const OPENAPI: &str = include_str!("../../../openapi.json");

/// The control API's answer, or `None` when the path is not one of its own.
pub fn answer(sb: &State, req: &Request<'_>) -> Option<Response> {
    let result = match (req.path, req.method) {
        ("/_sandbox/requests", "GET" | "HEAD") => ok(requests::list(sb)),
        ("/_sandbox/requests", "DELETE") => {
            requests::clear(sb);
            Ok(Response::empty(204))
        }
        ("/_sandbox/info", "GET" | "HEAD") => ok(info::info(sb)),
        ("/_sandbox/edits", "POST") => edits::edit(sb, req.body).map(ok_value),
        ("/_sandbox/reset", "POST") => {
            sb.reset();
            ok(json!({"reset": true}))
        }
        ("/_sandbox/faults", "GET" | "HEAD") => ok(faults::show(sb)),
        ("/_sandbox/faults", "POST") => faults::set(sb, req.body).map(ok_value),
        ("/_sandbox/faults", "DELETE") => ok(faults::clear(sb)),
        ("/openapi.json", "GET" | "HEAD") => Ok(Response::json(200, OPENAPI.as_bytes().to_vec())),
        ("/_sandbox/requests", _) => Ok(not_allowed("GET, HEAD, DELETE, OPTIONS")),
        ("/_sandbox/info" | "/openapi.json", _) => Ok(not_allowed("GET, HEAD, OPTIONS")),
        ("/_sandbox/edits" | "/_sandbox/reset", _) => Ok(not_allowed("POST, OPTIONS")),
        ("/_sandbox/faults", _) => Ok(not_allowed("GET, HEAD, POST, DELETE, OPTIONS")),
        _ => return None,
    };
    Some(result.unwrap_or_else(|message| Response::json_value(400, &json!({ "detail": message }))))
}

/// A 405 with the `Allow` header RFC 9110 requires.
fn not_allowed(allow: &'static str) -> Response {
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
