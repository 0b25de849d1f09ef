//! Multi-page reads: the [`Planner`] decides, this drives. After the first page, up to
//! `concurrency` pages are fetched at once (each a spawned task with its own retries) and
//! handed out strictly in page order, exactly once. At most `2 × concurrency` pages are
//! requested ahead of the reader, so a stream of any length runs in bounded memory.
//!
//! What a page becomes is the [`PageKind`]'s choice: JS objects for list reads ([`JsPages`]),
//! or the checked body bytes for the streaming sync, which reads them in Rust.

use super::abort::CallSignal;
use super::body::Body;
use super::decode::decode;
use super::request::{fetch_checked, Session};
use crate::endpoints::{query::with_page, RequestSpec, Shape};
use crate::errors::{CubeError, ErrorCode};
use crate::pagination::{PageFacts, Planner, Verdict};
use futures_channel::oneshot;
use js_sys::Array;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// What a page body is turned into, checked (a body refused with a transient error, such as
/// a truncated one, is fetched again).
pub trait PageKind: 'static {
    type Records: 'static;
    /// Check and convert a body; the facts say what the planner needs to know.
    fn parse(body: Body, page: u32, url: &str) -> Result<(Self::Records, PageFacts), CubeError>;
    /// Keep only the first `take` records (the last page of a read with a limit).
    fn truncate(records: Self::Records, take: usize) -> Self::Records;
    /// The error a read that started at page `first` ends with when `page` fails: by
    /// default it says how to resume.
    fn failed(e: CubeError, page: u32, first: u32) -> CubeError {
        e.with_resume_page(page, first)
    }
}

/// Pages as JS arrays of records (the engine's `JSON.parse` builds them).
pub struct JsPages;

impl PageKind for JsPages {
    type Records = Array;

    /// Decodes a page body into its records and facts.
    fn parse(body: Body, page: u32, url: &str) -> Result<(Array, PageFacts), CubeError> {
        let body = decode(&body, Shape::Pages, url)?;
        let records: Array = body.records.unchecked_into();
        let facts = PageFacts {
            page,
            count: body.count,
            next: body.next,
            len: records.length() as usize,
            bare: body.bare,
        };
        Ok((records, facts))
    }

    fn truncate(records: Array, take: usize) -> Array {
        records.slice(0, take as u32)
    }
}

/// One page as handed to the reader.
pub struct Page<R> {
    pub page: u32,
    pub records: R,
    /// The server's `count` from the first page.
    pub total: Option<u64>,
    /// Records delivered so far, this page included.
    pub loaded: u64,
}

type Pending<K> = oneshot::Receiver<Result<(<K as PageKind>::Records, PageFacts), CubeError>>;

struct State<K: PageKind> {
    session: Rc<Session>,
    path_and_query: String,
    /// The page the read started at.
    first: u32,
    planner: Planner,
    /// Pages requested and not yet delivered, in page order (in flight or arrived).
    queue: VecDeque<(u32, Pending<K>)>,
    /// How many of them are still in flight.
    in_flight: usize,
    stopped: bool,
    call: Rc<CallSignal>,
}

pub struct PageStream<K: PageKind = JsPages> {
    state: Rc<RefCell<State<K>>>,
}

impl<K: PageKind> Clone for PageStream<K> {
    fn clone(&self) -> Self {
        PageStream {
            state: self.state.clone(),
        }
    }
}

impl<K: PageKind> PageStream<K> {
    pub fn new(
        session: Rc<Session>,
        spec: &RequestSpec,
        limit: Option<u64>,
        call: CallSignal,
    ) -> PageStream<K> {
        debug_assert_eq!(spec.shape, Shape::Pages);
        let state = State {
            session,
            path_and_query: spec.path_and_query.clone(),
            first: spec.start_page,
            planner: Planner::new(spec.start_page, limit),
            queue: VecDeque::new(),
            in_flight: 0,
            stopped: false,
            call: Rc::new(call),
        };
        PageStream {
            state: Rc::new(RefCell::new(state)),
        }
    }

    /// Stop: abort requests in flight and drop waiting pages.
    pub fn cancel(&self) {
        let mut s = self.state.borrow_mut();
        s.stopped = true;
        s.call.cancel();
        s.queue.clear();
    }

    /// The next page in order, or `None` when the read is complete.
    pub async fn next(&self) -> Result<Option<Page<K::Records>>, CubeError> {
        if self.state.borrow().planner.is_done() {
            return Ok(None);
        }
        self.fill();
        let Some((page, pending)) = self.state.borrow_mut().queue.pop_front() else {
            return Ok(None);
        };
        let result = pending
            .await
            .unwrap_or_else(|_| Err(CubeError::new(ErrorCode::Aborted, "the read was cancelled")));
        let outcome = self.deliver(page, result);
        if outcome.is_err() || self.state.borrow().planner.is_done() {
            self.cancel();
        } else {
            self.fill();
        }
        outcome.map(Some)
    }

    fn deliver(
        &self,
        page: u32,
        result: Result<(K::Records, PageFacts), CubeError>,
    ) -> Result<Page<K::Records>, CubeError> {
        let mut s = self.state.borrow_mut();
        let url = s
            .session
            .config
            .base
            .join(&with_page(&s.path_and_query, page));
        let first = s.first;
        let (records, facts) = result.map_err(|e| K::failed(e, page, first))?;
        let verdict = s
            .planner
            .accept(&facts, &url)
            .map_err(|e| K::failed(s.session.redact(e), page, first))?;
        let records = match verdict {
            Verdict::Last { take } if take < facts.len => K::truncate(records, take),
            _ => records,
        };
        Ok(Page {
            page,
            records,
            total: s.planner.total(),
            loaded: s.planner.delivered(),
        })
    }

    /// Start fetches for planned pages while fewer than `concurrency` are in flight.
    fn fill(&self) {
        let mut s = self.state.borrow_mut();
        let window = s.session.config.limits.concurrency as usize;
        // Up to `concurrency` requests in flight, as in a worker pool, so one slow page does
        // not idle the others; at most twice that many pages waiting, so memory stays bounded.
        while !s.stopped && s.in_flight < window && s.queue.len() < 2 * window {
            let Some(page) = s.planner.next_to_fetch() else {
                break;
            };
            let (tx, rx) = oneshot::channel();
            let url = s
                .session
                .config
                .base
                .join(&with_page(&s.path_and_query, page));
            let (session, call, stream) = (s.session.clone(), s.call.clone(), self.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch_checked(&session, "GET", &url, None, &call, &|bytes| {
                    K::parse(bytes, page, &url)
                })
                .await;
                stream.state.borrow_mut().in_flight -= 1;
                let _ = tx.send(result);
                stream.fill();
            });
            s.in_flight += 1;
            s.queue.push_back((page, rx));
        }
    }
}
