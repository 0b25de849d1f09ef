//! One logical request: attempts with a timeout each, retries by the [`RetryPolicy`], every
//! error redacted before it leaves.

use super::abort::{AttemptSignal, CallSignal};
use super::bindings::{AbortSignal, FetchResponse};
use super::body::{read_body, Body, BodyError};
use super::failure::network_error;
use super::hooks::{Event, Hooks};
use super::redirect;
use super::sleep::sleep;
use crate::config::{ClientConfig, Limits};
use crate::errors::{CubeError, ErrorCode};
use crate::retry::Decision;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What every request of a client shares.
pub struct Session {
    pub config: ClientConfig,
    pub fetch: Function,
    pub hooks: Hooks,
    secrets: Vec<String>,
    authorization: String,
}

impl Session {
    pub fn new(config: ClientConfig, fetch: Function, hooks: Hooks) -> Session {
        let secrets = config.auth.secrets();
        let authorization = config.auth.header_value();
        Session {
            config,
            fetch,
            hooks,
            secrets,
            authorization,
        }
    }

    /// Remove every credential from an error.
    pub fn redact(&self, e: CubeError) -> CubeError {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        e.redact(&secrets)
    }

    fn init(&self, method: &str, body: Option<&str>, signal: &AbortSignal) -> Object {
        let headers = Object::new();
        let set = |o: &Object, k: &str, v: &JsValue| {
            let _ = Reflect::set(o, &k.into(), v);
        };
        set(&headers, "Accept", &"application/json".into());
        set(&headers, "Content-Type", &"application/json".into());
        set(
            &headers,
            "Authorization",
            &self.authorization.as_str().into(),
        );
        let init = Object::new();
        set(&init, "method", &method.into());
        set(&init, "headers", &headers);
        set(&init, "signal", signal);
        // No cookies: the header is the only credential. No redirects: a redirect could carry
        // the request (and, in some runtimes, its Authorization header) to another origin.
        set(&init, "credentials", &"omit".into());
        set(&init, "redirect", &redirect::MODE.into());
        if let Some(body) = body {
            set(&init, "body", &body.into());
        }
        init
    }
}

/// Fetch `url` until a 200 arrives whose body `accept` takes, a non-retryable error occurs,
/// or the retry budget is spent. A body `accept` refuses with a transient error (a truncated
/// page) is retried like a failed request. `call` is the cancellation scope.
pub async fn fetch_checked<T>(
    session: &Session,
    method: &str,
    url: &str,
    body: Option<&str>,
    call: &CallSignal,
    accept: &dyn Fn(Body) -> Result<T, CubeError>,
) -> Result<T, CubeError> {
    let policy = &session.config.retry;
    let mut attempt = 0u32;
    loop {
        let event = Event {
            method,
            url,
            attempt,
        };
        let result = attempt_once(session, &event, body, call).await;
        let (error, retry_after) =
            match result.and_then(|bytes| accept(bytes).map_err(|e| (e, None))) {
                Ok(value) => return Ok(value),
                Err(pair) => pair,
            };
        let error = session.redact(error.with_method(method));
        let idempotent = method == "GET";
        match policy.decide(
            &error,
            attempt,
            retry_after.as_deref(),
            js_sys::Date::now(),
            js_sys::Math::random(),
            idempotent,
        ) {
            Decision::GiveUp => {
                let mut error = error;
                error.retries = attempt;
                if error.code == ErrorCode::RateLimited && error.retry_after_ms.is_none() {
                    error.retry_after_ms = retry_after
                        .as_deref()
                        .and_then(|h| crate::retry::parse_retry_after(h, js_sys::Date::now()));
                }
                return Err(error);
            }
            Decision::RetryIn(delay) => {
                session.hooks.retry(&event, delay, &error);
                sleep(delay, &call.signal()).await;
                if call.user_aborted() {
                    return Err(aborted(url, attempt));
                }
                attempt += 1;
            }
        }
    }
}

fn aborted(url: &str, retries: u32) -> CubeError {
    let mut e = CubeError::new(
        ErrorCode::Aborted,
        format!("the request to {url} was aborted by the caller"),
    )
    .with_url(url);
    e.retries = retries;
    e
}

/// One attempt. On failure, the error and the `Retry-After` header (if any).
async fn attempt_once(
    session: &Session,
    event: &Event<'_>,
    body: Option<&str>,
    call: &CallSignal,
) -> Result<Body, (CubeError, Option<String>)> {
    let url = event.url;
    if call.user_aborted() {
        return Err((aborted(url, event.attempt), None));
    }
    let limits = &session.config.limits;
    let attempt = AttemptSignal::new(&call.signal(), limits.timeout_ms);
    let started = js_sys::Date::now();
    session.hooks.request(event);
    let failure = |engine_error: JsValue, phase: &str| {
        no_response(call, &attempt, event, limits, &engine_error, phase)
    };
    let init = session.init(event.method, body, &attempt.signal());
    let promise = session
        .fetch
        .call2(&JsValue::UNDEFINED, &url.into(), &init)
        .map_err(|e| (failure(e, "fetch threw"), None))?;
    let promise: js_sys::Promise = promise.dyn_into().map_err(|_| {
        (
            CubeError::invalid_argument(
                "fetch",
                "the fetch option must return a Promise of a Response",
            ),
            None,
        )
    })?;
    let response: FetchResponse = JsFuture::from(promise)
        .await
        .map_err(|e| (failure(e, "no response"), None))?
        .unchecked_into();
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let bytes = read_body(&response, limits.max_response_bytes, url)
        .await
        .map_err(|e| match e {
            BodyError::Stream(js) => (failure(js, "while reading the body"), None),
            BodyError::TooLarge(err) | BodyError::OutOfMemory(err) => (err, None),
        })?;
    session
        .hooks
        .response(event, status, js_sys::Date::now() - started, bytes.len());
    if redirect::is_redirect(&response, status) {
        return Err((redirect::refused(event.method, url), None));
    }
    if status == 200 || (status == 201 && event.method == "POST") {
        return Ok(bytes);
    }
    let secrets: Vec<&str> = session.secrets.iter().map(String::as_str).collect();
    Err((
        CubeError::from_status_redacted(status, url, &bytes.to_vec(), &secrets),
        retry_after,
    ))
}

/// The error of an attempt whose fetch failed during `phase`: the caller's abort, the
/// attempt's timeout, or else a network error. The engine's own error is kept only as text
/// (its name, message and code, and those of its causes), redacted with everything else: an
/// injected fetch may put anything in it, headers included.
fn no_response(
    call: &CallSignal,
    attempt: &AttemptSignal,
    event: &Event<'_>,
    limits: &Limits,
    engine_error: &JsValue,
    phase: &str,
) -> CubeError {
    let url = event.url;
    if call.user_aborted() {
        aborted(url, event.attempt)
    } else if attempt.signal().aborted() {
        CubeError::new(
            ErrorCode::Timeout,
            format!(
                "{} {url} timed out after {} ms ({phase})",
                event.method, limits.timeout_ms
            ),
        )
        .with_url(url)
    } else {
        network_error(event.method, url, phase, engine_error)
    }
}
