//! The rules a response body must follow, in one place, whoever parsed it.
//!
//! In the browser and Node the engine's own `JSON.parse` builds the records (the fastest way
//! to get JS objects; see BENCHMARKS.md) and the transport reads the few envelope fields
//! from the result; natively (tests, fuzzing) and to explain a body `JSON.parse` refused,
//! [`parse_body`] reads the same fields with serde, and so does the streaming sync's one-pass
//! reader (`page_text.rs`). All hand them to [`check_top`] and [`check_envelope`], so the rules
//! cannot drift apart.

use crate::endpoints::Shape;
use crate::errors::{CubeError, ErrorCode};
#[cfg(any(test, feature = "reference"))]
use serde::Deserialize;
use serde_json::value::RawValue;

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "a list",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
        }
    }

    /// The kind of a JSON text from its first character.
    pub fn of_json(text: &str) -> Kind {
        match text.trim_start().chars().next() {
            Some('{') => Kind::Object,
            Some('[') => Kind::Array,
            Some('"') => Kind::String,
            Some('n') => Kind::Null,
            Some('t') | Some('f') => Kind::Bool,
            _ => Kind::Number,
        }
    }
}

/// An envelope field as read from a parsed body.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Missing,
    Null,
    Number(f64),
    Text(String),
    Other(Kind),
}

/// How a body's top level is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopLevel {
    /// The whole body is the answer (an object or a bare array).
    Whole,
    /// A `{count, next, previous, results}` page.
    Envelope,
}

pub fn check_top(shape: Shape, top: Kind, url: &str) -> Result<TopLevel, CubeError> {
    match (shape, top) {
        (Shape::Object, Kind::Object) | (Shape::Array, Kind::Array) => Ok(TopLevel::Whole),
        // Legacy installations answer lists with a bare array: one page, no `next`.
        (Shape::Pages, Kind::Array) => Ok(TopLevel::Whole),
        (Shape::Pages, Kind::Object) => Ok(TopLevel::Envelope),
        (shape, got) => {
            let want = match shape {
                Shape::Object => "a JSON object",
                Shape::Array => "a JSON array",
                Shape::Pages => "a page of records",
            };
            Err(CubeError::invalid_response(
                url,
                format!("expected {want} from {url}, got {}", got.described()),
            ))
        }
    }
}

/// Check a page envelope's fields; returns `count` and `next`.
pub fn check_envelope(
    count: Field,
    next: Field,
    results: Option<Kind>,
    url: &str,
) -> Result<(Option<u64>, Option<String>), CubeError> {
    match results {
        None => {
            return Err(CubeError::invalid_response(
                url,
                format!("the page from {url} has no `results` list (expected {{count, next, previous, results}})"),
            ))
        }
        Some(Kind::Array) => {}
        Some(other) => {
            return Err(CubeError::invalid_response(url, format!("expected `results` to be a list from {url}, got {}", other.described())))
        }
    }
    let count = match count {
        Field::Missing | Field::Null => None,
        Field::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => {
            Some(n as u64)
        }
        other => {
            return Err(CubeError::invalid_response(
                url,
                format!("the page from {url} has a `count` that is not a whole number: {other:?}"),
            ))
        }
    };
    let next = match next {
        Field::Missing | Field::Null => None,
        Field::Text(link) => Some(link),
        _ => {
            return Err(CubeError::invalid_response(
                url,
                format!("the page from {url} has a `next` that is neither a link nor null"),
            ))
        }
    };
    Ok((count, next))
}

/// Why a body is not JSON at all, as precisely as can be said.
pub fn not_json(bytes: &[u8], url: &str) -> CubeError {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return CubeError::invalid_response(
                url,
                format!(
                    "the response from {url} is not valid UTF-8 (at byte {})",
                    e.valid_up_to()
                ),
            )
        }
    };
    match text.trim_start().chars().next() {
        Some('<') => CubeError::invalid_response(
            url,
            format!("{url} answered with an HTML page instead of JSON (a login page, or a proxy's error page?); check the base URL"),
        ),
        None => {
            let mut e = CubeError::invalid_response(url, format!("{url} answered with an empty body instead of JSON"));
            e.transient = true;
            e
        }
        _ => match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => CubeError::invalid_response(url, format!("the response from {url} could not be read")),
            Err(e) => {
                let truncated = e.classify() == serde_json::error::Category::Eof;
                let what = if truncated { "ends too early (a truncated response)" } else { "is not valid JSON" };
                let mut err = CubeError::new(ErrorCode::InvalidResponse, format!("the response from {url} {what}: {e}")).with_url(url);
                // A cut-off body is a transport accident: the same request may well succeed.
                err.transient = truncated;
                err
            }
        },
    }
}

#[cfg(any(test, feature = "reference"))]
/// A checked body (native parse). `records` is the JSON text of the answer: the object, the
/// array, or a page's `results`.
#[derive(Debug)]
pub struct ParsedBody<'a> {
    pub records: &'a str,
    pub count: Option<u64>,
    pub next: Option<String>,
}

#[cfg(any(test, feature = "reference"))]
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow)]
    count: Option<&'a RawValue>,
    #[serde(default, borrow)]
    next: Option<&'a RawValue>,
    #[serde(default, borrow)]
    results: Option<&'a RawValue>,
}

pub(super) fn field(raw: Option<&RawValue>) -> Field {
    let Some(raw) = raw else {
        return Field::Missing;
    };
    match Kind::of_json(raw.get()) {
        Kind::Null => Field::Null,
        Kind::Number => raw
            .get()
            .parse()
            .map(Field::Number)
            .unwrap_or(Field::Other(Kind::Number)),
        Kind::String => serde_json::from_str(raw.get())
            .map(Field::Text)
            .unwrap_or(Field::Other(Kind::String)),
        other => Field::Other(other),
    }
}

/// Parse and check a body natively, with the same rules as the JS path.
#[cfg(any(test, feature = "reference"))]
pub fn parse_body<'a>(
    bytes: &'a [u8],
    shape: Shape,
    url: &str,
) -> Result<ParsedBody<'a>, CubeError> {
    let text = std::str::from_utf8(bytes).map_err(|_| not_json(bytes, url))?;
    let whole: &RawValue = serde_json::from_str(text).map_err(|_| not_json(bytes, url))?;
    match check_top(shape, Kind::of_json(whole.get()), url)? {
        TopLevel::Whole => Ok(ParsedBody {
            records: whole.get(),
            count: None,
            next: None,
        }),
        TopLevel::Envelope => {
            let env: Envelope = serde_json::from_str(text).map_err(|_| not_json(bytes, url))?;
            let results = env.results.map(|r| Kind::of_json(r.get()));
            let (count, next) = check_envelope(field(env.count), field(env.next), results, url)?;
            Ok(ParsedBody {
                records: env.results.map(RawValue::get).unwrap_or("[]"),
                count,
                next,
            })
        }
    }
}

/// How many items a JSON array text holds, checking each is an object.
#[cfg(any(test, feature = "reference"))]
pub fn count_items(array_text: &str) -> Result<usize, String> {
    let items: Vec<&RawValue> = serde_json::from_str(array_text).map_err(|e| e.to_string())?;
    if let Some(bad) = items.iter().position(|i| !i.get().starts_with('{')) {
        return Err(format!("item {bad} is not an object"));
    }
    Ok(items.len())
}
