//! Reading a response body: checking it is the JSON Cube documents and locating the records,
//! without building them — the records' text is handed to the JS engine's own `JSON.parse`
//! (see the benchmarks for why).

use crate::endpoints::Shape;
use crate::errors::{CubeError, ErrorCode};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A checked body. `records` is the JSON text of the records: one object for
/// [`Shape::Object`], an array otherwise.
#[derive(Debug)]
pub struct Body<'a> {
    pub records: &'a str,
    pub count: Option<u64>,
    /// The server's `next` link, only for reading its page number.
    pub next: Option<String>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    count: Option<serde_json::Number>,
    #[serde(default, borrow)]
    next: Option<&'a RawValue>,
    #[serde(default, borrow)]
    results: Option<&'a RawValue>,
}

pub fn parse_body<'a>(bytes: &'a [u8], shape: Shape, url: &str) -> Result<Body<'a>, CubeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        CubeError::invalid_response(
            url,
            format!(
                "the response from {url} is not valid UTF-8 (at byte {})",
                e.valid_up_to()
            ),
        )
    })?;
    let first = text.trim_start().chars().next();
    match first {
        Some('<') => {
            return Err(CubeError::invalid_response(
                url,
                format!("{url} answered with an HTML page instead of JSON (a login page, or a proxy's error page?); check the base URL"),
            ))
        }
        None => {
            let mut e = CubeError::invalid_response(url, format!("{url} answered with an empty body instead of JSON"));
            e.transient = true;
            return Err(e);
        }
        _ => {}
    }
    match shape {
        Shape::Object => {
            let raw = parse_json::<&RawValue>(text, url)?;
            expect_kind(raw.get(), '{', "a JSON object", url)?;
            Ok(Body {
                records: raw.get(),
                count: None,
                next: None,
            })
        }
        Shape::Array => {
            let raw = parse_json::<&RawValue>(text, url)?;
            expect_kind(raw.get(), '[', "a JSON array", url)?;
            Ok(Body {
                records: raw.get(),
                count: None,
                next: None,
            })
        }
        Shape::Pages if first == Some('[') => {
            // Legacy installations answer lists with a bare array: one page, no `next`.
            let raw = parse_json::<&RawValue>(text, url)?;
            Ok(Body {
                records: raw.get(),
                count: None,
                next: None,
            })
        }
        Shape::Pages => {
            let env = parse_json::<Envelope>(text, url)?;
            let results = env.results.ok_or_else(|| {
                CubeError::invalid_response(url, format!("the page from {url} has no `results` list (expected {{count, next, previous, results}})"))
            })?;
            expect_kind(results.get(), '[', "`results` to be a list", url)?;
            let count = match env.count {
                None => None,
                Some(n) => Some(n.as_u64().ok_or_else(|| {
                    CubeError::invalid_response(
                        url,
                        format!(
                            "the page from {url} has a `count` that is not a whole number: {n}"
                        ),
                    )
                })?),
            };
            let next = match env.next.map(|n| n.get()) {
                None | Some("null") => None,
                Some(raw) => Some(serde_json::from_str::<String>(raw).map_err(|_| {
                    CubeError::invalid_response(
                        url,
                        format!("the page from {url} has a `next` that is neither a link nor null"),
                    )
                })?),
            };
            Ok(Body {
                records: results.get(),
                count,
                next,
            })
        }
    }
}

fn parse_json<'a, T: Deserialize<'a>>(text: &'a str, url: &str) -> Result<T, CubeError> {
    serde_json::from_str(text).map_err(|e| {
        let truncated = e.classify() == serde_json::error::Category::Eof;
        let what = if truncated {
            "ends too early (a truncated response)"
        } else {
            "is not valid JSON"
        };
        let mut err = CubeError::new(
            ErrorCode::InvalidResponse,
            format!("the response from {url} {what}: {e}"),
        )
        .with_url(url);
        // A cut-off body is a transport accident: the same request may well succeed.
        err.transient = truncated;
        err
    })
}

fn expect_kind(raw: &str, open: char, what: &str, url: &str) -> Result<(), CubeError> {
    if raw.starts_with(open) {
        return Ok(());
    }
    let got = match raw.chars().next() {
        Some('{') => "an object",
        Some('[') => "a list",
        Some('"') => "a string",
        Some('n') => "null",
        Some('t') | Some('f') => "a boolean",
        _ => "a number",
    };
    Err(CubeError::invalid_response(
        url,
        format!("expected {what} from {url}, got {got}"),
    ))
}

/// How many items a JSON array text holds, checking each is an object (native callers and
/// tests; in the browser the engine's `JSON.parse` result gives the length for free).
pub fn count_items(array_text: &str) -> Result<usize, String> {
    let items: Vec<&RawValue> = serde_json::from_str(array_text).map_err(|e| e.to_string())?;
    if let Some(bad) = items.iter().position(|i| !i.get().starts_with('{')) {
        return Err(format!("item {bad} is not an object"));
    }
    Ok(items.len())
}
