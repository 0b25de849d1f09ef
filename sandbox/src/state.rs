//! The shared state behind every handler: the fixed tenant, the mutable overlay, the
//! request log and the fault engine.

use std::ops::Deref;
use std::sync::{Arc, Mutex, RwLock};

use crate::config::Config;
use crate::data::dates::Date;
use crate::data::edits;
use crate::data::store::Store;
use crate::data::tenant::Tenant;
use crate::faults::Engine;
use crate::request_log::RequestLog;

/// Cheap to clone; handlers get it through axum's `State`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Config,
    pub today: Date,
    pub tenant: Tenant,
    pub store: RwLock<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<Engine>,
}

impl AppState {
    pub fn new(config: Config) -> Self {
        let today = config.today.unwrap_or_else(Date::today_utc);
        let tenant = Tenant::build(&config, today);
        let store = initial_store(&config, &tenant);
        let log = Mutex::new(RequestLog::new(config.log_capacity));
        let faults = Mutex::new(Engine::new(config.faults.clone()));
        AppState(Arc::new(Shared {
            today,
            tenant,
            store: RwLock::new(store),
            log,
            faults,
            config,
        }))
    }

    /// Back to the state at start: edits (re-applied from `--edits`), created customers,
    /// request log, faults (from the flags, counters at zero).
    pub fn reset(&self) {
        *self.store.write().expect("store lock") = initial_store(&self.config, &self.tenant);
        self.log.lock().expect("log lock").clear();
        *self.faults.lock().expect("faults lock") = Engine::new(self.config.faults.clone());
    }
}

fn initial_store(config: &Config, tenant: &Tenant) -> Store {
    let mut store = Store::default();
    if config.edits > 0 {
        edits::apply(tenant, &mut store, config.edits, None, None, Some(0));
    }
    store
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
