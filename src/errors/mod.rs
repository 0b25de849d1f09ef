//! The one error type of the library. Every failure — bad input, HTTP status, network,
//! timeout, a response that is not what Cube documents — is a [`CubeError`] with a stable
//! [`ErrorCode`]. The JS edge turns it into the `CubeError` class; nothing here ever holds a
//! credential (see [`CubeError::redact`]).

mod cause;
mod code;
mod detail;
mod quote;

pub use cause::Cause;
pub use code::ErrorCode;
pub use quote::{excerpt, quote, quote_json, quote_url, SHOWN_CHARS};

use std::fmt;

/// The error, boxed so that `Result<T, CubeError>` stays one pointer wide on the happy path;
/// its fields are reached through `Deref` (`error.code`, `error.message`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct CubeError(Box<ErrorFields>);

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorFields {
    pub code: ErrorCode,
    /// For people: what failed and what to do.
    pub message: String,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The request URL (never carries credentials: they travel in a header).
    pub url: Option<String>,
    /// The server's own `detail` message (Django REST Framework style), shortened.
    pub detail: Option<String>,
    /// The parameter or option that was wrong (`invalid_argument`).
    pub param: Option<String>,
    /// How many retries were made before giving up.
    pub retries: u32,
    /// For a failed multi-page read: the page to resume from (all earlier pages were delivered).
    pub resume_page: Option<u32>,
    /// From a `Retry-After` header that was longer than the client is willing to wait.
    pub retry_after_ms: Option<u64>,
    /// Whether a retry of the same request may succeed (used by the retry loop).
    pub transient: bool,
    /// For a request that got no response: what the runtime's `fetch` said, outermost
    /// first (`TypeError: fetch failed` ← `Error: connect ECONNREFUSED …`), redacted.
    pub cause: Vec<Cause>,
}

impl CubeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CubeError(Box::new(ErrorFields {
            code,
            message: message.into(),
            status: None,
            url: None,
            detail: None,
            param: None,
            retries: 0,
            resume_page: None,
            retry_after_ms: None,
            transient: code.is_transient(),
            cause: Vec::new(),
        }))
    }

    /// Bad input from the caller, naming the parameter (an unknown key names itself: cut to
    /// [`SHOWN_CHARS`] characters). A value the message shows is quoted with [`quote`].
    pub fn invalid_argument(param: &str, message: impl Into<String>) -> Self {
        let mut e = CubeError::new(ErrorCode::InvalidArgument, message);
        e.param = Some(param.chars().take(SHOWN_CHARS).collect());
        e
    }

    /// A response that is not what the Cube API documents.
    pub fn invalid_response(url: &str, message: impl Into<String>) -> Self {
        CubeError::new(ErrorCode::InvalidResponse, message).with_url(url)
    }

    /// A non-200 response. `body` is the response text, from which a DRF `detail` is taken.
    pub fn from_status(status: u16, url: &str, body: &[u8]) -> Self {
        CubeError::from_status_redacted(status, url, body, &[])
    }

    /// [`CubeError::from_status`], with `secrets` removed from the server's text before it
    /// is shortened (the client passes its credentials).
    pub fn from_status_redacted(status: u16, url: &str, body: &[u8], secrets: &[&str]) -> Self {
        let code = ErrorCode::from_status(status);
        let detail = detail::extract(body, secrets);
        let what = match code {
            ErrorCode::Unauthorized => {
                "the credentials were refused (check the username/password or token)"
            }
            ErrorCode::Forbidden => "this user may not read this resource",
            ErrorCode::NotFound => "no such resource (check the ids and the base URL)",
            ErrorCode::BadRequest => "the server refused the parameters",
            ErrorCode::RateLimited => "too many requests (rate limited)",
            ErrorCode::Timeout => "the server timed out the request",
            _ => "the server failed",
        };
        let mut message = format!("Cube answered HTTP {status} for GET {url}: {what}");
        if let Some(d) = &detail {
            message.push_str(&format!(" — server says: {d}"));
        }
        let mut e = CubeError::new(code, message).with_url(url);
        e.status = Some(status);
        e.detail = detail;
        e.transient = matches!(status, 408 | 429 | 500 | 502 | 503 | 504);
        e
    }

    pub fn with_url(mut self, url: &str) -> Self {
        self.url = Some(url.to_string());
        self
    }

    pub fn with_method(mut self, method: &str) -> Self {
        if method != "GET" {
            self.message = self
                .message
                .replacen("for GET ", &format!("for {method} "), 1);
        }
        self
    }

    /// A failed multi-page read that started at page `first`: `page` is where to resume.
    /// `resume_page` is always set; the message speaks of resuming only where resuming makes
    /// sense (a `transient` failure — the network, a timeout, a 429 or 5xx, a cut body — or an
    /// abort), and says only what is true: which pages this read delivered. After any other
    /// failure the same request would fail the same way: a 401's message stays about the
    /// credentials. A read from the start that delivered none says nothing of
    /// resuming either (running it again is all there is to do); a read that started later (a
    /// resume) names its page.
    pub fn with_resume_page(mut self, page: u32, first: u32) -> Self {
        self.resume_page = Some(page);
        if !(self.transient || self.code == ErrorCode::Aborted) {
            return self;
        }
        let delivered = match page.saturating_sub(first) {
            0 if first <= 1 => return self,
            0 => "no page was delivered".to_string(),
            1 => format!("page {first} was delivered"),
            _ => format!("pages {first}–{} were delivered", page - 1),
        };
        self.message
            .push_str(&format!(" ({delivered}; resume with `page: {page}`)"));
        self
    }

    /// Replace every occurrence of a secret in the human-readable fields. The client calls
    /// this on every error before it leaves the library, with its own credentials, so that
    /// even a server that echoes the `Authorization` header cannot leak it.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        for secret in secrets.iter().filter(|s| s.len() >= 3) {
            let fields = &mut *self.0;
            for field in [
                &mut fields.message,
                fields.detail.get_or_insert_with(String::new),
            ] {
                if field.contains(secret) {
                    *field = field.replace(secret, "[redacted]");
                }
            }
            for cause in &mut fields.cause {
                cause.redact(secret);
            }
            if let Some(url) = &mut self.url {
                if url.contains(secret) {
                    *url = url.replace(secret, "[redacted]");
                }
            }
        }
        if self.detail.as_deref() == Some("") {
            self.detail = None;
        }
        self
    }
}

impl std::ops::Deref for CubeError {
    type Target = ErrorFields;
    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}

impl std::ops::DerefMut for CubeError {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

impl fmt::Display for CubeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl std::error::Error for CubeError {}

#[cfg(test)]
mod tests;
