//! Turning a response body into JS values: the engine's `JSON.parse` builds them (once), and
//! the envelope fields are read from the result and checked by the core's rules. A body
//! `JSON.parse` refuses is explained by the core's native parser.

use super::bindings::{json_parse, Utf8Decoder};
use super::body::Body;
use crate::endpoints::Shape;
use crate::errors::CubeError;
use crate::pagination::{check_envelope, check_top, not_json, Field, Kind, TopLevel};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

pub struct Decoded {
    /// The answer: the object, the array, or a page's `results` array.
    pub records: JsValue,
    pub count: Option<u64>,
    pub next: Option<String>,
    /// A bare array where a page was expected (a legacy single-page list).
    pub bare: bool,
}

fn kind_of(v: &JsValue) -> Kind {
    if v.is_null() || v.is_undefined() {
        Kind::Null
    } else if Array::is_array(v) {
        Kind::Array
    } else if v.is_string() {
        Kind::String
    } else if v.as_f64().is_some() {
        Kind::Number
    } else if v.as_bool().is_some() {
        Kind::Bool
    } else {
        Kind::Object
    }
}

fn field(v: JsValue) -> Field {
    if v.is_undefined() {
        Field::Missing
    } else if v.is_null() {
        Field::Null
    } else if let Some(n) = v.as_f64() {
        Field::Number(n)
    } else if let Some(s) = v.as_string() {
        Field::Text(s)
    } else {
        Field::Other(kind_of(&v))
    }
}

thread_local! {
    static DECODER: Option<Utf8Decoder> = {
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"fatal".into(), &JsValue::TRUE);
        Utf8Decoder::new("utf-8", &options).ok()
    };
}

/// The engine's `JSON.parse` of a body; `None` when it is not UTF-8 JSON.
fn parse_json(body: &Body) -> Option<JsValue> {
    match body {
        Body::Js(bytes) => {
            let text = DECODER.with(|d| d.as_ref().and_then(|d| d.decode(bytes).ok()))?;
            json_parse(&text).ok()
        }
        Body::Wasm(bytes) => js_sys::JSON::parse(std::str::from_utf8(bytes).ok()?).ok(),
    }
}

pub fn decode(body: &Body, shape: Shape, url: &str) -> Result<Decoded, CubeError> {
    let value = parse_json(body).ok_or_else(|| not_json(&body.to_vec(), url))?;
    match check_top(shape, kind_of(&value), url)? {
        TopLevel::Whole => Ok(Decoded {
            records: value,
            count: None,
            next: None,
            bare: shape == Shape::Pages,
        }),
        TopLevel::Envelope => {
            let get = |k: &str| Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
            let results = get("results");
            let results_kind = (!results.is_undefined()).then(|| kind_of(&results));
            let (count, next) =
                check_envelope(field(get("count")), field(get("next")), results_kind, url)?;
            Ok(Decoded {
                records: results,
                count,
                next,
                bare: false,
            })
        }
    }
}
