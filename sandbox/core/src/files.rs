//! Which file answers a path that is neither the Cube API nor the control API: `--pkg-dir`
//! under `/pkg/`, `--static-dir` at `/`. The edge finds it with [`locate`] (a directory means
//! its `index.html`; only real paths inside the directory), reads it, and completes the answer
//! with [`serve`] — the 404 when it cannot.

mod locate;

pub use locate::{locate, Disk, Located};

use std::path::{Component, Path};

use crate::config::Config;
use crate::error::ApiError;
use crate::http::{Body, FileRoot, Response};
use crate::paths::is_api_path;

pub fn answer(config: &Config, path: &str) -> Response {
    if is_api_path(path) || path.starts_with("/_sandbox/") {
        return ApiError::not_found().into_response();
    }
    let (root, rest) = match (&config.pkg_dir, path.strip_prefix("/pkg/")) {
        (Some(_), Some(rest)) => (FileRoot::Pkg, rest),
        _ => match &config.static_dir {
            Some(_) => (FileRoot::Static, path.trim_start_matches('/')),
            None if path == "/" => return welcome(),
            None => return not_found(),
        },
    };
    match resolve(rest) {
        Some(path) => {
            let mut response = Response::new(200, content_type(&path), Vec::new());
            response.set_header("cache-control", "no-store");
            response.body = Body::File { root, path };
            response
        }
        None => not_found(),
    }
}

/// The decoded relative path, refusing `..`, absolute parts, backslashes (a separator on
/// Windows) and NUL bytes.
fn resolve(rest: &str) -> Option<String> {
    let decoded = percent_decode(rest)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?.to_string()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
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

/// The `Content-Type` of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
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

/// Completes a [`Body::File`] answer once the edge has tried to read the file: `read` is its
/// bytes and its name as asked ([`Located::name`]), which gives the type; `None` when it was
/// not found by [`locate`] or could not be read, which makes the answer a 404 (its CORS
/// headers kept, not `no-store`).
pub fn serve(response: &mut Response, read: Option<(Vec<u8>, &str)>) {
    match read {
        Some((bytes, path)) => {
            response.set_header("content-type", content_type(path));
            response.body = Body::Bytes(bytes);
        }
        None => {
            response.status = 404;
            response.headers.retain(|(n, _)| *n != "cache-control");
            response.set_header("content-type", "text/plain; charset=utf-8");
            response.body = Body::Bytes(NOT_FOUND.to_vec());
        }
    }
}

const NOT_FOUND: &[u8] = b"not found\n";

fn not_found() -> Response {
    Response::new(404, "text/plain; charset=utf-8", NOT_FOUND.to_vec())
}

fn welcome() -> Response {
    Response::json_value(
        200,
        &serde_json::json!({
            "name": "cube-sandbox",
            "openapi": "/openapi.json",
            "info": "/_sandbox/info",
            "whoAmI": "/account/who_am_i",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolve_decodes_and_refuses_ways_out() {
        assert_eq!(resolve("a/b%20c.js").as_deref(), Some("a/b c.js"));
        assert_eq!(resolve("./a//b").as_deref(), Some("a/b"));
        for way_out in [
            "../a",
            "a/../../b",
            "%2e%2e/a",
            "a%2f..%2f..%2fb",
            "/etc/passwd",
            "%2fetc/passwd",
            "a\\..\\..\\b",
            "a%5c..%5cb",
            "a.js%00.html",
            "%zz",
            "%ff",
        ] {
            assert_eq!(resolve(way_out), None, "{way_out}");
        }
    }
}
