//! The only code that does I/O: the global `fetch` (or one the caller injects), abort
//! signals, timers and response bodies. Never `window`: Node, Web Workers and extension
//! service workers have none. Built only for `wasm32`.

mod abort;
mod bindings;
mod body;
mod decode;
mod hooks;
mod pages;
mod request;
mod sleep;

pub use abort::CallSignal;
pub use bindings::AbortSignal as AbortSignalRef;
pub use body::Body;
pub use decode::decode;
pub use hooks::Hooks;
#[cfg(feature = "bench")]
pub(crate) use pages::parse_page;
pub use pages::PageStream;
pub use request::{fetch_checked, Session};
