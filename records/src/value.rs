//! How record values are read as text and compared.
//!
//! # Loose comparison (the default)
//!
//! With `loose: true` two values are equal when their *canonical text* is equal:
//!
//! * a missing field, `null` and `""` are all *empty*, and equal to each other;
//! * a string is its own text, exactly (no trimming, no case folding): `"Oslo" != "oslo "`;
//! * a number is its decimal text, with integral values written without a fraction:
//!   `233`, `233.0` and `"233"` are equal; `"233.0"`, `"0233"` and `" 233"` are not equal to `233`;
//! * a boolean is `"true"` / `"false"`: `true == "true"`, but `true != 1`;
//! * arrays and objects are their compact JSON text.
//!
//! This is an equivalence relation (it only compares canonical texts), so it can also be
//! fingerprinted.
//!
//! # Strict comparison
//!
//! With `loose: false` values are compared as JSON values (`"233" != 233`, `233 != 233.0`,
//! `"" != null`); only a missing field and `null` are the same.

use serde_json::Value;
use std::borrow::Cow;

/// The text a value is shown as in CSV/XLSX and in the customer view:
/// strings as they are, numbers in decimal, booleans as `true`/`false`, `null` as `""`,
/// arrays and objects as compact JSON.
pub fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        Value::Number(n) => Cow::Owned(n.to_string()),
        other => Cow::Owned(other.to_string()),
    }
}

/// Canonical text of a value for loose comparison; `None` when the value is empty.
pub fn canonical(value: Option<&Value>) -> Option<Cow<'_, str>> {
    match value? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Number(n) => Some(Cow::Owned(number_text(n))),
        other => Some(text(other)),
    }
}

/// Decimal text of a number; integral floats lose their `.0` (`233.0` → `233`).
fn number_text(n: &serde_json::Number) -> String {
    if n.is_f64() {
        if let Some(f) = n.as_f64() {
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                return format!("{}", f as i64);
            }
        }
    }
    n.to_string()
}

/// Whether two field values are equal under the given mode (see the module docs).
pub fn same(a: Option<&Value>, b: Option<&Value>, loose: bool) -> bool {
    if loose {
        // Fast path for the common case: identical strings.
        match (a, b) {
            (Some(Value::String(x)), Some(Value::String(y))) => return x == y,
            (Some(x), Some(y)) if x == y => return true,
            _ => {}
        }
        canonical(a) == canonical(b)
    } else {
        let null = Value::Null;
        a.unwrap_or(&null) == b.unwrap_or(&null)
    }
}

/// A small stable 64-bit hash (word-at-a-time multiply-rotate, FNV-style tail, final mix),
/// the same on every platform.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn bytes(mut self, bytes: &[u8]) -> Self {
        // Eight bytes a step (little-endian words, so the same on every platform).
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    pub(crate) fn finish(self) -> u64 {
        // splitmix64 finaliser: spreads the bits so sums of field hashes stay well mixed.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Hash of one field value under the given mode; `None` when it counts as absent.
///
/// Equal values (per [`same`]) hash the same.
pub(crate) fn field_hash(field: &str, value: &Value, loose: bool) -> Option<u64> {
    if let Value::String(s) = value {
        return string_hash(field, s, loose);
    }
    let h = Fnv::new().bytes(field.as_bytes()).bytes(&[0]);
    if loose {
        // Integers are hashed from their digits without allocating.
        if let Value::Number(n) = value {
            let i = n.as_i64().or_else(|| {
                let f = n.as_f64()?;
                (f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0).then_some(f as i64)
            });
            if let Some(i) = i {
                let mut buf = [0u8; 20];
                return Some(h.bytes(decimal(i, &mut buf)).finish());
            }
        }
        let c = canonical(Some(value))?;
        Some(h.bytes(c.as_bytes()).finish())
    } else {
        if value.is_null() {
            return None;
        }
        // Strings are tagged `s` (above) so that `"233"` and `233` differ.
        Some(h.bytes(b"j").bytes(value.to_string().as_bytes()).finish())
    }
}

/// [`field_hash`] of a string value.
pub(crate) fn string_hash(field: &str, s: &str, loose: bool) -> Option<u64> {
    let h = Fnv::new().bytes(field.as_bytes()).bytes(&[0]);
    match (loose, s.is_empty()) {
        (true, true) => None,
        (true, false) => Some(h.bytes(s.as_bytes()).finish()),
        (false, _) => Some(h.bytes(b"s").bytes(s.as_bytes()).finish()),
    }
}

/// Decimal digits of `i` written at the end of `buf` (same text as `i.to_string()`).
fn decimal(i: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loose_rules() {
        let eq = |a: Value, b: Value| same(Some(&a), Some(&b), true);
        assert!(eq(json!("233"), json!(233)));
        assert!(eq(json!(233.0), json!(233)));
        assert!(eq(json!(""), json!(null)));
        assert!(same(None, Some(&json!("")), true));
        assert!(eq(json!(true), json!("true")));
        assert!(!eq(json!("0233"), json!(233)));
        assert!(!eq(json!("233.0"), json!(233)));
        assert!(!eq(json!(true), json!(1)));
        assert!(!eq(json!("a "), json!("a")));
    }

    #[test]
    fn strict_rules() {
        let eq = |a: Value, b: Value| same(Some(&a), Some(&b), false);
        assert!(!eq(json!("233"), json!(233)));
        assert!(!eq(json!(""), json!(null)));
        assert!(same(None, Some(&json!(null)), false));
        assert!(eq(json!("x"), json!("x")));
    }

    #[test]
    fn equal_values_hash_equal() {
        let h = |v: Value, loose| field_hash("f", &v, loose);
        assert_eq!(h(json!("233"), true), h(json!(233.0), true));
        assert_eq!(h(json!(""), true), None);
        assert_ne!(h(json!("233"), false), h(json!(233), false));
        assert_eq!(h(json!(-12), true), h(json!("-12"), true));
        assert_eq!(
            h(json!(i64::MIN), true),
            h(json!(i64::MIN.to_string()), true)
        );
        assert_eq!(
            h(json!(u64::MAX), true),
            h(json!(u64::MAX.to_string()), true)
        );
    }
}
