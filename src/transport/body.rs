//! Reading a response body, refusing more than the configured maximum (so a body that never
//! ends cannot exhaust memory).
//!
//! The buffer is reserved fallibly: a body that does not fit in wasm memory is an
//! `out_of_memory` error of the read, not a trap inside the futures queue (where no caller
//! would see it).
//!
//! A streamed body is read chunk by chunk into wasm memory (one allocation when its size is
//! announced), counting bytes against the limit: measured, this leaves less garbage in the
//! engine than `arrayBuffer()` (which concatenates into a new buffer per response). A
//! response without a stream (some injected fetches) is taken whole and stays in the engine.

use super::bindings::{FetchResponse, ReadResult};
use crate::errors::{CubeError, ErrorCode};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub enum Body {
    /// In the JS engine's memory.
    Js(Uint8Array),
    /// In wasm memory.
    Wasm(Vec<u8>),
}

impl Body {
    pub fn len(&self) -> usize {
        match self {
            Body::Js(a) => a.length() as usize,
            Body::Wasm(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes in wasm memory, without a copy when they are there already.
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            Body::Js(a) => a.to_vec(),
            Body::Wasm(v) => v,
        }
    }

    /// The bytes in wasm memory (copied once for a `Js` body: used for error bodies and for
    /// explaining a body the engine could not parse).
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Body::Js(a) => a.to_vec(),
            Body::Wasm(v) => v.clone(),
        }
    }
}

pub enum BodyError {
    /// The stream failed (reset, abort, timeout): classified by the caller.
    Stream(JsValue),
    TooLarge(CubeError),
    /// wasm memory could not hold the body.
    OutOfMemory(CubeError),
}

fn out_of_memory(url: &str, bytes: usize) -> BodyError {
    BodyError::OutOfMemory(
        CubeError::new(
            ErrorCode::OutOfMemory,
            format!("the response from {url} ({bytes} bytes so far) does not fit in wasm memory (wasm32 holds at most 4 GB)"),
        )
        .with_url(url),
    )
}

pub async fn read_body(response: &FetchResponse, max: u32, url: &str) -> Result<Body, BodyError> {
    let too_large = || {
        BodyError::TooLarge(CubeError::invalid_response(
            url,
            format!("the response from {url} is larger than maxResponseBytes ({max} bytes)"),
        ))
    };
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|len| len > u64::from(max)) {
        return Err(too_large());
    }
    let Some(stream) = response.body() else {
        let buf = JsFuture::from(response.array_buffer())
            .await
            .map_err(BodyError::Stream)?;
        let bytes = Uint8Array::new(&buf.unchecked_into::<ArrayBuffer>());
        if bytes.length() > max {
            return Err(too_large());
        }
        return Ok(Body::Js(bytes));
    };
    let reader = stream.get_reader();
    // The announced size is only a hint for the first allocation: the limit still rules.
    let mut out: Vec<u8> = Vec::new();
    let first = announced.unwrap_or(0) as usize;
    out.try_reserve_exact(first)
        .map_err(|_| out_of_memory(url, first))?;
    loop {
        let chunk: ReadResult = JsFuture::from(reader.read())
            .await
            .map_err(BodyError::Stream)?
            .unchecked_into();
        if chunk.done() {
            return Ok(Body::Wasm(out));
        }
        let bytes: Uint8Array = chunk.value().unchecked_into();
        let len = bytes.length() as usize;
        if out.len() + len > max as usize {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let start = out.len();
        out.try_reserve(len)
            .map_err(|_| out_of_memory(url, start + len))?;
        out.resize(start + len, 0);
        bytes.copy_to(&mut out[start..]);
    }
}
