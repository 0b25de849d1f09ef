//! The request log behind `GET /_sandbox/requests`: what reached the server, headers included.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Instant, SystemTime};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::data::dates::utc_timestamp;
use crate::faults::InjectedFault;
use crate::routes::is_api_path;
use crate::state::AppState;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    /// The raw query string, `""` when there is none.
    pub query: String,
    /// Lower-cased header names; repeated headers are joined with `", "`.
    pub headers: BTreeMap<String, String>,
    pub status: u16,
    pub at: String,
    /// The fault kind injected into this request's answer, if any.
    pub fault: Option<String>,
    pub duration_ms: u64,
}

/// A bounded log, newest last.
#[derive(Debug)]
pub struct RequestLog {
    entries: VecDeque<LogEntry>,
    capacity: usize,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn push(&mut self, entry: LogEntry) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Records API requests (not static files, not `/_sandbox/`).
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_api_path(&path) {
        return next.run(request).await;
    }
    let started = Instant::now();
    let at = utc_timestamp(SystemTime::now());
    let method = request.method().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let response = next.run(request).await;
    let fault = response
        .extensions()
        .get::<InjectedFault>()
        .map(|f| f.0.to_string());
    let entry = LogEntry {
        method,
        path,
        query,
        headers,
        status: response.status().as_u16(),
        at,
        fault,
        duration_ms: started.elapsed().as_millis() as u64,
    };
    state.log.lock().expect("log lock").push(entry);
    response
}
