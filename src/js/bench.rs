//! Benchmark-only exports (feature `bench`): the two ways of turning a page's bytes into JS
//! records, so `cargo xtask bench` can compare them. Not part of the package.

use super::errors::to_js;
use crate::transport::parse_page;
use wasm_bindgen::prelude::*;

/// The shipped path: Rust checks the envelope; the records' JSON text goes to `JSON.parse`.
#[wasm_bindgen]
pub fn bench_parse_json_text(bytes: &[u8]) -> Result<JsValue, JsValue> {
    parse_page(bytes, 1, "bench")
        .map(|p| p.records.into())
        .map_err(to_js)
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
