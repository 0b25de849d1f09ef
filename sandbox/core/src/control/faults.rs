//! `GET|POST|DELETE /_sandbox/faults`: show, replace, or clear the fault configuration.

use serde_json::Value;

use crate::faults::{Engine, FaultConfig};
use crate::state::State;

pub fn show(state: &State) -> Value {
    state.faults.lock().expect("faults lock").snapshot()
}

pub fn set(state: &State, body: &[u8]) -> Result<Value, String> {
    let config: FaultConfig = serde_json::from_slice(body).map_err(|e| format!("faults: {e}"))?;
    config.validate().map_err(|e| format!("faults: {e}"))?;
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(config);
    Ok(engine.snapshot())
}

pub fn clear(state: &State) -> Value {
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(FaultConfig::default());
    engine.snapshot()
}
