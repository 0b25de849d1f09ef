//! The Cube sandbox without its edges: a request and the state in, a response out. No I/O,
//! no clock, no runtime — the edges (the native axum server, the wasm module behind
//! `createSandbox()` and `npx cube-integration sandbox`) read the wire, keep time, serve
//! files and play out transport faults.
//!
//! An edge drives each request through [`Sandbox::arrive`], waits [`Ticket::delay_ms`], then
//! calls [`Sandbox::answer`] (or [`Sandbox::abort`] if its client went away).

pub mod auth;
pub mod config;
pub mod control;
pub mod cors;
pub mod data;
pub mod dates;
mod dispatch;
pub mod envelope;
pub mod error;
pub mod faults;
pub mod files;
pub mod flags;
pub mod http;
pub mod pagination;
pub mod params;
pub mod paths;
pub mod record;
pub mod request_log;
pub mod routes;
pub mod sandbox;
pub mod sheet;
pub mod state;

pub use config::{Config, Credentials};
pub use http::{Body, FileRoot, Request, Response, Wire};
pub use sandbox::{Sandbox, Ticket, MAX_REQUEST_BODY};
pub use state::State;
