//! The only code that does I/O: the global `fetch` (or one the caller injects), abort
//! signals, timers and response bodies. Never `window`: Node, Web Workers and extension
//! service workers have none. Built only for `wasm32`.

mod abort;
mod bindings;
mod body;
mod decode;
mod failure;
mod hooks;
mod pages;
mod redirect;
mod request;
mod sleep;
mod text_pages;

pub use abort::CallSignal;
pub use body::Body;
pub use decode::decode;
pub use hooks::Hooks;
pub use pages::{JsPages, Page, PageKind, PageStream};
pub use request::{fetch_checked, Session};
pub use text_pages::{PageText, TextPages};
