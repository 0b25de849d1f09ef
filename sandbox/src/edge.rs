//! The native edge: an axum request through the core (arrival, the latency as a tokio sleep,
//! the answer), and the core's response back onto the wire — files read from disk (by
//! [`crate::disk`]), transport faults played out by [`crate::wire`].

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use cube_sandbox_core::{files, Config, FileRoot, Sandbox, Ticket, MAX_REQUEST_BODY};

/// Cheap to clone; the one handler gets it through axum's `State`.
#[derive(Clone)]
pub struct AppState(pub Arc<Sandbox>);

impl std::ops::Deref for AppState {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        &self.0
    }
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A request between arrival and answer. Dropped unanswered means the server dropped the
/// request's future, which it does when the client closes the connection: logged as aborted.
struct Pending<'a> {
    sandbox: &'a Sandbox,
    ticket: Option<Ticket>,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.sandbox.abort(ticket, now_ms());
        }
    }
}

pub async fn handle(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (n.as_str().to_string(), value)
        })
        .collect();
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let origin = format!("http://{host}");
    let mut req = cube_sandbox_core::Request {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers: &headers,
        body: &[],
        origin: &origin,
    };
    // A declared length over the limit is refused before any byte of the body is read (so the
    // 413 is not lost to a reset); a chunked body once it passes the limit.
    let declared = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let body = match declared {
        Some(n) if n > MAX_REQUEST_BODY as u64 => None,
        _ => to_bytes(body, MAX_REQUEST_BODY).await.ok(),
    };
    let Some(body) = body else {
        return respond(state.too_large(&req), &state.config).await;
    };
    req.body = &body;
    let ticket = state.arrive(&req, now_ms());
    let delay = ticket.delay_ms;
    let mut pending = Pending {
        sandbox: &state,
        ticket: Some(ticket),
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let ticket = pending.ticket.take().expect("answered once");
    let answer = state.answer(&req, ticket, now_ms());
    respond(answer, &state.config).await
}

async fn respond(mut answer: cube_sandbox_core::Response, config: &Config) -> Response {
    if let cube_sandbox_core::Body::File { root, path } = &answer.body {
        let dir = match root {
            FileRoot::Static => config.static_dir.clone(),
            FileRoot::Pkg => config.pkg_dir.clone(),
        };
        let path = path.clone();
        let read = tokio::task::spawn_blocking(move || crate::disk::read(dir.as_ref()?, &path));
        let (bytes, name) = match read.await.ok().flatten() {
            Some((bytes, name)) => (Some(bytes), name),
            None => (None, String::new()),
        };
        files::serve(&mut answer, bytes.map(|b| (b, name.as_str())));
    }
    let (body, length) = match answer.body {
        cube_sandbox_core::Body::Bytes(bytes) => (Body::from(bytes), None),
        cube_sandbox_core::Body::Wire(wire) => crate::wire::body(wire),
        cube_sandbox_core::Body::File { .. } => unreachable!("files::serve made it bytes"),
    };
    let (status, headers) = (answer.status, answer.headers);
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let out = response.headers_mut();
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            out.insert(HeaderName::from_static(name), value);
        }
    }
    if let Some(len) = length {
        out.insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    response
}
