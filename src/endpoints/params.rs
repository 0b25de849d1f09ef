//! Reading and checking call parameters. The JS edge implements [`ParamSource`] over a JS
//! object; tests use a map. Every check names the parameter in camelCase, as the caller
//! wrote it.

use super::dates::{parse_date, Date};
use crate::errors::{quote, CubeError};

#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Str(String),
    Num(f64),
    Bool(bool),
    /// Anything else, by its JS type name (`object`, `function`, …).
    Other(String),
}

pub trait ParamSource {
    /// The value of `key`; `None` for missing, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<ParamValue>;
    /// Every key the caller passed (to catch typos such as `dataownerId`).
    fn keys(&self) -> Vec<String>;
}

impl ParamSource for Vec<(&str, ParamValue)> {
    fn get(&self, key: &str) -> Option<ParamValue> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
    }
    fn keys(&self) -> Vec<String> {
        self.iter().map(|(k, _)| k.to_string()).collect()
    }
}

fn describe(v: &ParamValue) -> String {
    match v {
        ParamValue::Str(s) => quote(s),
        ParamValue::Num(n) => format!("{n}"),
        ParamValue::Bool(b) => format!("{b}"),
        ParamValue::Other(t) => format!("a value of type {t}"),
    }
}

/// Refuse keys the call does not know.
pub fn check_known(
    method: &str,
    params: &dyn ParamSource,
    allowed: &[&str],
) -> Result<(), CubeError> {
    for key in params.keys() {
        if !allowed.contains(&key.as_str()) {
            let expected = if allowed.is_empty() {
                "no parameters".to_string()
            } else {
                allowed.join(", ")
            };
            return Err(CubeError::invalid_argument(
                &key,
                format!(
                    "{method}(): unknown parameter {}; expected {expected}",
                    quote(&key)
                ),
            ));
        }
    }
    Ok(())
}

/// A positive integer id (a whole number, or a string of digits).
pub fn id(method: &str, params: &dyn ParamSource, key: &str) -> Result<Option<u64>, CubeError> {
    let Some(v) = params.get(key) else {
        return Ok(None);
    };
    let parsed = match &v {
        ParamValue::Num(n)
            if n.is_finite() && n.fract() == 0.0 && *n >= 1.0 && *n <= 9_007_199_254_740_991.0 =>
        {
            Some(*n as u64)
        }
        ParamValue::Str(s)
            if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse::<u64>().ok().filter(|n| *n >= 1)
        }
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        CubeError::invalid_argument(
            key,
            format!(
                "{method}(): {key} must be a positive integer id, got {}",
                describe(&v)
            ),
        )
    })
}

pub fn required_id(method: &str, params: &dyn ParamSource, key: &str) -> Result<u64, CubeError> {
    id(method, params, key)?.ok_or_else(|| missing(method, key, "a positive integer id"))
}

fn missing(method: &str, key: &str, what: &str) -> CubeError {
    CubeError::invalid_argument(key, format!("{method}(): {key} is required ({what})"))
}

/// `B2C` or `B2B` (any case).
pub fn crm_type(method: &str, params: &dyn ParamSource) -> Result<Option<&'static str>, CubeError> {
    let Some(v) = params.get("crmType") else {
        return Ok(None);
    };
    match &v {
        ParamValue::Str(s) if s.eq_ignore_ascii_case("B2C") => Ok(Some("B2C")),
        ParamValue::Str(s) if s.eq_ignore_ascii_case("B2B") => Ok(Some("B2B")),
        _ => Err(CubeError::invalid_argument(
            "crmType",
            format!(
                "{method}(): crmType must be \"B2C\" or \"B2B\", got {}",
                describe(&v)
            ),
        )),
    }
}

pub fn required_crm_type(
    method: &str,
    params: &dyn ParamSource,
) -> Result<&'static str, CubeError> {
    crm_type(method, params)?.ok_or_else(|| missing(method, "crmType", "\"B2C\" or \"B2B\""))
}

/// A non-empty text value (numbers are taken as their decimal text).
pub fn text(
    method: &str,
    params: &dyn ParamSource,
    key: &str,
    max_len: usize,
) -> Result<Option<String>, CubeError> {
    let Some(v) = params.get(key) else {
        return Ok(None);
    };
    let s = match &v {
        ParamValue::Str(s) => s.clone(),
        ParamValue::Num(n) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 => format!("{n}"),
        _ => String::new(),
    };
    if s.trim().is_empty() || s.len() > max_len || s.chars().any(char::is_control) {
        return Err(CubeError::invalid_argument(
            key,
            format!("{method}(): {key} must be a non-empty text of at most {max_len} characters without control characters, got {}", describe(&v)),
        ));
    }
    Ok(Some(s))
}

/// A date given as `YYYY-MM-DD` or `YYYYMMDD` (the JS edge turns `Date` objects into the first form).
pub fn date(method: &str, params: &dyn ParamSource, key: &str) -> Result<Option<Date>, CubeError> {
    let Some(v) = params.get(key) else {
        return Ok(None);
    };
    let parsed = match &v {
        ParamValue::Str(s) => parse_date(s),
        ParamValue::Num(n) if n.fract() == 0.0 && *n >= 10_000_101.0 && *n <= 99_991_231.0 => {
            parse_date(&format!("{n}"))
        }
        _ => None,
    };
    parsed.map(Some).ok_or_else(|| {
        CubeError::invalid_argument(
            key,
            format!("{method}(): {key} must be a Date, \"YYYY-MM-DD\" or \"YYYYMMDD\" (a real calendar date), got {}", describe(&v)),
        )
    })
}

/// A page number to start from (resuming a read).
pub fn start_page(method: &str, params: &dyn ParamSource) -> Result<u32, CubeError> {
    let Some(v) = params.get("page") else {
        return Ok(1);
    };
    match &v {
        ParamValue::Num(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1_000_000.0 => Ok(*n as u32),
        _ => Err(CubeError::invalid_argument(
            "page",
            format!(
                "{method}(): page must be a whole number from 1, got {}",
                describe(&v)
            ),
        )),
    }
}
