//! Redirects are refused, the same way in every runtime.
//!
//! Requests go with `redirect: "manual"`: workerd rejects `"error"`, and with `"manual"` no
//! runtime follows a redirect, so the `Authorization` header never leaves the configured
//! origin. What comes back is the 3xx itself (Node, Deno, Bun, workerd) or, in browsers, an
//! `opaqueredirect` response (status 0, no headers). Both become the one error below, whose
//! code and message do not depend on the runtime (so neither names the status nor the
//! `Location`, which browsers hide).

use super::bindings::FetchResponse;
use crate::errors::{CubeError, ErrorCode};
use js_sys::Reflect;

/// The `redirect` mode of every request.
pub const MODE: &str = "manual";

/// Whether `response` is a redirect the runtime handed back instead of following it.
pub fn is_redirect(response: &FetchResponse, status: u16) -> bool {
    (300..=399).contains(&status)
        || Reflect::get(response, &"type".into())
            .ok()
            .and_then(|t| t.as_string())
            .is_some_and(|t| t == "opaqueredirect")
}

/// The error for a refused redirect: not retried (the same request gets the same redirect).
pub fn refused(method: &str, url: &str) -> CubeError {
    CubeError::new(
        ErrorCode::InvalidResponse,
        format!(
            "{method} {url} was answered with a redirect, which is never followed (the credentials go only to the configured origin): set baseUrl to the address that answers itself, e.g. https://ACCOUNT.headshed.com, not an old, http:// or proxy address that forwards to it"
        ),
    )
    .with_url(url)
}
