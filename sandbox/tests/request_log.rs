//! The request log sees requests on arrival, the ones a client gave up on, and how many
//! were in flight at once.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use common::{Sandbox, DEMO_TOKEN};
use serde_json::{json, Value};

/// Long enough that an entry still in flight after it is surely not "answered by the delay".
const HOLD_MS: u64 = 30_000;

fn log(sb: &Sandbox) -> Vec<Value> {
    let log = sb.control("GET", "/_sandbox/requests", None).json();
    log.as_array().unwrap().clone()
}

/// Polls the log until `done` holds (or panics after `limit`, showing the log).
fn wait_for(
    sb: &Sandbox,
    what: &str,
    limit: Duration,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let entries = log(sb);
        if done(&entries) {
            return entries;
        }
        assert!(started.elapsed() < limit, "{what}: {entries:?}");
        thread::sleep(Duration::from_millis(20));
    }
}

fn hold_campaigns(sb: &Sandbox) {
    let faults =
        json!({"rules": [{"kind": "delay", "latencyMs": HOLD_MS, "route": "/api/v1/campaigns"}]});
    assert_eq!(
        sb.control("POST", "/_sandbox/faults", Some(&faults)).status,
        200
    );
}

/// Sends a GET on a raw connection and returns the open stream (no answer read).
fn send_get(sb: &Sandbox, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(sb.running.addr()).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {DEMO_TOKEN}\r\n\r\n",
        sb.running.addr()
    )
    .unwrap();
    stream
}

#[test]
fn a_request_is_logged_on_arrival_and_aborted_when_its_client_goes_away() {
    let sb = Sandbox::start();
    hold_campaigns(&sb);
    let stream = send_get(&sb, "/api/v1/campaigns");
    // The generous limits only bound a failure: each wait ends as soon as the log says so.
    let entries = wait_for(&sb, "logged on arrival", Duration::from_secs(20), |e| {
        !e.is_empty()
    });
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["state"], "arrived");
    assert_eq!(entries[0]["status"], Value::Null);
    assert_eq!(entries[0]["durationMs"], Value::Null);
    assert_eq!(entries[0]["inFlight"], 1);
    drop(stream);
    let entries = wait_for(&sb, "marked aborted", Duration::from_secs(20), |e| {
        e[0]["state"] != "arrived"
    });
    assert_eq!(entries[0]["state"], "aborted", "{entries:?}");
    assert_eq!(entries[0]["endSeq"], 2, "the only event after its arrival");
    assert_eq!(entries[0]["status"], Value::Null);
    assert!(entries[0]["durationMs"].as_u64().unwrap() < HOLD_MS);
}

#[test]
fn in_flight_counts_the_requests_held_at_once() {
    let sb = Sandbox::start();
    hold_campaigns(&sb);
    let streams: Vec<TcpStream> = (0..3).map(|_| send_get(&sb, "/api/v1/campaigns")).collect();
    wait_for(&sb, "three held", Duration::from_secs(20), |e| e.len() == 3);
    // Another route is answered while those are held; it saw them in flight.
    assert_eq!(sb.get("/account/who_am_i").status, 200);
    let entries = log(&sb);
    let mut held: Vec<u64> = entries[..3]
        .iter()
        .map(|e| e["inFlight"].as_u64().unwrap())
        .collect();
    held.sort();
    assert_eq!(held, [1, 2, 3]);
    assert_eq!(entries[3]["path"], "/account/who_am_i");
    assert_eq!(entries[3]["state"], "answered");
    assert_eq!(entries[3]["inFlight"], 4);
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "arrival order: {seqs:?}"
    );
    // who_am_i ended while the held ones had not.
    assert!(entries[3]["endSeq"].as_u64().unwrap() > entries[3]["seq"].as_u64().unwrap());
    assert!(entries[..3].iter().all(|e| e["endSeq"].is_null()));
    drop(streams);
    wait_for(&sb, "all aborted", Duration::from_secs(20), |e| {
        e[..3].iter().all(|e| e["state"] == "aborted")
    });
    // Nothing is in flight any more.
    assert_eq!(sb.get("/account/who_am_i").status, 200);
    assert_eq!(log(&sb).last().unwrap()["inFlight"], 1);
}
