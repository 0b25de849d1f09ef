//! Structural bindings to the fetch API, so any spec-shaped `fetch` (the runtime's, undici,
//! a test double) works, and nothing depends on `window`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A `Response`.
    pub type FetchResponse;
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    pub fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method, getter)]
    pub fn body(this: &FetchResponse) -> Option<BodyStream>;
    #[wasm_bindgen(method, js_name = arrayBuffer)]
    pub fn array_buffer(this: &FetchResponse) -> js_sys::Promise;

    pub type FetchHeaders;
    #[wasm_bindgen(method)]
    pub fn get(this: &FetchHeaders, name: &str) -> Option<String>;

    /// A `ReadableStream` of bytes.
    pub type BodyStream;
    #[wasm_bindgen(method, js_name = getReader)]
    pub fn get_reader(this: &BodyStream) -> StreamReader;

    pub type StreamReader;
    #[wasm_bindgen(method)]
    pub fn read(this: &StreamReader) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    pub fn cancel(this: &StreamReader) -> js_sys::Promise;

    /// One `{ done, value }` from a stream reader.
    pub type ReadResult;
    #[wasm_bindgen(method, getter)]
    pub fn done(this: &ReadResult) -> bool;
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &ReadResult) -> JsValue;

    #[wasm_bindgen(js_name = AbortController)]
    pub type AbortController;
    #[wasm_bindgen(constructor, js_class = "AbortController")]
    pub fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController);

    #[wasm_bindgen(js_name = AbortSignal)]
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    pub fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_event_listener(this: &AbortSignal, kind: &str, listener: &js_sys::Function);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    pub fn remove_event_listener(this: &AbortSignal, kind: &str, listener: &js_sys::Function);

    /// A `TextDecoder` (made with `fatal: true`: invalid UTF-8 throws).
    #[wasm_bindgen(js_name = TextDecoder)]
    pub type Utf8Decoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    pub fn new(label: &str, options: &JsValue) -> Result<Utf8Decoder, JsValue>;
    #[wasm_bindgen(method, catch, js_class = "TextDecoder")]
    pub fn decode(
        this: &Utf8Decoder,
        input: &js_sys::Uint8Array,
    ) -> Result<js_sys::JsString, JsValue>;

    /// `JSON.parse` of a JS string (no trip through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &js_sys::Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);
}
