//! The wasm-bindgen exports. The npm package's JS layer (`pkg-template/js/`) wraps these into
//! the public `CubeClient`, pagers with `for await`, and the `CubeError` class.

mod client;
pub use client::RawClient;
pub use pages::RawPages;
#[cfg(feature = "bench")]
mod bench;
mod errors;
mod options;
mod pages;
mod params;
