//! Benchmark-only exports (feature `bench`): the ways of turning a page's bytes into JS
//! records, so `cargo xtask bench` can compare them. Not part of the package.

use crate::transport::{Body, JsPages, PageKind};
use wasm_bindgen::prelude::*;

/// The shipped path: the body stays in the engine (`TextDecoder`, `JSON.parse`); Rust checks
/// the envelope fields.
#[wasm_bindgen]
pub fn bench_parse_json_text(bytes: js_sys::Uint8Array) -> Result<JsValue, JsValue> {
    Ok(JsPages::parse(Body::Js(bytes), 1, "bench")?.0.into())
}

/// The path for bodies of unknown size: copied into wasm memory, then decoded and parsed.
#[wasm_bindgen]
pub fn bench_parse_in_wasm(bytes: &[u8]) -> Result<JsValue, JsValue> {
    Ok(JsPages::parse(Body::Wasm(bytes.to_vec()), 1, "bench")?
        .0
        .into())
}

/// The alternative: serde_json builds the page, serde-wasm-bindgen converts it to objects.
#[wasm_bindgen]
pub fn bench_parse_serde(bytes: &[u8]) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    struct Page {
        results: Vec<serde_json::Map<String, serde_json::Value>>,
    }
    let page: Page =
        serde_json::from_slice(bytes).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&page.results, &serializer)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}
