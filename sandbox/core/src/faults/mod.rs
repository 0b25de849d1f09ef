//! Injected faults and latency: configuration, the seeded decision engine, the envelope
//! faults and the mangled answers.

pub mod engine;
pub mod envelope;
pub mod flag;
pub mod rules;
pub mod wire;

pub use engine::Engine;
pub use rules::{FaultConfig, FaultKind, FaultRule};
