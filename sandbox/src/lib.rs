//! `cube-sandbox`: the native edge of the Cube sandbox — an axum server around the pure core
//! (`cube-sandbox-core`), a local, stateful stand-in for the documented Cube REST API with
//! generated data, Basic/Token auth, DRF pagination, CORS, and injectable faults.
//!
//! Start it in-process with [`spawn`] (tests, bench) or run the `cube-sandbox` binary.

pub mod disk;
pub mod edge;
pub mod http_client;
pub mod server;
pub mod wire;

// The core's modules, so that `cube_sandbox::data::…` keeps naming the same things.
pub use cube_sandbox_core::{
    auth, config, control, cors, data, dates, error, faults, files, flags, pagination, params,
    record, request_log, routes,
};
pub use cube_sandbox_core::{Config, Credentials};
pub use server::{app, bind, spawn, Running};
