//! Injected faults and latency: configuration, the seeded decision engine, the middleware
//! and the mangled bodies.

pub mod bodies;
pub mod engine;
pub mod envelope;
pub mod flag;
pub mod middleware;
pub mod rules;

pub use engine::Engine;
pub use middleware::middleware;
pub use rules::{FaultConfig, FaultKind, FaultRule};

/// Marks a response into which a fault was injected (read by the request log).
#[derive(Clone, Debug)]
pub struct InjectedFault(pub &'static str);

/// An envelope fault for the paginated handler to apply (request extension).
#[derive(Clone, Debug)]
pub struct ActiveFault(pub FaultKind);
