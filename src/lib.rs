//! # cube-integration
//!
//! A client for the REST API of Cube, the sales and call-centre CRM of Headshed AS,
//! compiled to WebAssembly for browsers, workers, extensions and Node.
//!
//! The crate is a pure Rust core — [`endpoints`], [`pagination`], [`retry`], [`auth`],
//! [`config`], [`errors`] — that builds and tests natively, plus two thin layers that only
//! exist on `wasm32`: `transport` (the global `fetch`, abort, timers) and `js` (the
//! wasm-bindgen exports that the npm package wraps). Both are public but left out of the
//! docs: the records module (crate `cube-records-wasm`, `records/wasm/`) builds on them, as
//! its streaming sync reads pages itself.

pub mod auth;
pub mod config;
pub mod endpoints;
pub mod errors;
pub mod pagination;
pub mod retry;

#[cfg(all(target_arch = "wasm32", feature = "transport"))]
#[doc(hidden)]
pub mod js;
#[cfg(all(target_arch = "wasm32", feature = "transport"))]
#[doc(hidden)]
pub mod transport;

pub use errors::{CubeError, ErrorCode};
