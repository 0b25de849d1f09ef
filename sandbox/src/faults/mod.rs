//! Injected faults and latency.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Marks a response into which a fault was injected (read by the request log).
#[derive(Clone, Debug)]
pub struct InjectedFault(pub &'static str);

#[derive(Clone, Debug, Default)]
pub struct FaultConfig {}

pub async fn middleware(State(_state): State<AppState>, request: Request, next: Next) -> Response {
    next.run(request).await
}
