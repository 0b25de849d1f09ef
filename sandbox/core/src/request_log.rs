//! The request log behind `GET /_sandbox/requests`: what reached the server, headers included.
//!
//! A request is logged when it arrives (`state: "arrived"`) and its entry is completed in
//! place when its answer is ready (`"answered"`, with status, fault and duration) or when the
//! client goes away first (`"aborted"`: the connection closed while the answer was still being
//! prepared, e.g. during injected latency). So a test can see requests in flight and requests
//! a client gave up on, not only the ones that were answered.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestState {
    /// Received; no answer yet.
    Arrived,
    /// The answer's status and headers were handed to the connection.
    Answered,
    /// The client closed the connection before the answer was ready.
    Aborted,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// When it arrived, as a number from the log's one event counter (arrivals and ends,
    /// from 1, never reused, also not after a clear or reset).
    pub seq: u64,
    /// When it was answered or aborted, from the same counter; `null` while in flight. So
    /// `a.endSeq < b.seq` says that `a` was answered before `b` arrived.
    pub end_seq: Option<u64>,
    pub state: RequestState,
    /// API requests in flight (arrived, not yet answered or aborted) when this one arrived,
    /// itself included: the concurrency a client drove the server with.
    pub in_flight: u64,
    pub method: String,
    pub path: String,
    /// The raw query string, `""` when there is none.
    pub query: String,
    /// Lower-cased header names; repeated headers are joined with `", "`.
    pub headers: BTreeMap<String, String>,
    /// `null` until answered (and for an aborted request).
    pub status: Option<u16>,
    /// Arrival time.
    pub at: String,
    /// The fault kind injected into this request's answer, if any.
    pub fault: Option<String>,
    /// From arrival to the answer (or to the abort); `null` while in flight.
    pub duration_ms: Option<u64>,
}

/// What became of a request.
pub enum Outcome {
    Answered { status: u16, fault: Option<String> },
    Aborted,
}

/// A bounded log in arrival order, newest last.
#[derive(Debug)]
pub struct RequestLog {
    entries: VecDeque<LogEntry>,
    capacity: usize,
    next_event: u64,
    in_flight: u64,
}

/// What is known about a request when it arrives.
pub struct Arrival {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: BTreeMap<String, String>,
    pub at: String,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            next_event: 1,
            in_flight: 0,
        }
    }

    /// Logs an arriving request; returns its `seq`, for [`RequestLog::finish`].
    pub fn arrive(&mut self, arrival: Arrival) -> u64 {
        let seq = self.event();
        self.in_flight += 1;
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(LogEntry {
            seq,
            end_seq: None,
            state: RequestState::Arrived,
            in_flight: self.in_flight,
            method: arrival.method,
            path: arrival.path,
            query: arrival.query,
            headers: arrival.headers,
            status: None,
            at: arrival.at,
            fault: None,
            duration_ms: None,
        });
        seq
    }

    /// Completes the entry of request `seq` (if it is still in the log).
    pub fn finish(&mut self, seq: u64, outcome: Outcome, duration_ms: u64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let end = self.event();
        // Entries are in seq order; requests in flight are near the end.
        let Some(entry) = self.entries.iter_mut().rev().find(|e| e.seq == seq) else {
            return;
        };
        entry.end_seq = Some(end);
        entry.duration_ms = Some(duration_ms);
        match outcome {
            Outcome::Answered { status, fault } => {
                entry.state = RequestState::Answered;
                entry.status = Some(status);
                entry.fault = fault;
            }
            Outcome::Aborted => entry.state = RequestState::Aborted,
        }
    }

    fn event(&mut self) -> u64 {
        let n = self.next_event;
        self.next_event += 1;
        n
    }

    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries.iter().cloned().collect()
    }

    /// Forgets the entries (requests still in flight keep counting towards `inFlight`).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival(path: &str) -> Arrival {
        Arrival {
            method: "GET".into(),
            path: path.into(),
            query: String::new(),
            headers: BTreeMap::new(),
            at: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn entries_go_from_arrived_to_answered_or_aborted() {
        let mut log = RequestLog::new(10);
        let a = log.arrive(arrival("/a"));
        let b = log.arrive(arrival("/b"));
        let states = |log: &RequestLog| {
            log.entries()
                .iter()
                .map(|e| (e.seq, e.state, e.in_flight, e.status))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            states(&log),
            [
                (1, RequestState::Arrived, 1, None),
                (2, RequestState::Arrived, 2, None)
            ]
        );
        log.finish(
            b,
            Outcome::Answered {
                status: 200,
                fault: None,
            },
            5,
        );
        log.finish(a, Outcome::Aborted, 7);
        let c = log.arrive(arrival("/c"));
        assert_eq!(c, 5, "after two arrivals and two ends");
        assert_eq!(
            states(&log),
            [
                (1, RequestState::Aborted, 1, None),
                (2, RequestState::Answered, 2, Some(200)),
                (5, RequestState::Arrived, 1, None)
            ]
        );
        let ends: Vec<_> = log.entries().iter().map(|e| e.end_seq).collect();
        assert_eq!(ends, [Some(4), Some(3), None]);
        assert_eq!(log.entries()[0].duration_ms, Some(7));
    }

    #[test]
    fn a_cleared_entry_still_leaves_the_in_flight_count() {
        let mut log = RequestLog::new(2);
        let a = log.arrive(arrival("/a"));
        log.clear();
        log.finish(a, Outcome::Aborted, 1);
        log.arrive(arrival("/b"));
        log.arrive(arrival("/c"));
        log.arrive(arrival("/d"));
        let kept: Vec<_> = log.entries().iter().map(|e| e.path.clone()).collect();
        assert_eq!(kept, ["/c", "/d"], "bounded, oldest dropped");
        assert_eq!(log.entries()[1].in_flight, 3);
    }
}
