//! The records module for JavaScript: the npm package's second wasm module, which the JS
//! layer loads on the first use of a round-trip helper or of `Pager.sync()`
//! (`pkg-template/js/records-module.js`). It binds crate `cube-records`: the helpers over
//! records already in JS (`records_*`) and the streaming sync, which reads a list's pages
//! itself with the client crate's transport (`RawSync`). It has its own allocator, which
//! grows memory in large steps and notes a failed allocation for the JS layer to read after
//! the trap (`records_allocation_failure`).
//!
//! Built for speed (profile `wasm-records`): it works on 100,000-record syncs, and its size
//! does not weigh on the client.

mod errors;

#[cfg(target_arch = "wasm32")]
mod allocator;
#[cfg(target_arch = "wasm32")]
mod helpers;
#[cfg(target_arch = "wasm32")]
mod options;
#[cfg(target_arch = "wasm32")]
mod sync;
#[cfg(target_arch = "wasm32")]
mod sync_updates;
#[cfg(target_arch = "wasm32")]
mod traps;

pub use errors::{cube_error, Call};
