//! The transport and JS edge in headless Chromium (wasm-bindgen-test), against the sandbox
//! (cross-origin, so CORS is exercised too).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/common.rs"]
mod common;
