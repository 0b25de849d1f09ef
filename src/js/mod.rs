//! The wasm-bindgen exports. The npm package's JS layer (`pkg-template/js/`) wraps these into
//! the public `CubeClient`, pagers with `for await`, the `CubeError` class and the round-trip
//! helpers. Two wasm modules are built from them: the client (feature `client`) and the
//! records module (feature `round-trip`), which the package loads only when first used.

mod errors;

#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "client")]
mod client;
mod options;
#[cfg(feature = "client")]
mod pages;
mod params;
mod progress;
#[cfg(feature = "round-trip")]
mod record_options;
#[cfg(feature = "round-trip")]
mod records;
#[cfg(feature = "client")]
mod surface;
#[cfg(feature = "round-trip")]
mod sync;
#[cfg(feature = "round-trip")]
mod sync_updates;
// Only in the records-only module: see the files.
#[cfg(all(feature = "round-trip", not(feature = "client")))]
mod allocator;
#[cfg(all(feature = "round-trip", not(feature = "client")))]
mod traps;

#[cfg(feature = "client")]
pub use client::RawClient;
#[cfg(feature = "client")]
pub use pages::RawPages;
#[cfg(feature = "client")]
pub use surface::{api_surface, endpoint_table};

// What the records module's streaming sync builds on: the client's options read into a
// session, a list's request checked, a page's progress as JS sees it.
pub use options::session;
pub use params::list_spec;
pub use progress::progress;
