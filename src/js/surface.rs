//! The API surface as data, from the one source of each fact: the endpoint table, the error
//! codes and the client options. The command line makes its commands from it; the JS layer's
//! method list, `index.d.ts`, the README and the sandbox's OpenAPI file are checked against it
//! by tests.

use super::options::OPTIONS;
use crate::endpoints::{Shape, ENDPOINTS};
use crate::errors::ErrorCode;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Object => "object",
        Shape::Array => "array",
        Shape::Pages => "pages",
    }
}

fn rows() -> Value {
    ENDPOINTS
        .iter()
        .map(|e| {
            json!({
                "method": e.name,
                "http": e.http,
                "shape": shape_name(e.shape),
                "params": e.params,
            })
        })
        .collect()
}

/// The endpoint table as JSON text: `[{ method, http, shape, params }]`, one entry per client
/// method (`shape`: `object`, `array` or `pages`, a list).
#[wasm_bindgen(js_name = endpointTable)]
pub fn endpoint_table() -> String {
    rows().to_string()
}

/// `{ endpoints: endpointTable(), errorCodes, clientOptions }` as JSON text.
#[wasm_bindgen(js_name = apiSurface)]
pub fn api_surface() -> String {
    let codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    json!({ "endpoints": rows(), "errorCodes": codes, "clientOptions": OPTIONS }).to_string()
}
