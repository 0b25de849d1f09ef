//! `cube-sandbox`: a local, stateful server that behaves like the documented Cube REST API,
//! with generated data, Basic/Token auth, DRF pagination, CORS, and injectable faults.
//!
//! Start it in-process with [`spawn`] (tests, bench) or run the `cube-sandbox` binary.

pub mod auth;
pub mod cli;
pub mod config;
pub mod control;
pub mod cors;
pub mod data;
pub mod error;
pub mod faults;
pub mod http_client;
pub mod pagination;
pub mod params;
pub mod record;
pub mod request_log;
pub mod routes;
pub mod server;
pub mod state;
pub mod static_files;

pub use config::{Config, Credentials};
pub use server::{app, bind, spawn, Running};
