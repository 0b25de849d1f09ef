//! `check_top` and `check_envelope` on arbitrary field values. Invariants: no panic; accepted
//! only with a `results` list; `count` a whole number within 2^53; `next` only from a text.
#![no_main]

use arbitrary::Arbitrary;
use cube_integration::endpoints::Shape;
use cube_integration::pagination::{check_envelope, check_top, Field, Kind, TopLevel};
use cube_integration::ErrorCode;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum K {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl From<K> for Kind {
    fn from(k: K) -> Kind {
        match k {
            K::Object => Kind::Object,
            K::Array => Kind::Array,
            K::String => Kind::String,
            K::Number => Kind::Number,
            K::Bool => Kind::Bool,
            K::Null => Kind::Null,
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum F {
    Missing,
    Null,
    Number(f64),
    Text(String),
    Other(K),
}

impl From<F> for Field {
    fn from(f: F) -> Field {
        match f {
            F::Missing => Field::Missing,
            F::Null => Field::Null,
            F::Number(n) => Field::Number(n),
            F::Text(t) => Field::Text(t),
            F::Other(k) => Field::Other(k.into()),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    shape: u8,
    top: K,
    count: F,
    next: F,
    results: Option<K>,
}

const URL: &str = "https://acme.headshed.com/api/v1/call_outcomes/";

fuzz_target!(|input: Input| {
    let shape = [Shape::Object, Shape::Array, Shape::Pages][usize::from(input.shape % 3)];
    match check_top(shape, input.top.into(), URL) {
        Ok(TopLevel::Envelope) => assert!(shape == Shape::Pages && matches!(input.top, K::Object)),
        Ok(TopLevel::Whole) => assert!(matches!(
            (shape, input.top),
            (Shape::Object, K::Object) | (Shape::Array, K::Array) | (Shape::Pages, K::Array)
        )),
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidResponse),
    }
    let result = check_envelope(
        input.count.clone().into(),
        input.next.clone().into(),
        input.results.map(Kind::from),
        URL,
    );
    match result {
        Ok((count, next)) => {
            assert!(
                matches!(input.results, Some(K::Array)),
                "accepted without a results list"
            );
            match (&input.count, count) {
                (F::Missing | F::Null, None) => {}
                (F::Number(n), Some(c)) => {
                    assert!(
                        n.fract() == 0.0
                            && *n >= 0.0
                            && c as f64 == *n
                            && c <= 9_007_199_254_740_991
                    )
                }
                other => panic!("count {other:?}"),
            }
            match (&input.next, next) {
                (F::Missing | F::Null, None) => {}
                (F::Text(t), Some(n)) => assert_eq!(t, &n),
                other => panic!("next {other:?}"),
            }
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidResponse);
            assert_eq!(e.url.as_deref(), Some(URL));
        }
    }
});
