//! The API surface as data, from the one source of each fact: the endpoint table, the error
//! codes and the client options. The command line makes its commands from it; the JS layer's
//! method list, `index.d.ts`, the README and the sandbox's OpenAPI file are checked against it
//! by tests.

use super::options::OPTIONS;
use crate::endpoints::{param_kind, Handle, ParamKind, Shape, ENDPOINTS};
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

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Id => "id",
        ParamKind::CrmType => "crmType",
        ParamKind::CustomerId => "customerId",
        ParamKind::Text => "text",
        ParamKind::Date => "date",
        ParamKind::Page => "page",
    }
}

fn rows() -> Value {
    ENDPOINTS
        .iter()
        .map(|e| {
            let kinds: serde_json::Map<String, Value> = e
                .params
                .iter()
                .filter_map(|p| Some((p.to_string(), kind_name(param_kind(p)?).into())))
                .collect();
            json!({
                "method": e.js_name,
                "http": e.http,
                "shape": shape_name(e.shape),
                "params": e.params,
                "kinds": kinds,
                "body": e.body,
                "handles": e.handles.iter().map(|h| h.name()).collect::<Vec<_>>(),
                "positional": e.positional,
            })
        })
        .collect()
}

/// The scoped handles: `[{ name, params }]` (`crm(dataOwnerId, crmType)`, …).
fn handles() -> Value {
    [Handle::Crm, Handle::Campaign]
        .iter()
        .map(|h| json!({ "name": h.name(), "params": h.params() }))
        .collect()
}

/// The endpoint table as JSON text: `[{ method, http, shape, params, kinds, body, handles,
/// positional }]`, one entry per client method (`shape`: `object`, `array` or `pages`, a
/// list; `kinds`: what each parameter is, `id`, `crmType`, `customerId`, `text`, `date` or
/// `page`; `body`: the name of the request body, the method's first argument; `handles`: the
/// scoped handles offering the method; `positional`: on a handle, the parameter taken first).
#[wasm_bindgen(js_name = endpointTable)]
pub fn endpoint_table() -> String {
    rows().to_string()
}

/// `{ endpoints: endpointTable(), handles, errorCodes, clientOptions }` as JSON text.
#[wasm_bindgen(js_name = apiSurface)]
pub fn api_surface() -> String {
    let codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    json!({ "endpoints": rows(), "handles": handles(), "errorCodes": codes, "clientOptions": OPTIONS })
        .to_string()
}
