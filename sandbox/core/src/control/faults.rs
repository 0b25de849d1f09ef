//! `GET|POST|DELETE /_sandbox/faults`: show, replace, or clear the fault configuration.

use serde_json::Value;

use crate::faults::{Engine, FaultConfig};
use crate::state::State;

pub fn show(state: &State) -> Value {
    state.faults.lock().expect("faults lock").snapshot()
}

/// Replace the configuration; `null` clears it (as `DELETE` does). A member the sandbox does
/// not read is refused, so a misspelt option never changes nothing silently.
pub fn set(state: &State, body: &[u8]) -> Result<Value, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("faults: {e}"))?;
    if value.is_null() {
        return Ok(clear(state));
    }
    let config = FaultConfig::from_json(value).map_err(|e| format!("faults: {e}"))?;
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(config);
    Ok(engine.snapshot())
}

pub fn clear(state: &State) -> Value {
    let mut engine = state.faults.lock().expect("faults lock");
    *engine = Engine::new(FaultConfig::default());
    engine.snapshot()
}
