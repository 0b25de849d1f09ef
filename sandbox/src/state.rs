//! The shared state behind every handler.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::data::dates::Date;
use crate::request_log::RequestLog;

/// Cheap to clone; handlers get it through axum's `State`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Config,
    pub today: Date,
    pub log: Mutex<RequestLog>,
}

impl AppState {
    pub fn new(config: Config) -> Self {
        let today = config.today.unwrap_or_else(Date::today_utc);
        let log = Mutex::new(RequestLog::new(config.log_capacity));
        AppState(Arc::new(Shared { config, today, log }))
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}
