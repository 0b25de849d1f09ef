//! The sandbox's request pipeline over its [`State`]: the three steps every edge drives a request through — [`Sandbox::arrive`]
//! (logged; latency and fault decided), the edge's wait, then [`Sandbox::answer`] (or
//! [`Sandbox::abort`] when the client went away during the wait).

use crate::config::Config;
use crate::dates::utc_timestamp;
use crate::faults::FaultKind;
use crate::http::{Request, Response};
use crate::paths::{is_api_path, is_paginated_path};
use crate::request_log::{Arrival, Outcome};
use crate::state::State;
use crate::{cors, dispatch};

/// Request bodies larger than this are refused by every edge ([`Sandbox::too_large`]).
pub const MAX_REQUEST_BODY: usize = 2 * 1024 * 1024;

/// The sandbox: its [`State`] and the request pipeline over it.
pub struct Sandbox {
    state: State,
}

impl std::ops::Deref for Sandbox {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}

/// What the edge learns when a request arrives: how long to wait before asking for the
/// answer, and what to hand back to [`Sandbox::answer`] or [`Sandbox::abort`].
#[derive(Debug)]
pub struct Ticket {
    /// The request log's `seq` of this request; `None` for what is not logged (static files,
    /// `/_sandbox/`, `/openapi.json`).
    pub seq: Option<u64>,
    /// Latency to apply before [`Sandbox::answer`] (configured, jitter, or a `delay` fault).
    pub delay_ms: u64,
    arrived_ms: u64,
    fault: Option<FaultKind>,
}

impl Sandbox {
    /// `now_ms`: the edge's clock (ms since 1970), for "today" unless the config sets it.
    pub fn new(config: Config, now_ms: u64) -> Self {
        Sandbox {
            state: State::new(config, now_ms),
        }
    }

    /// A request arrived: API requests are logged (preflights too), and get their latency
    /// and fault decided (preflights never do).
    pub fn arrive(&self, req: &Request<'_>, now_ms: u64) -> Ticket {
        let mut ticket = Ticket {
            seq: None,
            delay_ms: 0,
            arrived_ms: now_ms,
            fault: None,
        };
        if !is_api_path(req.path) {
            return ticket;
        }
        ticket.seq = Some(self.log.lock().expect("log lock").arrive(Arrival {
            method: req.method.to_string(),
            path: req.path.to_string(),
            query: req.query.to_string(),
            headers: joined(req.headers),
            at: utc_timestamp(now_ms),
        }));
        if req.method != "OPTIONS" {
            let decision = self
                .faults
                .lock()
                .expect("faults lock")
                .decide(req.path, is_paginated_path(req.path));
            ticket.delay_ms = decision.delay_ms;
            ticket.fault = decision.fault;
        }
        ticket
    }

    /// The answer to a request that arrived with `ticket`, CORS headers included; logged as
    /// answered.
    pub fn answer(&self, req: &Request<'_>, ticket: Ticket, now_ms: u64) -> Response {
        let mut response = dispatch::answer(&self.state, req, ticket.fault, now_ms);
        cors::add_headers(&mut response, req);
        if let Some(seq) = ticket.seq {
            let outcome = Outcome::Answered {
                status: response.status,
                fault: response.fault.map(str::to_string),
            };
            let ms = now_ms.saturating_sub(ticket.arrived_ms);
            self.log.lock().expect("log lock").finish(seq, outcome, ms);
        }
        response
    }

    /// The client went away before the answer was ready: logged as aborted.
    pub fn abort(&self, ticket: Ticket, now_ms: u64) {
        if let Some(seq) = ticket.seq {
            let ms = now_ms.saturating_sub(ticket.arrived_ms);
            self.log
                .lock()
                .expect("log lock")
                .finish(seq, Outcome::Aborted, ms);
        }
    }

    /// The answer to a request whose body is over [`MAX_REQUEST_BODY`]: 413, CORS headers
    /// (so a page can read it), and the connection closed (the rest of the body is not read).
    /// Not logged: the request never reached a route.
    pub fn too_large(&self, req: &Request<'_>) -> Response {
        let body = b"request body too large\n".to_vec();
        let mut response = Response::new(413, "text/plain; charset=utf-8", body);
        response.set_header("connection", "close");
        cors::add_headers(&mut response, req);
        response
    }

    /// Arrival and answer at once, ignoring the latency (for tests of the core itself).
    pub fn handle(&self, req: &Request<'_>, now_ms: u64) -> Response {
        let ticket = self.arrive(req, now_ms);
        self.answer(req, ticket, now_ms)
    }
}

/// Header names are lower case already; repeated headers are joined with `", "`.
fn joined(headers: &[(String, String)]) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::<String, String>::new();
    for (name, value) in headers {
        out.entry(name.clone())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(value);
            })
            .or_insert_with(|| value.clone());
    }
    out
}
