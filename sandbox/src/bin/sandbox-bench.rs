//! `sandbox-bench`: how fast does the sandbox serve 500-record pages?
//!
//! Starts a sandbox in-process on loopback (or uses `--addr` of a running one), lets a few
//! keep-alive clients fetch pages for a bounded time, and prints pages/s, MB/s and
//! latency percentiles per endpoint. Run it in release mode:
//!
//! ```text
//! cargo run --release -p cube-sandbox --bin sandbox-bench -- --seconds 5 --clients 4
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use cube_sandbox::http_client::Connection;
use cube_sandbox::{spawn, Config};

#[derive(Parser, Debug)]
#[command(
    name = "sandbox-bench",
    about = "Measure pages/s, MB/s and latency of the sandbox"
)]
struct Args {
    /// Concurrent keep-alive clients.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Seconds per endpoint (bounded: at most 120).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=120))]
    seconds: u64,
    /// Customers per CRM of the in-process sandbox.
    #[arg(long, default_value_t = 100_000)]
    customers: u32,
    /// Records per page.
    #[arg(long, default_value_t = 500)]
    page_size: usize,
    /// Benchmark a sandbox that is already running here (a loopback address) instead.
    #[arg(long)]
    addr: Option<SocketAddr>,
}

/// Builds the i-th request target of an endpoint.
type Target = Arc<dyn Fn(u64) -> String + Send + Sync>;

#[derive(Default)]
struct Run {
    pages: u64,
    bytes: u64,
    errors: u64,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

fn main() {
    let args = Args::parse();
    if let Some(addr) = args.addr {
        assert!(
            addr.ip().is_loopback(),
            "only loopback addresses are benchmarked"
        );
    }
    let started = Instant::now();
    let running = match args.addr {
        Some(_) => None,
        None => Some(
            spawn(Config {
                port: 0,
                customers: args.customers,
                page_size: args.page_size,
                log_capacity: 1000,
                ..Config::default()
            })
            .expect("sandbox starts"),
        ),
    };
    let addr = args
        .addr
        .unwrap_or_else(|| running.as_ref().map(|r| r.addr()).expect("an address"));
    println!(
        "sandbox at http://{addr} ({} customers per CRM, started in {:.1} ms), {} clients, {} s per endpoint",
        args.customers,
        started.elapsed().as_secs_f64() * 1000.0,
        args.clients,
        args.seconds
    );
    let pages = (args.customers as usize).div_ceil(args.page_size).max(1);
    println!();
    println!(
        "{:<24} {:>8} {:>9} {:>8} {:>10} {:>9} {:>9} {:>7}",
        "endpoint", "pages", "pages/s", "MB/s", "KB/page", "p50 ms", "p99 ms", "errors"
    );
    for (name, target) in endpoints(pages) {
        let run = measure(
            addr,
            args.clients,
            Duration::from_secs(args.seconds),
            target,
        );
        print_row(name, &run);
    }
    drop(running);
}

/// The endpoints measured, each with its requests: pages spread over `pages` and the data
/// owners.
fn endpoints(pages: usize) -> [(&'static str, Target); 3] {
    [
        (
            "customers",
            Arc::new(move |i| {
                let crm = if i % 2 == 0 { "B2C" } else { "B2B" };
                format!(
                    "/api/v1/data_owners/{}/{crm}/customers/?page={}",
                    1 + i % 3,
                    1 + (i as usize * 7919) % pages
                )
            }),
        ),
        (
            "callflow_customers",
            Arc::new(move |i| {
                format!(
                    "/api/v1/data_owners/{}/crm/B2C/callflow_customers/?page={}",
                    1 + i % 3,
                    1 + (i as usize * 7919) % pages
                )
            }),
        ),
        (
            "call_outcomes (60 days)",
            Arc::new(|_| "/api/v1/call_outcomes/?from_date=20000101&to_date=21001231".to_string()),
        ),
    ]
}

fn measure(addr: SocketAddr, clients: usize, duration: Duration, target: Target) -> Run {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let stop = stop.clone();
            let target = target.clone();
            thread::spawn(move || client(addr, c, clients, &stop, &target))
        })
        .collect();
    thread::sleep(duration);
    stop.store(true, Ordering::Relaxed);
    let mut total = Run::default();
    for w in workers {
        let r = w.join().expect("client thread");
        total.pages += r.pages;
        total.bytes += r.bytes;
        total.errors += r.errors;
        total.latencies.extend(r.latencies);
    }
    total.elapsed = started.elapsed();
    total
}

/// Client `c` of `clients`: fetches every `clients`th request of `target` from the `c`th on,
/// over one keep-alive connection (a new one after an error), until `stop`.
fn client(addr: SocketAddr, c: usize, clients: usize, stop: &AtomicBool, target: &Target) -> Run {
    let mut run = Run::default();
    let mut conn = Connection::connect(addr, Duration::from_secs(30)).ok();
    let mut i = c as u64;
    while !stop.load(Ordering::Relaxed) {
        let Some(connection) = conn.as_mut() else {
            run.errors += 1;
            conn = Connection::connect(addr, Duration::from_secs(30)).ok();
            continue;
        };
        let path = target(i);
        i += clients as u64;
        let t = Instant::now();
        match connection.send(
            "GET",
            &path,
            &[
                ("Authorization", "Token demo-token"),
                ("Accept", "application/json"),
            ],
            None,
        ) {
            Ok(r) if r.status == 200 => {
                run.latencies.push(t.elapsed());
                run.pages += 1;
                run.bytes += r.body.len() as u64;
            }
            _ => {
                run.errors += 1;
                conn = None;
            }
        }
    }
    run
}

fn print_row(name: &str, run: &Run) {
    let mut l = run.latencies.clone();
    l.sort_unstable();
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let secs = run.elapsed.as_secs_f64();
    println!(
        "{:<24} {:>8} {:>9.1} {:>8.1} {:>10.1} {:>9.2} {:>9.2} {:>7}",
        name,
        run.pages,
        run.pages as f64 / secs,
        run.bytes as f64 / secs / 1e6,
        run.bytes as f64 / run.pages.max(1) as f64 / 1024.0,
        pct(0.5),
        pct(0.99),
        run.errors
    );
}
