//! `new CubeClient(options)`: reading and checking every option before any request.

use super::params::JsParams;
use crate::auth::Auth;
use crate::config::{BaseUrl, ClientConfig, Limits};
use crate::endpoints::params::{check_known, ParamSource, ParamValue};
use crate::errors::{quote, CubeError};
use crate::retry::RetryPolicy;
use crate::transport::{Hooks, Session};
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Every option `new CubeClient(options)` takes (also what the API surface reports).
pub const OPTIONS: &[&str] = &[
    "baseUrl",
    "account",
    "domain",
    "auth",
    "timeoutMs",
    "maxRetries",
    "retryDelayMs",
    "maxRetryAfterMs",
    "concurrency",
    "maxResponseBytes",
    "fetch",
    "onRequest",
    "onResponse",
    "onRetry",
];

fn text(o: &JsParams, key: &str) -> Result<Option<String>, CubeError> {
    match o.get(key) {
        None => Ok(None),
        Some(ParamValue::Str(s)) => Ok(Some(s)),
        Some(_) => Err(CubeError::invalid_argument(
            key,
            format!("{key} must be a string"),
        )),
    }
}

fn number(o: &JsParams, key: &str) -> Result<Option<f64>, CubeError> {
    match o.get(key) {
        None => Ok(None),
        Some(ParamValue::Num(n)) => Ok(Some(n)),
        Some(_) => Err(CubeError::invalid_argument(
            key,
            format!("{key} must be a number"),
        )),
    }
}

fn function(raw: &JsValue, key: &str) -> Result<Option<Function>, CubeError> {
    let v = Reflect::get(raw, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<Function>()
        .map(Some)
        .map_err(|_| CubeError::invalid_argument(key, format!("{key} must be a function")))
}

fn base_url(o: &JsParams) -> Result<BaseUrl, CubeError> {
    match (text(o, "baseUrl")?, text(o, "account")?) {
        (Some(_), Some(_)) => Err(CubeError::invalid_argument("account", "give baseUrl or account, not both")),
        (Some(url), None) => {
            if o.get("domain").is_some() {
                return Err(CubeError::invalid_argument("domain", "domain goes with account, not with baseUrl"));
            }
            BaseUrl::parse(&url)
        }
        (None, Some(account)) => BaseUrl::for_account(&account, &text(o, "domain")?.unwrap_or_else(|| "headshed.com".into())),
        (None, None) => Err(CubeError::invalid_argument(
            "baseUrl",
            "baseUrl (e.g. \"https://ACCOUNT.headshed.com\") or account (e.g. \"ACCOUNT\") is required",
        )),
    }
}

fn auth(raw: &JsValue) -> Result<Auth, CubeError> {
    let value = Reflect::get(raw, &"auth".into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Err(CubeError::invalid_argument(
            "auth",
            "auth is required: { username, password } or { token }",
        ));
    }
    let a = JsParams::new(&value, "CubeClient").map_err(|_| {
        CubeError::invalid_argument("auth", "auth must be { username, password } or { token }")
    })?;
    let field = |k: &str| match a.get(k) {
        None => Ok(None),
        Some(ParamValue::Str(s)) => Ok(Some(s)),
        Some(_) => Err(CubeError::invalid_argument(
            &format!("auth.{k}"),
            format!("auth.{k} must be a string"),
        )),
    };
    check_known("CubeClient", &a, &["username", "password", "token"]).map_err(|e| {
        let key = e.param.clone().unwrap_or_default();
        CubeError::invalid_argument(
            &format!("auth.{key}"),
            format!("auth.{key} is not an auth field; use {{ username, password }} or {{ token }}"),
        )
    })?;
    match (field("username")?, field("password")?, field("token")?) {
        (Some(u), Some(p), None) => Auth::basic(&u, &p),
        (None, None, Some(t)) => Auth::token(&t),
        (Some(_), None, None) => Err(CubeError::invalid_argument(
            "auth.password",
            "auth.password is required with auth.username",
        )),
        (None, Some(_), None) => Err(CubeError::invalid_argument(
            "auth.username",
            "auth.username is required with auth.password",
        )),
        (None, None, None) => Err(CubeError::invalid_argument(
            "auth",
            "auth must be { username, password } or { token }",
        )),
        _ => Err(CubeError::invalid_argument(
            "auth",
            "auth must hold either { username, password } or { token }, not both",
        )),
    }
}

fn global_fetch() -> Result<Function, CubeError> {
    let global = js_sys::global();
    let f = Reflect::get(&global, &"fetch".into()).unwrap_or(JsValue::UNDEFINED);
    let f: Function = f.dyn_into().map_err(|_| {
        CubeError::invalid_argument(
            "fetch",
            "this runtime has no global fetch (Node < 18?): pass one as the fetch option",
        )
    })?;
    // Calling the global fetch unbound throws "Illegal invocation" in browsers.
    Ok(f.bind0(&global))
}

/// The session a client's options describe (checked: every option, the base URL, the auth).
pub fn session(raw: &JsValue) -> Result<Session, CubeError> {
    if !raw.is_object() {
        return Err(CubeError::invalid_argument(
            "options",
            "new CubeClient(options): options must be an object with baseUrl (or account) and auth",
        ));
    }
    let o = JsParams::new(raw, "CubeClient")?;
    if let Some(key) = o
        .keys()
        .into_iter()
        .find(|k| !OPTIONS.contains(&k.as_str()))
    {
        return Err(CubeError::invalid_argument(
            &key,
            format!(
                "new CubeClient(): unknown option {}; expected one of {}",
                quote(&key),
                OPTIONS.join(", ")
            ),
        ));
    }
    let config = ClientConfig {
        base: base_url(&o)?,
        auth: auth(raw)?,
        limits: Limits::new(
            number(&o, "timeoutMs")?,
            number(&o, "concurrency")?,
            number(&o, "maxResponseBytes")?,
        )?,
        retry: RetryPolicy::new(
            number(&o, "maxRetries")?,
            number(&o, "retryDelayMs")?,
            number(&o, "maxRetryAfterMs")?,
        )?,
    };
    let fetch = match function(raw, "fetch")? {
        Some(f) => f,
        None => global_fetch()?,
    };
    let hooks = Hooks {
        on_request: function(raw, "onRequest")?,
        on_response: function(raw, "onResponse")?,
        on_retry: function(raw, "onRetry")?,
    };
    Ok(Session::new(config, fetch, hooks))
}
