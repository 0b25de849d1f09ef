//! CORS for browsers: every response allows any origin; preflights answer 204 without auth.

use crate::http::{Request, Response};

const API_METHODS: &str = "GET, POST, OPTIONS";
const CONTROL_METHODS: &str = "GET, POST, DELETE, OPTIONS";
/// Listed explicitly: a `*` wildcard does not cover `Authorization`.
const ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept";
const EXPOSED_HEADERS: &str = "Retry-After, Content-Length, Content-Type";

/// The answer to an `OPTIONS` preflight (its CORS headers are added by [`add_headers`]).
pub fn preflight() -> Response {
    let mut response = Response::empty(204);
    response.set_header("access-control-max-age", "600");
    response
}

pub fn add_headers(response: &mut Response, req: &Request<'_>) {
    let methods = if req.path.starts_with("/_sandbox/") {
        CONTROL_METHODS
    } else {
        API_METHODS
    };
    response.set_header("access-control-allow-origin", "*");
    response.set_header("access-control-allow-methods", methods);
    response.set_header("access-control-allow-headers", ALLOWED_HEADERS);
    response.set_header("access-control-expose-headers", EXPOSED_HEADERS);
}
