//! Where a read stands, as JS sees it after each page: `{ page, total, loaded }` (what
//! `onProgress` receives; a list read's page adds its `records`).

use crate::transport::Page;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub fn progress<R>(page: &Page<R>) -> Object {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    set("page", page.page.into());
    set(
        "total",
        page.total
            .map(|t| JsValue::from(t as f64))
            .unwrap_or(JsValue::NULL),
    );
    set("loaded", JsValue::from(page.loaded as f64));
    o
}
