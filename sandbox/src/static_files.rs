//! Serves `--static-dir` at `/` and `--pkg-dir` at `/pkg/`, uncached, with the right types.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::routes::is_api_path;
use crate::state::AppState;

/// The router's fallback: API paths get a DRF 404, the rest is looked up on disk.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if is_api_path(&path) || path.starts_with("/_sandbox/") {
        return ApiError::not_found().into_response();
    }
    let config = &state.config;
    let target = match (&config.pkg_dir, path.strip_prefix("/pkg/")) {
        (Some(dir), Some(rest)) => resolve(dir, rest),
        _ => match &config.static_dir {
            Some(dir) => resolve(dir, path.trim_start_matches('/')),
            None if path == "/" => return welcome(),
            None => None,
        },
    };
    let Some(mut file) = target else {
        return not_found();
    };
    if file.is_dir() {
        file.push("index.html");
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&file)),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => not_found(),
    }
}

/// Joins a URL path below `dir`, refusing `..` and absolute parts.
fn resolve(dir: &Path, rest: &str) -> Option<PathBuf> {
    let decoded = percent_decode(rest)?;
    let mut out = dir.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

fn welcome() -> Response {
    axum::Json(serde_json::json!({
        "name": "cube-sandbox",
        "openapi": "/openapi.json",
        "info": "/_sandbox/info",
        "whoAmI": "/account/who_am_i",
    }))
    .into_response()
}
