//! The transport and JS edge in headless Chromium (wasm-bindgen-test), against the sandbox
//! (cross-origin, so CORS is exercised too).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/common.rs"]
mod common;

#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_failed_request_in_a_browser_may_be_cors_and_says_so() {
    let err = common::unreachable_error().await;
    let message = common::field(&err, "message").as_string().unwrap();
    assert!(message.contains("CORS"), "{message}");
    assert!(message.contains("(no response)"), "{message}");
}
