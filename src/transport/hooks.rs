//! Optional observer callbacks (`onRequest`, `onResponse`, `onRetry`) for logging. Their
//! payloads carry the method, URL, attempt, status and timing — never a header value or a
//! credential. A hook that throws is ignored: logging must not break a sync.

use crate::errors::CubeError;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsValue;

#[derive(Default, Clone)]
pub struct Hooks {
    pub on_request: Option<Function>,
    pub on_response: Option<Function>,
    pub on_retry: Option<Function>,
}

pub struct Event<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub attempt: u32,
}

fn payload(e: &Event, extra: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    let _ = Reflect::set(&o, &"method".into(), &e.method.into());
    let _ = Reflect::set(&o, &"url".into(), &e.url.into());
    let _ = Reflect::set(&o, &"attempt".into(), &e.attempt.into());
    for (k, v) in extra {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

fn call(hook: &Option<Function>, payload: Object) {
    if let Some(f) = hook {
        let _ = f.call1(&JsValue::UNDEFINED, &payload);
    }
}

impl Hooks {
    pub fn request(&self, e: &Event) {
        call(&self.on_request, payload(e, &[]));
    }

    pub fn response(&self, e: &Event, status: u16, duration_ms: f64, bytes: usize) {
        call(
            &self.on_response,
            payload(
                e,
                &[
                    ("status", status.into()),
                    ("durationMs", duration_ms.into()),
                    ("bytes", (bytes as f64).into()),
                ],
            ),
        );
    }

    /// `error` is already redacted by the caller.
    pub fn retry(&self, e: &Event, delay_ms: u64, error: &CubeError) {
        call(
            &self.on_retry,
            payload(
                e,
                &[
                    // `attempt` is the failed attempt (0 = the first); `retry` counts the
                    // retries, from 1, so a log line reads "retry 1 of 4".
                    ("retry", (e.attempt + 1).into()),
                    ("delayMs", (delay_ms as f64).into()),
                    ("code", error.code.as_str().into()),
                    (
                        "status",
                        error.status.map(JsValue::from).unwrap_or(JsValue::NULL),
                    ),
                    ("message", error.message.as_str().into()),
                ],
            ),
        );
    }
}
