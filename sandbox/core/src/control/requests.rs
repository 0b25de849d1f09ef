//! `GET /_sandbox/requests` (the log, in order of arrival) and `DELETE` (clears it).

use serde_json::Value;

use crate::state::State;

pub fn list(state: &State) -> Value {
    serde_json::to_value(state.log.lock().expect("log lock").entries()).unwrap_or_default()
}

pub fn clear(state: &State) {
    state.log.lock().expect("log lock").clear();
}
