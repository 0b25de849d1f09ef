//! Reading a record whose JSON text was already checked (the streaming sync's page reader
//! checks every page in one pass and hands over each record's byte range): the record is
//! split into its fields by a scanner that only finds where each key and value ends, instead
//! of checking the grammar a second time. On text that is not a checked object it gives up
//! (`None`) and the caller reads it the checking way, so it never trusts what it did not see
//! checked.

use crate::text_record::{parse_text_record, Fielder, TextRecord};
use std::borrow::Cow;

/// Splits `text`, one JSON object already checked as such, into a [`TextRecord`]: the same
/// record [`parse_text_record`] reads, without checking the grammar again. Text it cannot
/// follow is read by [`parse_text_record`] (so bad text still gets its error).
pub fn read_checked_record(text: &str) -> serde_json::Result<TextRecord<'_>> {
    match split(text) {
        Some(r) => Ok(r),
        None => parse_text_record(text),
    }
}

fn split(text: &str) -> Option<TextRecord<'_>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut fields = Fielder::new(24);
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then(|| fields.done());
    }
    loop {
        let (key_end, escaped) = string_end(b, i)?;
        let key = if escaped {
            Cow::Owned(serde_json::from_str::<String>(text.get(i..key_end)?).ok()?)
        } else {
            Cow::Borrowed(text.get(i + 1..key_end - 1)?)
        };
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = value_end(b, start)?;
        fields.put(key, text.get(start..end)?);
        i = skip_ws(b, end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    (skip_ws(b, i + 1) == b.len()).then(|| fields.done())
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// Where the string starting at `b[i]` (a `"`) ends (just past its closing quote), and
/// whether it has an escape.
fn string_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        j = next_quote_or_backslash(b, j);
        match b.get(j)? {
            b'"' => return Some((j + 1, escaped)),
            _ => {
                escaped = true;
                j += 2;
            }
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The first `"` or `\` at or after `j` (or the end), eight bytes at a time.
fn next_quote_or_backslash(b: &[u8], mut j: usize) -> usize {
    while let Some(chunk) = b.get(j..j + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found =
            zero_bytes(w ^ (ONES * u64::from(b'"'))) | zero_bytes(w ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            // The lowest marked byte is exact (a false mark can only follow a true one).
            return j + (found.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < b.len() && b[j] != b'"' && b[j] != b'\\' {
        j += 1;
    }
    j
}

/// The high bit of each zero byte of `w` set (and perhaps of bytes after the first zero one).
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGHS
}

/// Where the value starting at `b[i]` ends.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i).map(|(end, _)| end),
        b'{' | b'[' => nested_end(b, i),
        _ => {
            let mut j = i;
            while let Some(&c) = b.get(j) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

/// Where the object or array starting at `b[i]` ends (just past its closing bracket).
fn nested_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        match b.get(j)? {
            b'"' => {
                j = string_end(b, j)?.0;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
        j += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_record_as_the_checking_reader() {
        let texts = [
            r#"{}"#,
            r#" { } "#,
            r#"{"a":1}"#,
            r#"{"id":"007","n":-1.5e+3,"s":"a\"b\\","o":{"x":[true,null,"}"]},"e":[],"f":{}}"#,
            "{ \"a\" :\t\"x\" ,\n\"b\" : [ 1 , { \"c\" : \"]\" } ] , \"z\":false }",
            r#"{"k\u0065y":"\u00e6","a":1,"a":2,"b":3,"a":4}"#,
            r#"{"æøå":"ÆØÅ","x\\":"\\","q\"":"\""}"#,
            r#"{"a":null,"b":true,"c":0,"d":"","e":"\ud83d\ude00"}"#,
            r#"{"long":"0123456789abcdef\"0123456789abcdef\\","k2":"abcdefgh","k3":"abcdefg\""}"#,
            r#"{"a":"\\\\\\\\\"","b":"1234567\\","c":"12345678\\"}"#,
        ];
        for t in texts {
            let fast = split(t).unwrap_or_else(|| panic!("split {t}"));
            assert_eq!(fast, parse_text_record(t).unwrap(), "{t}");
        }
    }

    #[test]
    fn an_escape_at_any_place_of_an_eight_byte_chunk() {
        for len in 0..24 {
            for at in 0..=len {
                for escape in [r#"\""#, r"\\", r"\u00e6", r"\n"] {
                    let mut v = "x".repeat(len);
                    v.insert_str(at, escape);
                    let t = format!(r#"{{"k{at}":"{v}","n":[{{"{v}":"{v}"}}],"z":1}}"#);
                    let fast = split(&t).unwrap_or_else(|| panic!("split {t}"));
                    assert_eq!(fast, parse_text_record(&t).unwrap(), "{t}");
                }
            }
        }
    }

    #[test]
    fn text_it_cannot_follow_is_read_the_checking_way() {
        for bad in [
            "",
            "[]",
            "{",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1"#,
            r#"{"a":"x}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":1} x"#,
            r#"{"a":[1,2}"#,
        ] {
            assert!(split(bad).is_none(), "{bad:?}");
            assert!(read_checked_record(bad).is_err(), "{bad:?}");
        }
    }
}
