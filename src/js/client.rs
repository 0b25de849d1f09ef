//! `RawClient`: the exported engine behind the package's `CubeClient`.

use super::errors::to_js;
use super::options;
use super::pages::RawPages;
use super::params::{list_spec, request_spec};
use crate::endpoints::Shape;
use crate::errors::CubeError;
use crate::transport::{decode, fetch_checked, Body, CallSignal, PageStream, Session};
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The endpoint table as JSON text: `[{"method", "params", "shape", "http"}]`, one entry per
/// client method (`shape`: `object`, `array` or `pages`). The command line makes its commands
/// and flags from it, so a new endpoint is a new command without a second list to keep.
#[wasm_bindgen(js_name = endpointTable)]
pub fn endpoint_table() -> String {
    let table: Vec<serde_json::Value> = crate::endpoints::Method::ALL
        .iter()
        .map(|m| {
            serde_json::json!({
                "method": m.js_name(),
                "params": m.params(),
                "shape": shape_name(m.shape()),
                "http": m.http_method(),
            })
        })
        .collect();
    serde_json::Value::Array(table).to_string()
}

#[wasm_bindgen]
pub struct RawClient {
    session: Rc<Session>,
}

#[wasm_bindgen]
impl RawClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RawClient, JsValue> {
        Ok(RawClient {
            session: Rc::new(options::session(&options).map_err(to_js)?),
        })
    }

    /// The configured base URL (origin and path prefix).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.session.config.base.to_string()
    }

    /// `"basic"` or `"token"`.
    #[wasm_bindgen(getter, js_name = authScheme)]
    pub fn auth_scheme(&self) -> String {
        self.session.config.auth.scheme().to_string()
    }

    /// Check a call's parameters without making it; throws the `invalid_argument` error.
    pub fn check(
        &self,
        method: &str,
        params: JsValue,
        body: Option<String>,
    ) -> Result<String, JsValue> {
        request_spec(method, &params, body.as_deref())
            .map(|s| shape_name(s.shape).to_string())
            .map_err(to_js)
    }

    /// A single-response call (object or bare array). Rejects with a plain error object.
    pub fn call(
        &self,
        method: &str,
        params: JsValue,
        body: Option<String>,
        signal: JsValue,
    ) -> Promise {
        let spec = match request_spec(method, &params, body.as_deref()) {
            Ok(spec) if spec.shape != Shape::Pages => spec,
            Ok(_) => {
                return Promise::reject(&to_js(CubeError::invalid_argument(
                    "method",
                    format!("{method}() is a list: read it with pages()"),
                )))
            }
            Err(e) => return Promise::reject(&to_js(e)),
        };
        let session = self.session.clone();
        let call = CallSignal::from_js(signal);
        wasm_bindgen_futures::future_to_promise(async move {
            let url = session.config.base.join(&spec.path_and_query);
            let shape = spec.shape;
            let parse = |body: Body| decode(&body, shape, &url).map(|d| d.records);
            fetch_checked(
                &session,
                spec.http_method,
                &url,
                spec.body.as_deref(),
                &call,
                &parse,
            )
            .await
            .map_err(to_js)
        })
    }

    /// A multi-page read; `limit` caps the records (and so the pages fetched).
    pub fn pages(
        &self,
        method: &str,
        params: JsValue,
        limit: Option<f64>,
        signal: JsValue,
    ) -> Result<RawPages, JsValue> {
        let spec = list_spec(method, &params).map_err(to_js)?;
        let limit = match limit {
            None => None,
            Some(l) if l.is_finite() && l.fract() == 0.0 && l >= 0.0 => Some(l as u64),
            Some(l) => {
                return Err(to_js(CubeError::invalid_argument(
                    "limit",
                    format!("limit must be a whole number from 0, got {l}"),
                )))
            }
        };
        let stream = PageStream::new(
            self.session.clone(),
            &spec,
            limit,
            CallSignal::from_js(signal),
        );
        Ok(RawPages::new(stream))
    }
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Object => "object",
        Shape::Array => "array",
        Shape::Pages => "pages",
    }
}
