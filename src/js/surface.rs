//! The API surface as data, from the one source of each fact: the endpoint table, the error
//! codes and the client options. The JS layer's method list, `index.d.ts`, the README and
//! the sandbox's OpenAPI file are checked against it by tests.

use super::options::OPTIONS;
use crate::endpoints::ENDPOINTS;
use crate::errors::ErrorCode;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// `{ endpoints: [{ name, http, list, params }], errorCodes, clientOptions }` as JSON text.
#[wasm_bindgen(js_name = apiSurface)]
pub fn api_surface() -> String {
    let endpoints: Vec<_> = ENDPOINTS
        .iter()
        .map(|e| {
            json!({
                "name": e.name,
                "http": e.http,
                "list": e.is_list(),
                "params": e.params,
            })
        })
        .collect();
    let codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    json!({ "endpoints": endpoints, "errorCodes": codes, "clientOptions": OPTIONS }).to_string()
}
