//! Playing out the core's transport faults on a real connection: a reset after some bytes,
//! a dribbled body, an endless one.

use std::time::{Duration, Instant};

use axum::body::Body;
use bytes::Bytes;
use cube_sandbox_core::Wire;
use futures_util::stream;

/// The body, and the `Content-Length` to announce (`None`: chunked).
pub fn body(wire: Wire) -> (Body, Option<usize>) {
    match wire {
        Wire::Reset { bytes, keep } => {
            let len = bytes.len();
            (reset(bytes, keep), Some(len))
        }
        Wire::Dribble {
            bytes,
            chunk,
            delay_ms,
        } => {
            let len = bytes.len();
            (dribble(bytes, chunk, delay_ms), Some(len))
        }
        Wire::Endless {
            prefix,
            chunk,
            delay_ms,
            max_seconds,
        } => (endless(prefix, chunk, delay_ms, max_seconds), None),
    }
}

/// `bytes[..keep]`, then the connection dropped.
fn reset(bytes: Vec<u8>, keep: usize) -> Body {
    let part = Bytes::from(bytes).slice(..keep);
    let steps = stream::unfold(0u8, move |step| {
        let part = part.clone();
        async move {
            match step {
                0 => Some((Ok(part), 1)),
                1 => {
                    // let the first part reach the client before the drop
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Some((Err(std::io::Error::other("fault: connection reset")), 2))
                }
                _ => None,
            }
        }
    });
    Body::from_stream(steps)
}

/// `bytes` in chunks of `chunk` bytes, `delay_ms` apart.
fn dribble(bytes: Vec<u8>, chunk: usize, delay_ms: u64) -> Body {
    let full = Bytes::from(bytes);
    let delay = Duration::from_millis(delay_ms);
    let steps = stream::unfold(0usize, move |offset| {
        let full = full.clone();
        async move {
            if offset >= full.len() {
                return None;
            }
            if offset > 0 {
                tokio::time::sleep(delay).await;
            }
            let end = (offset + chunk).min(full.len());
            Some((Ok::<Bytes, std::io::Error>(full.slice(offset..end)), end))
        }
    });
    Body::from_stream(steps)
}

/// `prefix`, then `chunk` spaces every `delay_ms` until `max_seconds` have passed.
fn endless(prefix: &'static [u8], chunk: usize, delay_ms: u64, max_seconds: u64) -> Body {
    let deadline = Instant::now() + Duration::from_secs(max_seconds);
    let spaces = Bytes::from(vec![b' '; chunk]);
    let first = Bytes::from_static(prefix);
    let body = stream::unfold(Some(first), move |first| {
        let spaces = spaces.clone();
        async move {
            if let Some(p) = first {
                return Some((Ok::<Bytes, std::io::Error>(p), None));
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            Some((Ok(spaces), None))
        }
    });
    Body::from_stream(body)
}
