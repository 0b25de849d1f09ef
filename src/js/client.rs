//! `RawClient`: the exported engine behind the package's `CubeClient`.

use super::errors::to_js;
use super::options;
use super::pages::RawPages;
use super::params::JsParams;
use crate::endpoints::{build, Method, RequestSpec, Shape};
use crate::errors::CubeError;
use crate::transport::{decode, fetch_checked, Body, CallSignal, PageStream, Session};
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
pub struct RawClient {
    session: Rc<Session>,
}

fn method_of(name: &str) -> Result<Method, CubeError> {
    Method::from_js_name(name)
        .ok_or_else(|| CubeError::invalid_argument("method", format!("unknown method {name:?}")))
}

fn user_signal(signal: JsValue) -> Option<crate::transport::AbortSignalRef> {
    if signal.is_undefined() || signal.is_null() {
        None
    } else {
        Some(signal.unchecked_into())
    }
}

#[wasm_bindgen]
impl RawClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RawClient, JsValue> {
        let parsed = options::parse(&options).map_err(to_js)?;
        Ok(RawClient {
            session: Rc::new(Session::new(parsed.config, parsed.fetch, parsed.hooks)),
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
        self.spec(method, &params, body.as_deref())
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
        let spec = match self.spec(method, &params, body.as_deref()) {
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
        let call = CallSignal::new(user_signal(signal));
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
        let spec = self.spec(method, &params, None).map_err(to_js)?;
        if spec.shape != Shape::Pages {
            return Err(to_js(CubeError::invalid_argument(
                "method",
                format!("{method}() is not a list"),
            )));
        }
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
            CallSignal::new(user_signal(signal)),
        );
        Ok(RawPages::new(stream))
    }
}

impl RawClient {
    fn spec(
        &self,
        method: &str,
        params: &JsValue,
        body: Option<&str>,
    ) -> Result<RequestSpec, CubeError> {
        let method = method_of(method)?;
        let params = JsParams::new(params, method.js_name())?;
        build(method, &params, body)
    }
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Object => "object",
        Shape::Array => "array",
        Shape::Pages => "pages",
    }
}
