//! Call parameters read from a plain JS object.

use crate::endpoints::params::{ParamSource, ParamValue};
use crate::endpoints::{build, Method, RequestSpec, Shape};
use crate::errors::{quote, CubeError};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

pub struct JsParams(Option<Object>);

impl JsParams {
    /// `undefined`/`null` mean no parameters; anything but a plain object is refused.
    pub fn new(value: &JsValue, method: &str) -> Result<JsParams, CubeError> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsParams(None));
        }
        if !value.is_object() || value.is_function() || js_sys::Array::is_array(value) {
            return Err(CubeError::invalid_argument("params", format!("{method}(): params must be an object such as {{ dataOwnerId: 1, crmType: \"B2C\" }}")));
        }
        Ok(JsParams(Some(value.clone().unchecked_into())))
    }
}

pub fn value_of(v: JsValue) -> Option<ParamValue> {
    if v.is_undefined() || v.is_null() {
        None
    } else if let Some(s) = v.as_string() {
        Some(ParamValue::Str(s))
    } else if let Some(n) = v.as_f64() {
        Some(ParamValue::Num(n))
    } else if let Some(b) = v.as_bool() {
        Some(ParamValue::Bool(b))
    } else {
        Some(ParamValue::Other(
            v.js_typeof().as_string().unwrap_or_default(),
        ))
    }
}

impl ParamSource for JsParams {
    fn get(&self, key: &str) -> Option<ParamValue> {
        let o = self.0.as_ref()?;
        value_of(Reflect::get(o, &key.into()).ok()?)
    }

    fn keys(&self) -> Vec<String> {
        match &self.0 {
            None => vec![],
            Some(o) => Object::keys(o)
                .iter()
                .filter(|k| {
                    Reflect::get(o, k)
                        .map(|v| !v.is_undefined())
                        .unwrap_or(false)
                })
                .filter_map(|k| k.as_string())
                .collect(),
        }
    }
}

/// The request a call of `method` with the caller's `params` makes (and `body` for a POST),
/// checked before anything is sent.
pub fn request_spec(
    method: &str,
    params: &JsValue,
    body: Option<&str>,
) -> Result<RequestSpec, CubeError> {
    let method = Method::from_js_name(method).ok_or_else(|| {
        CubeError::invalid_argument("method", format!("unknown method {}", quote(method)))
    })?;
    let params = JsParams::new(params, method.js_name())?;
    build(method, &params, body)
}

/// [`request_spec`] of a list (a multi-page read, or a sync of one).
pub fn list_spec(method: &str, params: &JsValue) -> Result<RequestSpec, CubeError> {
    let spec = request_spec(method, params, None)?;
    if spec.shape != Shape::Pages {
        return Err(CubeError::invalid_argument(
            "method",
            format!("{method}() is not a list"),
        ));
    }
    Ok(spec)
}
