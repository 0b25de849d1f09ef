//! Responses and bodies for the faults that replace or mangle the answer on the wire.

use std::time::{Duration, Instant, SystemTime};

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream;

use crate::faults::rules::{StatusBody, MAX_ENDLESS_SECONDS};

/// An error status (429, 500, 502, 503, ...) with an optional `Retry-After`.
pub fn status_response(
    status: u16,
    retry_after: Option<u64>,
    retry_after_date: bool,
    body: StatusBody,
) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = code.canonical_reason().unwrap_or("Error");
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
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = code;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let retry = if retry_after_date {
        let at = SystemTime::now() + Duration::from_secs(retry_after.unwrap_or(2));
        Some(httpdate::fmt_http_date(at))
    } else {
        retry_after.map(|s| s.to_string())
    };
    if let Some(value) = retry.and_then(|r| HeaderValue::from_str(&r).ok()) {
        headers.insert(header::RETRY_AFTER, value);
    }
    response
}

/// What a login redirect through a proxy looks like: 200 with an HTML page.
pub fn html_response() -> Response {
    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"no\">\n<head><meta charset=\"utf-8\"><title>Logg inn | Cube</title></head>\n<body>\n<form method=\"post\" action=\"/account/login/\">\n<h1>Cube</h1>\n<label>E-post <input name=\"username\"></label>\n<label>Passord <input name=\"password\" type=\"password\"></label>\n<button>Logg inn</button>\n</form>\n</body>\n</html>\n";
    let mut response = Response::new(Body::from(PAGE));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// A redirect to `target` (path and query) on `origin`, with a small HTML body as nginx sends.
pub fn redirect_response(status: u16, origin: &str, target: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::FOUND);
    let location = format!("{}{target}", origin.trim_end_matches('/'));
    let reason = code.canonical_reason().unwrap_or("Redirect");
    let page = format!("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n");
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = code;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, value);
    }
    response
}

/// `{"count": 1, "results": [` and then whitespace, chunk after chunk, until `max_seconds`.
pub fn endless_response(chunk_bytes: usize, chunk_delay_ms: u64, max_seconds: u64) -> Response {
    let deadline = Instant::now() + Duration::from_secs(max_seconds.min(MAX_ENDLESS_SECONDS));
    let spaces = Bytes::from(vec![b' '; chunk_bytes.max(1)]);
    let prefix =
        Bytes::from_static(b"{\"count\": 1, \"next\": null, \"previous\": null, \"results\": [");
    let body = stream::unfold(Some(prefix), move |first| {
        let spaces = spaces.clone();
        async move {
            if let Some(p) = first {
                return Some((Ok::<Bytes, std::io::Error>(p), None));
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(chunk_delay_ms)).await;
            Some((Ok(spaces), None))
        }
    });
    let mut response = Response::new(Body::from_stream(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// How to mangle a real answer's body.
pub enum Mangle {
    /// Send `keep` bytes with the full Content-Length, then drop the connection.
    Reset { keep: Option<usize> },
    /// Send `keep` bytes with a Content-Length of `keep`.
    Truncate { keep: Option<usize> },
    /// Send everything, `chunk` bytes every `delay`.
    Dribble { chunk: usize, delay: Duration },
}

pub async fn mangle(response: Response, how: Mangle) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(full) = to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let len = full.len();
    parts.headers.remove(header::TRANSFER_ENCODING);
    let set_length = |headers: &mut axum::http::HeaderMap, n: usize| {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    };
    let body = match how {
        Mangle::Truncate { keep } => {
            let keep = keep.unwrap_or(len / 2).min(len.saturating_sub(1));
            set_length(&mut parts.headers, keep);
            Body::from(full.slice(..keep))
        }
        Mangle::Reset { keep } => {
            let keep = keep.unwrap_or(len / 2).min(len.saturating_sub(1));
            set_length(&mut parts.headers, len);
            let part = full.slice(..keep);
            let steps = stream::unfold(0u8, move |step| {
                let part = part.clone();
                async move {
                    match step {
                        0 => Some((Ok(part), 1)),
                        1 => {
                            // let the first part reach the client before the drop
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Some((Err(std::io::Error::other("fault: connection reset")), 2))
                        }
                        _ => None,
                    }
                }
            });
            Body::from_stream(steps)
        }
        Mangle::Dribble { chunk, delay } => {
            set_length(&mut parts.headers, len);
            let chunk = chunk.max(1);
            let steps = stream::unfold(0usize, move |offset| {
                let full = full.clone();
                async move {
                    if offset >= full.len() {
                        return None;
                    }
                    if offset > 0 {
                        tokio::time::sleep(delay).await;
                    }
                    let end = (offset + chunk).min(full.len());
                    Some((Ok::<Bytes, std::io::Error>(full.slice(offset..end)), end))
                }
            });
            Body::from_stream(steps)
        }
    };
    Response::from_parts(parts, body)
}
