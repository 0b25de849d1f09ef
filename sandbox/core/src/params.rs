//! Query and path parameters: decoding, and validation with 400s naming the parameter.

use crate::data::tenant::CrmType;
use crate::dates::Date;
use crate::error::ApiError;

/// Decoded `key=value` pairs of a query string, in order.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space).
pub fn decode(s: &str) -> String {
    percent_decode(s, true)
}

/// A path segment's decoding, as a router hands a path parameter to a handler (`+` stays).
pub fn decode_segment(s: &str) -> String {
    percent_decode(s, false)
}

/// `%XX` escapes to bytes (a malformed one stays as it is), then UTF-8, lossily.
fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let escaped = s.contains('%') || (plus_is_space && s.contains('+'));
    if !escaped {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' => {
                match s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encoding for building links (like Python's `quote_plus`).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn int_param(name: &'static str, value: &str) -> Result<u32, ApiError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            ApiError::bad_param(
                name,
                format!("Invalid {name} '{value}': expected an integer"),
            )
        })
}

pub fn crm_type_param(value: &str) -> Result<CrmType, ApiError> {
    CrmType::parse(value).ok_or_else(|| {
        ApiError::bad_param(
            "crm_type",
            format!("Invalid crm_type '{value}': expected B2C or B2B"),
        )
    })
}

pub fn date_param(name: &'static str, value: &str) -> Result<Date, ApiError> {
    Date::parse_compact(value).ok_or_else(|| {
        ApiError::bad_param(
            name,
            format!("Invalid {name} '{value}': expected a date as YYYYMMDD"),
        )
    })
}

/// `from_date`/`to_date`: both given → that range; either missing → today only.
pub fn date_range(
    query: &[(String, String)],
    from_name: &'static str,
    to_name: &'static str,
    today: Date,
) -> Result<(Date, Date), ApiError> {
    let get = |n: &str| query.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let from = get(from_name)
        .map(|v| date_param(from_name, v))
        .transpose()?;
    let to = get(to_name).map(|v| date_param(to_name, v)).transpose()?;
    match (from, to) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => Ok((today, today)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_encodes() {
        assert_eq!(decode("Not+reached"), "Not reached");
        assert_eq!(decode("Not%20reached%"), "Not reached%");
        assert_eq!(decode("%C3%B8"), "ø");
        assert_eq!(decode_segment("a+b%2Fc%"), "a+b/c%", "a path keeps its +");
        assert_eq!(encode("Not reached/ø"), "Not+reached%2F%C3%B8");
        assert_eq!(
            parse_query("a=1&&b=x+y&c"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "".into())
            ]
        );
    }

    #[test]
    fn validates() {
        assert_eq!(int_param("data_owner_id", "12").unwrap(), 12);
        let e = int_param("data_owner_id", "+1").unwrap_err();
        assert_eq!(e.param, Some("data_owner_id"));
        assert!(crm_type_param("b2c").is_err());
        assert!(date_param("from_date", "2026-11-01").is_err());
    }
}
