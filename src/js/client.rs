//! `RawClient`: the exported engine behind the package's `CubeClient`.

use super::errors::to_js;
use super::options;
use super::pages::RawPages;
use super::params::{list_spec, request_spec};
use crate::endpoints::Shape;
use crate::errors::{quote, CubeError};
use crate::transport::{decode, fetch_checked, Body, CallSignal, PageStream, Session};
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct RawClient {
    session: Rc<Session>,
}

#[wasm_bindgen]
impl RawClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RawClient, JsValue> {
        Ok(RawClient {
            session: Rc::new(options::session(&options)?),
        })
    }

    /// The configured base URL (origin and path prefix).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.session.config.base.to_string()
    }

    /// Check a call's parameters without making it; throws the `invalid_argument` error.
    pub fn check(
        &self,
        method: &str,
        params: JsValue,
        body: Option<String>,
    ) -> Result<(), JsValue> {
        request_spec(method, &params, body.as_deref())?;
        Ok(())
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
            .map_err(JsValue::from)
        })
    }

    /// A multi-page read; `limit` caps the records (and so the pages fetched).
    pub fn pages(
        &self,
        method: &str,
        params: JsValue,
        limit: JsValue,
        signal: JsValue,
    ) -> Result<RawPages, JsValue> {
        let spec = list_spec(method, &params)?;
        let limit = match limit.as_f64() {
            None if limit.is_undefined() || limit.is_null() => None,
            Some(l) if l.is_finite() && l.fract() == 0.0 && l >= 0.0 => Some(l as u64),
            _ => {
                let got = limit
                    .as_f64()
                    .map(|l| l.to_string())
                    .or_else(|| limit.as_string().map(|s| quote(&s)))
                    .unwrap_or_else(|| "a value that is not a number".into());
                return Err(CubeError::invalid_argument(
                    "limit",
                    format!("limit must be a whole number from 0 (records, not pages), got {got}"),
                )
                .into());
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
