//! The client module's wasm-bindgen exports (feature `client`). The npm package's JS layer
//! (`pkg-template/js/`) wraps these into the public `CubeClient`, pagers with `for await` and
//! the `CubeError` class. The records module (crate `cube-records-wasm`, `records/wasm/`),
//! which the package loads only when first used, has its own exports and builds on the
//! readers below.

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
#[cfg(feature = "client")]
mod surface;

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
