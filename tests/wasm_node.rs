//! The transport and JS edge in Node (wasm-bindgen-test), against the sandbox.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/common.rs"]
mod common;
