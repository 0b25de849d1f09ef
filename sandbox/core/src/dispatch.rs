//! From a request (and the fault decided at its arrival) to its answer: the fault first,
//! then the control API, the Cube routes, and the static files.

use crate::faults::wire::{self, Mangle};
use crate::faults::FaultKind;
use crate::http::{Request, Response};
use crate::state::State;
use crate::{control, cors, files, routes};

pub fn answer(sb: &State, req: &Request<'_>, fault: Option<FaultKind>, now_ms: u64) -> Response {
    if req.method == "OPTIONS" {
        return cors::preflight();
    }
    let Some(kind) = fault else {
        return route(sb, req, None);
    };
    let name = kind.name();
    let mut response = match kind {
        FaultKind::Status {
            status,
            retry_after,
            retry_after_date,
            body,
        } => wire::status_response(status, retry_after, retry_after_date, body, now_ms),
        FaultKind::Html {} => wire::html_response(),
        FaultKind::Redirect { status, location } => {
            let target = match req.query {
                "" => req.path.to_string(),
                q => format!("{}?{q}", req.path),
            };
            wire::redirect_response(status, &location, &target)
        }
        FaultKind::EndlessBody {
            chunk_bytes,
            chunk_delay_ms,
            max_seconds,
        } => wire::endless_response(chunk_bytes, chunk_delay_ms, max_seconds),
        FaultKind::Reset { keep_bytes } => {
            wire::mangle(route(sb, req, None), Mangle::Reset { keep: keep_bytes })
        }
        FaultKind::Truncate { keep_bytes } => {
            wire::mangle(route(sb, req, None), Mangle::Truncate { keep: keep_bytes })
        }
        FaultKind::Dribble {
            chunk_bytes,
            chunk_delay_ms,
        } => wire::mangle(
            route(sb, req, None),
            Mangle::Dribble {
                chunk: chunk_bytes,
                delay_ms: chunk_delay_ms,
            },
        ),
        FaultKind::Delay { .. } => route(sb, req, None),
        // Applied by the paginated handler, which marks its response itself.
        envelope => return route(sb, req, Some(envelope)),
    };
    response.fault = Some(name);
    response
}

fn route(sb: &State, req: &Request<'_>, envelope: Option<FaultKind>) -> Response {
    if let Some(response) = control::answer(sb, req) {
        return response;
    }
    match routes::answer(sb, req, envelope) {
        Some(response) => response,
        None => files::answer(&sb.config, req.path),
    }
}
