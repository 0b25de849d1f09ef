//! CORS for browsers: every response allows any origin; preflights answer 204 without auth.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const API_METHODS: &str = "GET, POST, OPTIONS";
const CONTROL_METHODS: &str = "GET, POST, DELETE, OPTIONS";
/// Listed explicitly: a `*` wildcard does not cover `Authorization`.
const ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept";
const EXPOSED_HEADERS: &str = "Retry-After, Content-Length, Content-Type";

pub async fn middleware(request: Request, next: Next) -> Response {
    let control = request.uri().path().starts_with("/_sandbox/");
    if request.method() == Method::OPTIONS {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NO_CONTENT;
        add_headers(response.headers_mut(), control);
        response.headers_mut().insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return response;
    }
    let mut response = next.run(request).await;
    add_headers(response.headers_mut(), control);
    response
}

fn add_headers(headers: &mut HeaderMap, control: bool) {
    let methods = if control {
        CONTROL_METHODS
    } else {
        API_METHODS
    };
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(methods),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOWED_HEADERS),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
}
