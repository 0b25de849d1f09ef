//! The transport and JS edge in Node (wasm-bindgen-test), against the sandbox.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/common.rs"]
mod common;

#[wasm_bindgen_test::wasm_bindgen_test]
async fn a_refused_connection_says_so_and_keeps_the_cause_without_blaming_cors() {
    let err = common::unreachable_error().await;
    let message = common::field(&err, "message").as_string().unwrap();
    assert!(!message.contains("CORS"), "{message}");
    assert!(message.contains("ECONNREFUSED"), "{message}");
    let cause: js_sys::Array = common::field(&err, "cause").into();
    let codes: Vec<String> = cause
        .iter()
        .filter_map(|c| common::field(&c, "code").as_string())
        .collect();
    assert!(codes.iter().any(|c| c == "ECONNREFUSED"), "{codes:?}");
}
