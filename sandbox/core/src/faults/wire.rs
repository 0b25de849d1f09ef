//! The answers of the faults that replace or mangle a response: an error status, a login
//! page, a redirect, and the transport faults the edge plays out ([`Wire`]).

use std::time::{Duration, UNIX_EPOCH};

use crate::faults::rules::{StatusBody, MAX_ENDLESS_SECONDS};
use crate::http::{Body, Response, Wire};

fn reason(status: u16) -> &'static str {
    match status {
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        418 => "I'm a teapot",
        425 => "Too Early",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// An error status (429, 500, 502, 503, ...) with an optional `Retry-After` (seconds, or an
/// HTTP date `retry_after` seconds after `now_ms`).
pub fn status_response(
    status: u16,
    retry_after: Option<u64>,
    retry_after_date: bool,
    body: StatusBody,
    now_ms: u64,
) -> Response {
    let status = if (100..=999).contains(&status) {
        status
    } else {
        500
    };
    let reason = match reason(status) {
        "" if status >= 500 => "Error",
        "" => "Error",
        r => r,
    };
    let (content_type, bytes) = match body {
        StatusBody::Json => {
            let detail = match status {
                429 => format!(
                    "Request was throttled. Expected available in {} seconds.",
                    retry_after.unwrap_or(1)
                ),
                500 => "A server error occurred.".into(),
                503 => "Service temporarily unavailable, try again later.".into(),
                _ => format!("{reason}."),
            };
            let v = serde_json::json!({ "detail": detail });
            ("application/json", v.to_string().into_bytes())
        }
        StatusBody::Html => (
            "text/html",
            format!(
                "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            )
            .into_bytes(),
        ),
        StatusBody::Empty => ("text/plain", Vec::new()),
    };
    let mut response = Response::new(status, content_type, bytes);
    let retry = if retry_after_date {
        let at = UNIX_EPOCH
            + Duration::from_millis(now_ms)
            + Duration::from_secs(retry_after.unwrap_or(2));
        Some(httpdate::fmt_http_date(at))
    } else {
        retry_after.map(|s| s.to_string())
    };
    if let Some(value) = retry {
        response.set_header("retry-after", value);
    }
    response
}

/// What a login redirect through a proxy looks like: 200 with an HTML page.
pub fn html_response() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"no\">\n<head><meta charset=\"utf-8\"><title>Logg inn | Cube</title></head>\n<body>\n<form method=\"post\" action=\"/account/login/\">\n<h1>Cube</h1>\n<label>E-post <input name=\"username\"></label>\n<label>Passord <input name=\"password\" type=\"password\"></label>\n<button>Logg inn</button>\n</form>\n</body>\n</html>\n";
    Response::new(200, "text/html; charset=utf-8", PAGE.as_bytes().to_vec())
}

/// A redirect to `target` (path and query) on `origin`, with a small HTML body as nginx sends.
pub fn redirect_response(status: u16, origin: &str, target: &str) -> Response {
    let status = if (300..=399).contains(&status) {
        status
    } else {
        302
    };
    let location = format!("{}{target}", origin.trim_end_matches('/'));
    let reason = match reason(status) {
        "" => "Redirect",
        r => r,
    };
    let page = format!("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n");
    let mut response = Response::new(status, "text/html", page.into_bytes());
    response.set_header("location", location);
    response
}

/// `{"count": 1, "results": [` and then whitespace, chunk after chunk, until `max_seconds`.
pub fn endless_response(chunk_bytes: usize, chunk_delay_ms: u64, max_seconds: u64) -> Response {
    let mut response = Response::new(200, "application/json", Vec::new());
    response.body = Body::Wire(Wire::Endless {
        prefix: b"{\"count\": 1, \"next\": null, \"previous\": null, \"results\": [",
        chunk: chunk_bytes.max(1),
        delay_ms: chunk_delay_ms,
        max_seconds: max_seconds.min(MAX_ENDLESS_SECONDS),
    });
    response
}

/// How to mangle a real answer's body.
pub enum Mangle {
    /// Send `keep` bytes with the full Content-Length, then drop the connection.
    Reset { keep: Option<usize> },
    /// Send `keep` bytes with a Content-Length of `keep`.
    Truncate { keep: Option<usize> },
    /// Send everything, `chunk` bytes every `delay_ms`.
    Dribble { chunk: usize, delay_ms: u64 },
}

/// The real answer with its body mangled. An answer that is not bytes is left alone.
pub fn mangle(mut response: Response, how: Mangle) -> Response {
    let Body::Bytes(full) = std::mem::replace(&mut response.body, Body::Bytes(Vec::new())) else {
        return response;
    };
    let len = full.len();
    let cut = |keep: Option<usize>| keep.unwrap_or(len / 2).min(len.saturating_sub(1));
    response.body = match how {
        Mangle::Truncate { keep } => {
            let mut full = full;
            full.truncate(cut(keep));
            Body::Bytes(full)
        }
        Mangle::Reset { keep } => Body::Wire(Wire::Reset {
            keep: cut(keep),
            bytes: full,
        }),
        Mangle::Dribble { chunk, delay_ms } => Body::Wire(Wire::Dribble {
            bytes: full,
            chunk: chunk.max(1),
            delay_ms,
        }),
    };
    response
}
