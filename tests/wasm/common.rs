//! Test bodies shared by the Node and the browser wasm test binaries: the transport layer
//! against a real sandbox over real HTTP. `cargo xtask test` starts the sandbox and passes
//! its URL and credentials at compile time.

use cube_integration::js::RawClient;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn env(name: &str, value: Option<&'static str>) -> &'static str {
    value.unwrap_or_else(|| panic!("{name} is not set: run these tests with `cargo xtask test`"))
}

fn url() -> &'static str {
    env("CUBE_SANDBOX_URL", option_env!("CUBE_SANDBOX_URL"))
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn basic_client() -> RawClient {
    let auth = obj(&[
        (
            "username",
            env("CUBE_SANDBOX_USER", option_env!("CUBE_SANDBOX_USER")).into(),
        ),
        (
            "password",
            env(
                "CUBE_SANDBOX_PASSWORD",
                option_env!("CUBE_SANDBOX_PASSWORD"),
            )
            .into(),
        ),
    ]);
    RawClient::new(obj(&[("baseUrl", url().into()), ("auth", auth)]))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn token_client(token: &str) -> RawClient {
    let auth = obj(&[("token", token.into())]);
    RawClient::new(obj(&[
        ("baseUrl", url().into()),
        ("auth", auth),
        ("maxRetries", 0.into()),
    ]))
    .unwrap()
}

#[wasm_bindgen_test]
async fn who_am_i_with_utf8_basic_credentials() {
    let me =
        JsFuture::from(basic_client().call("whoAmI", JsValue::UNDEFINED, None, JsValue::UNDEFINED))
            .await
            .unwrap();
    assert_eq!(
        get(&me, "username").as_string().as_deref(),
        option_env!("CUBE_SANDBOX_USER")
    );
}

#[wasm_bindgen_test]
async fn who_am_i_with_a_token() {
    let token = env("CUBE_SANDBOX_TOKEN", option_env!("CUBE_SANDBOX_TOKEN"));
    let me = JsFuture::from(token_client(token).call(
        "whoAmI",
        JsValue::UNDEFINED,
        None,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert!(get(&me, "username").is_string());
}

#[wasm_bindgen_test]
async fn a_wrong_token_is_unauthorized_and_not_echoed() {
    let err = JsFuture::from(token_client("wrong-secret-token").call(
        "whoAmI",
        JsValue::UNDEFINED,
        None,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("unauthorized")
    );
    assert_eq!(get(&err, "status").as_f64(), Some(401.0));
    assert!(!get(&err, "message")
        .as_string()
        .unwrap()
        .contains("wrong-secret-token"));
}

#[wasm_bindgen_test]
async fn a_paged_read_delivers_count_records_in_order() {
    let params = obj(&[("dataOwnerId", 1.into()), ("crmType", "B2C".into())]);
    let pages = basic_client()
        .pages("customers", params, JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    let mut loaded = 0u32;
    let mut numbers = vec![];
    let mut total = None;
    loop {
        let page = JsFuture::from(pages.next()).await.unwrap();
        if page.is_null() {
            break;
        }
        numbers.push(get(&page, "page").as_f64().unwrap() as u32);
        total = get(&page, "total").as_f64();
        loaded += get(&page, "records")
            .unchecked_into::<js_sys::Array>()
            .length();
    }
    assert!(numbers.len() >= 2, "several pages: {numbers:?}");
    assert_eq!(numbers, (1..=numbers.len() as u32).collect::<Vec<_>>());
    assert_eq!(Some(f64::from(loaded)), total);
}

#[wasm_bindgen_test]
async fn bad_parameters_fail_before_any_request() {
    let params = obj(&[("dataOwnerId", (-1).into()), ("crmType", "B2C".into())]);
    let err = basic_client()
        .pages("customers", params, JsValue::UNDEFINED, JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        get(&err, "param").as_string().as_deref(),
        Some("dataOwnerId")
    );
}

#[wasm_bindgen_test]
async fn an_aborted_signal_stops_the_call() {
    let controller = web_sys_free_abort();
    let err = JsFuture::from(basic_client().call("whoAmI", JsValue::UNDEFINED, None, controller))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("aborted"));
}

/// An already-aborted `AbortSignal`, via the global constructor.
fn web_sys_free_abort() -> JsValue {
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &"AbortController".into())
        .unwrap()
        .unchecked_into();
    let controller = Reflect::construct(&ctor, &js_sys::Array::new()).unwrap();
    let abort: js_sys::Function = get(&controller, "abort").unchecked_into();
    abort.call0(&controller).unwrap();
    get(&controller, "signal")
}

/// The error of a call to a port nobody listens on (what each runtime says is tested by the
/// Node and browser binaries: only browsers can blame CORS).
pub async fn unreachable_error() -> JsValue {
    let auth = obj(&[("token", "t0ken-never-sent".into())]);
    let client = RawClient::new(obj(&[
        ("baseUrl", "http://127.0.0.1:54321".into()),
        ("auth", auth),
        ("maxRetries", 0.into()),
    ]))
    .unwrap();
    let err = JsFuture::from(client.call("whoAmI", JsValue::UNDEFINED, None, JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("network"));
    err
}

pub fn field(v: &JsValue, k: &str) -> JsValue {
    get(v, k)
}

/// `cargo xtask test` starts the sandbox with a `redirect` fault on this route: every runtime
/// (Node, Chromium, Firefox) refuses the redirect with the same error, and does not retry it.
#[wasm_bindgen_test]
async fn a_redirect_is_refused_with_the_same_error_in_every_runtime() {
    let err = JsFuture::from(basic_client().call(
        "clientAccessCampaigns",
        JsValue::UNDEFINED,
        None,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap_err();
    let target = format!("{}/api/v1/client_access/campaigns", url());
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("invalid_response")
    );
    assert_eq!(
        get(&err, "message").as_string(),
        Some(format!("GET {target} was answered with a redirect, which is never followed (the credentials go only to the configured origin): set baseUrl to the address that answers itself, e.g. https://ACCOUNT.headshed.com, not an old, http:// or proxy address that forwards to it"))
    );
    assert_eq!(get(&err, "url").as_string(), Some(target));
    assert!(get(&err, "status").is_undefined() || get(&err, "status").is_null());
    assert_eq!(get(&err, "retries").as_f64(), Some(0.0));
}
