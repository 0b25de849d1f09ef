//! Reading a response body into wasm memory, chunk by chunk, refusing more than the
//! configured maximum (so a body that never ends cannot exhaust memory).

use super::bindings::{FetchResponse, ReadResult};
use crate::errors::CubeError;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub enum BodyError {
    /// The stream failed (reset, abort, timeout): classified by the caller.
    Stream(JsValue),
    TooLarge(CubeError),
}

pub async fn read_body(
    response: &FetchResponse,
    max: u32,
    url: &str,
) -> Result<Vec<u8>, BodyError> {
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
        // Some injected fetch implementations have no stream: take the whole buffer.
        let buf = JsFuture::from(response.array_buffer())
            .await
            .map_err(BodyError::Stream)?;
        let bytes = Uint8Array::new(&buf.unchecked_into::<ArrayBuffer>());
        if bytes.length() > max {
            return Err(too_large());
        }
        return Ok(bytes.to_vec());
    };
    let reader = stream.get_reader();
    // One allocation when the size is announced (it is only a hint: the cap still rules).
    let mut out: Vec<u8> = Vec::with_capacity(announced.unwrap_or(0) as usize);
    loop {
        let chunk: ReadResult = JsFuture::from(reader.read())
            .await
            .map_err(BodyError::Stream)?
            .unchecked_into();
        if chunk.done() {
            return Ok(out);
        }
        let bytes: Uint8Array = chunk.value().unchecked_into();
        let len = bytes.length() as usize;
        if out.len() + len > max as usize {
            let _ = reader.cancel();
            return Err(too_large());
        }
        let start = out.len();
        out.resize(start + len, 0);
        bytes.copy_to(&mut out[start..]);
    }
}
