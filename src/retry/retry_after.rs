//! `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).

use super::http_date;

/// Milliseconds to wait, from a `Retry-After` value, relative to `now_ms` (Unix ms).
/// `None` for a value that is neither form. A date in the past means "now" (0).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u64 = value.parse().unwrap_or(u64::MAX);
        return Some(secs.saturating_mul(1000));
    }
    let at = http_date::parse_unix_seconds(value)?;
    let wait = (at as f64) * 1000.0 - now_ms;
    Some(if wait <= 0.0 { 0 } else { wait.ceil() as u64 })
}
