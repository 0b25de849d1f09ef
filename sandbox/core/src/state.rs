//! The sandbox's state: the fixed tenant, the mutable overlay, the request log and the fault
//! engine. Routes and the control API read and change it; they know nothing of the pipeline.

use std::sync::{Mutex, RwLock};

use crate::config::Config;
use crate::data::edits;
use crate::data::store::Store;
use crate::data::tenant::Tenant;
use crate::dates::Date;
use crate::faults::Engine;
use crate::request_log::RequestLog;

pub struct State {
    pub config: Config,
    pub today: Date,
    pub tenant: Tenant,
    pub store: RwLock<Store>,
    pub log: Mutex<RequestLog>,
    pub faults: Mutex<Engine>,
}

impl State {
    /// `now_ms`: the edge's clock (ms since 1970), for "today" unless the config sets it.
    pub fn new(config: Config, now_ms: u64) -> Self {
        let today = config.today.unwrap_or_else(|| Date::utc_day(now_ms));
        let tenant = Tenant::build(&config.generation(), today);
        let store = initial_store(&config, &tenant);
        let log = Mutex::new(RequestLog::new(config.log_capacity));
        let faults = Mutex::new(Engine::new(config.faults.clone()));
        State {
            today,
            tenant,
            store: RwLock::new(store),
            log,
            faults,
            config,
        }
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
