//! A [`CubeError`] as the plain object the JS layer turns into its `CubeError` class.

use crate::errors::CubeError;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub fn to_js(e: CubeError) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    let opt_str = |v: &Option<String>| {
        v.as_deref()
            .map(JsValue::from)
            .unwrap_or(JsValue::UNDEFINED)
    };
    set("__cubeError", JsValue::TRUE);
    set("code", e.code.as_str().into());
    set("message", e.message.as_str().into());
    set(
        "status",
        e.status.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
    );
    set("url", opt_str(&e.url));
    set("detail", opt_str(&e.detail));
    set("param", opt_str(&e.param));
    set("retries", e.retries.into());
    set(
        "resumePage",
        e.resume_page
            .map(JsValue::from)
            .unwrap_or(JsValue::UNDEFINED),
    );
    set(
        "retryAfterMs",
        e.retry_after_ms
            .map(|v| JsValue::from(v as f64))
            .unwrap_or(JsValue::UNDEFINED),
    );
    if !e.cause.is_empty() {
        let chain = js_sys::Array::new();
        for link in &e.cause {
            let c = Object::new();
            let _ = Reflect::set(&c, &"name".into(), &link.name.as_str().into());
            let _ = Reflect::set(&c, &"message".into(), &link.message.as_str().into());
            if let Some(code) = &link.code {
                let _ = Reflect::set(&c, &"code".into(), &code.as_str().into());
            }
            chain.push(&c);
        }
        set("cause", chain.into());
    }
    o.into()
}

/// So that exported functions return `Result<_, JsValue>` and use `?` on a `CubeError`.
impl From<CubeError> for JsValue {
    fn from(e: CubeError) -> JsValue {
        to_js(e)
    }
}
