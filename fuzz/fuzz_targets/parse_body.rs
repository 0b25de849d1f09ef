//! The response parser: `parse_body` with each `Shape`, and `not_json`, on arbitrary bytes.
//! Invariants: no panic; every refusal is `invalid_response` with the URL; an accepted body
//! is JSON of the right shape (never an HTML page); a page's `records` is a JSON list.
#![no_main]

use cube_integration::endpoints::Shape;
use cube_integration::pagination::{count_items, not_json, parse_body};
use cube_integration::ErrorCode;
use libfuzzer_sys::fuzz_target;

const URL: &str = "https://acme.headshed.com/api/v1/data_owners/1/B2C/customers/";

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let shape = match selector % 3 {
        0 => Shape::Object,
        1 => Shape::Array,
        _ => Shape::Pages,
    };
    let e = not_json(body, URL);
    assert_eq!(e.code, ErrorCode::InvalidResponse);
    assert_eq!(e.url.as_deref(), Some(URL));

    let looks_like_html = std::str::from_utf8(body)
        .map(|t| t.trim_start().starts_with('<'))
        .unwrap_or(false);
    match parse_body(body, shape, URL) {
        Ok(parsed) => {
            assert!(!looks_like_html, "an HTML body was accepted");
            let text = std::str::from_utf8(body).expect("accepted bytes are UTF-8");
            serde_json::from_str::<serde::de::IgnoredAny>(text).expect("accepted body is JSON");
            serde_json::from_str::<serde::de::IgnoredAny>(parsed.records)
                .expect("records are JSON");
            let first = parsed.records.trim_start().chars().next();
            match shape {
                Shape::Object => assert_eq!(first, Some('{')),
                Shape::Array | Shape::Pages => assert_eq!(first, Some('[')),
            }
            if shape != Shape::Pages {
                assert!(parsed.count.is_none() && parsed.next.is_none());
            }
            if let Some(count) = parsed.count {
                assert!(count <= 9_007_199_254_740_991);
            }
            if first == Some('[') {
                let _ = count_items(parsed.records);
            }
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidResponse, "{}", e.message);
            assert_eq!(e.url.as_deref(), Some(URL));
            assert!(!e.message.is_empty());
        }
    }
});
