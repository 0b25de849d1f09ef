//! Command-line flags of the `cube-sandbox` binary.

use std::path::PathBuf;

use clap::Parser;

use crate::config::{Config, Credentials};
use crate::data::dates::Date;
use crate::faults::FaultConfig;

/// A local server that behaves like the documented Cube REST API (current /api/v1 and
/// legacy endpoints), with a deterministic generated tenant, Basic and Token auth, DRF
/// pagination, CORS, a request log, simulated edits, and injectable faults and latency.
///
/// The first line on stdout is exactly `listening on http://HOST:PORT`.
#[derive(Parser, Debug)]
#[command(name = "cube-sandbox", version, verbatim_doc_comment)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free port (read it from the first stdout line).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Username (e-mail) of the internal demo user, who sees every data owner.
    #[arg(long, default_value = "demo@example.com")]
    pub username: String,
    /// Password of the demo user (may contain any UTF-8, e.g. æøå).
    #[arg(long, default_value = "demo")]
    pub password: String,
    /// API token of the demo user (`Authorization: Token <token>`).
    #[arg(long, default_value = "demo-token")]
    pub token: String,
    /// Username of the external user, who sees only data owner 1.
    #[arg(long, default_value = "partner@example.com")]
    pub external_username: String,
    /// Password of the external user.
    #[arg(long, default_value = "partner")]
    pub external_password: String,
    /// API token of the external user.
    #[arg(long, default_value = "partner-token")]
    pub external_token: String,
    /// Serve the files of DIR at `/` (index.html for directories). Default: none.
    #[arg(long, value_name = "DIR")]
    pub static_dir: Option<PathBuf>,
    /// Serve the files of DIR under `/pkg/` (e.g. the built npm package). Default: none.
    #[arg(long, value_name = "DIR")]
    pub pkg_dir: Option<PathBuf>,
    /// Seed of the generated tenant (same seed, same data).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The sandbox's "today" as YYYY-MM-DD (default: the system date, UTC). Outcomes are
    /// spread over the 60 days up to it, and missing from_date/to_date mean this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_today)]
    pub today: Option<Date>,
    /// Records per page of paginated lists.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub page_size: u32,
    /// Number of data owners (ids 1..=N), each with a B2C and a B2B CRM.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub data_owners: u32,
    /// Customers in EACH CRM (generated lazily: 1 000 000 starts instantly).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(0..=50_000_000))]
    pub customers: u32,
    /// Campaigns per data owner (ids OWNER*100+1 ..).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=99))]
    pub campaigns: u32,
    /// Call outcomes per campaign, spread over the 60 days up to today (at most 20 000).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(0..=20_000))]
    pub outcomes: u32,
    /// Simulate N customer edits by Cube users at start (like POST /_sandbox/edits).
    #[arg(long, default_value_t = 0)]
    pub edits: u32,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Plus a random 0..=N ms per request (drawn from --fault-seed).
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Seed of the fault and jitter draws: the same sequence of requests gets the same faults.
    #[arg(long, default_value_t = 1)]
    pub fault_seed: u64,
    /// Inject a fault (repeatable; the first matching rule wins). Grammar:
    ///   KIND[=VALUE][:RATE[:ROUTE_PREFIX]]   or one rule as JSON: '{"kind": ..., ...}'
    /// KIND: status=CODE, reset[=keepBytes], truncate[=keepBytes], html,
    ///   dribble[=chunkDelayMs], foreign_next, next_loop, lying_count[=factor],
    ///   bad_envelope[=object|missing|array], huge_record[=bytes], invalid_utf8,
    ///   endless_body[=maxSeconds], delay=MS.
    /// RATE: probability 0..1 (default 1). ROUTE_PREFIX: e.g. /api/v1/data_owners/
    /// (default: every API route). Options with ':' (foreign_next's origin), times,
    /// skip, retryAfter ... need the JSON form. Examples:
    ///   --fault status=503:0.1   --fault status=429:1:/api/v1/call_outcomes/
    ///   --fault '{"kind":"status","status":429,"retryAfter":2,"times":3}'
    #[arg(long = "fault", value_name = "SPEC", verbatim_doc_comment)]
    pub faults: Vec<String>,
}

fn parse_today(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("'{s}' is not a date of the form YYYY-MM-DD"))
}

impl Cli {
    pub fn into_config(self) -> Result<Config, String> {
        Ok(Config {
            host: self.host,
            port: self.port,
            demo: Credentials {
                username: self.username,
                password: self.password,
                token: self.token,
            },
            external: Credentials {
                username: self.external_username,
                password: self.external_password,
                token: self.external_token,
            },
            static_dir: self.static_dir,
            pkg_dir: self.pkg_dir,
            seed: self.seed,
            today: self.today,
            page_size: self.page_size as usize,
            data_owners: self.data_owners,
            customers: self.customers,
            campaigns: self.campaigns,
            outcomes: self.outcomes,
            edits: self.edits,
            faults: {
                let rules = self
                    .faults
                    .iter()
                    .map(|spec| crate::faults::flag::parse(spec))
                    .collect::<Result<Vec<_>, _>>()?;
                let config = FaultConfig {
                    seed: self.fault_seed,
                    latency_ms: self.latency_ms,
                    jitter_ms: self.jitter_ms,
                    rules,
                };
                config.validate()?;
                config
            },
            ..Config::default()
        })
    }
}
