//! A request that got no response: what to tell the caller, and the runtime's own error
//! kept as the `cause`.

use crate::errors::{Cause, CubeError, ErrorCode};
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Links of a `cause` chain kept.
const MAX_DEPTH: usize = 4;

fn has_global(name: &str) -> bool {
    Reflect::get(&js_sys::global(), &name.into()).is_ok_and(|v| !v.is_undefined())
}

/// Whether this runs in a browser (a page, a worker, an extension), where CORS can refuse a
/// response and the runtime's error never says why. Node, Deno, Bun and workerd have no
/// CORS: there the cause chain names the reason.
fn in_browser() -> bool {
    thread_local! {
        static BROWSER: bool =
            (has_global("document") || has_global("WorkerGlobalScope")) && !has_global("Deno");
    }
    BROWSER.with(|b| *b)
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    Reflect::get(v, &key.into()).ok()?.as_string()
}

/// The runtime's error and its `cause`s as plain text, outermost first. Only `name`,
/// `message` and a text `code` are read: nothing else of an error object leaves.
pub fn cause_chain(error: &JsValue) -> Vec<Cause> {
    let mut chain = Vec::new();
    let mut current = error.clone();
    while chain.len() < MAX_DEPTH && current.is_object() {
        let message = text(&current, "message").unwrap_or_default();
        let name = text(&current, "name").unwrap_or_else(|| "Error".into());
        chain.push(Cause::new(
            &name,
            &message,
            text(&current, "code").as_deref(),
        ));
        current = Reflect::get(&current, &"cause".into()).unwrap_or(JsValue::UNDEFINED);
    }
    if chain.is_empty() {
        if let Some(s) = error.as_string() {
            chain.push(Cause::new("Error", &s, None));
        }
    }
    chain
}

/// The `network` error for a request to `url` that failed in `phase` with `engine_error`.
/// Not redacted yet: the caller redacts every error before it leaves.
pub fn network_error(method: &str, url: &str, phase: &str, engine_error: &JsValue) -> CubeError {
    let cause = cause_chain(engine_error);
    let why = if in_browser() {
        "the server could not be reached, the connection broke, or CORS refused the response \
         (the browser does not say which: its console does)"
            .to_string()
    } else {
        match Cause::summary(&cause) {
            Some(reason) => {
                format!("the server could not be reached or the connection broke: {reason}")
            }
            None => "the server could not be reached or the connection broke".to_string(),
        }
    };
    let mut e = CubeError::new(
        ErrorCode::Network,
        format!("{method} {url} failed ({phase}): {why}"),
    )
    .with_url(url);
    e.cause = cause;
    e
}
