//! The sandbox's settings, independent of how they were given (CLI flags or a test).

use std::path::PathBuf;

use crate::data::tenant::Generation;
use crate::dates::Date;
use crate::faults::FaultConfig;

/// One user of the sandbox tenant.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    pub token: String,
}

/// Everything the server needs to start. `Config::default()` matches the CLI defaults.
#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    pub demo: Credentials,
    pub external: Credentials,
    pub static_dir: Option<PathBuf>,
    pub pkg_dir: Option<PathBuf>,
    pub seed: u64,
    /// `None` means the system date (UTC) at start.
    pub today: Option<Date>,
    pub page_size: usize,
    pub data_owners: u32,
    /// Customers in each CRM (every data owner has a B2C and a B2B CRM).
    pub customers: u32,
    /// Campaigns per data owner.
    pub campaigns: u32,
    /// Call outcomes per campaign.
    pub outcomes: u32,
    /// Customer edits applied at start (as `POST /_sandbox/edits` would).
    pub edits: u32,
    pub faults: FaultConfig,
    /// Entries kept in the request log (oldest dropped first).
    pub log_capacity: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8787,
            demo: Credentials {
                username: "demo@example.com".into(),
                password: "demo".into(),
                token: "demo-token".into(),
            },
            external: Credentials {
                username: "partner@example.com".into(),
                password: "partner".into(),
                token: "partner-token".into(),
            },
            static_dir: None,
            pkg_dir: None,
            seed: 42,
            today: None,
            page_size: 500,
            data_owners: 3,
            customers: 2000,
            campaigns: 4,
            outcomes: 300,
            edits: 0,
            faults: FaultConfig::default(),
            log_capacity: 10_000,
        }
    }
}

impl Config {
    /// The settings the tenant is generated from.
    pub fn generation(&self) -> Generation {
        Generation {
            seed: self.seed,
            data_owners: self.data_owners,
            customers: self.customers,
            campaigns: self.campaigns,
            outcomes: self.outcomes,
        }
    }

    /// A configuration for in-process tests: a free port, everything else default.
    pub fn for_tests() -> Self {
        Config {
            port: 0,
            ..Config::default()
        }
    }
}
