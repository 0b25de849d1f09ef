//! The fault layer: latency first, then the chosen fault for this API request.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::bodies::{self, Mangle};
use crate::faults::rules::FaultKind;
use crate::faults::{ActiveFault, InjectedFault};
use crate::routes::{is_api_path, is_paginated_path};
use crate::state::AppState;

pub async fn middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !is_api_path(path) || request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let decision = state
        .faults
        .lock()
        .expect("faults lock")
        .decide(path, is_paginated_path(path));
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    let Some(kind) = decision.fault else {
        return next.run(request).await;
    };
    let name = kind.name();
    let mut response = match kind {
        FaultKind::Status {
            status,
            retry_after,
            retry_after_date,
            body,
        } => bodies::status_response(status, retry_after, retry_after_date, body),
        FaultKind::Html {} => bodies::html_response(),
        FaultKind::Redirect { status, location } => {
            let target = request.uri().path_and_query().map_or(path, |p| p.as_str());
            bodies::redirect_response(status, &location, target)
        }
        FaultKind::EndlessBody {
            chunk_bytes,
            chunk_delay_ms,
            max_seconds,
        } => bodies::endless_response(chunk_bytes, chunk_delay_ms, max_seconds),
        FaultKind::Reset { keep_bytes } => {
            let r = next.run(request).await;
            bodies::mangle(r, Mangle::Reset { keep: keep_bytes }).await
        }
        FaultKind::Truncate { keep_bytes } => {
            let r = next.run(request).await;
            bodies::mangle(r, Mangle::Truncate { keep: keep_bytes }).await
        }
        FaultKind::Dribble {
            chunk_bytes,
            chunk_delay_ms,
        } => {
            let r = next.run(request).await;
            let how = Mangle::Dribble {
                chunk: chunk_bytes,
                delay: Duration::from_millis(chunk_delay_ms),
            };
            bodies::mangle(r, how).await
        }
        FaultKind::Delay { .. } => next.run(request).await,
        envelope => {
            // Applied by the paginated handler, which marks its response itself.
            request.extensions_mut().insert(ActiveFault(envelope));
            return next.run(request).await;
        }
    };
    response.extensions_mut().insert(InjectedFault(name));
    response
}
