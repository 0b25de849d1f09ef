use super::http_date::parse_unix_seconds;
use super::*;
use crate::errors::{CubeError, ErrorCode};

fn status(s: u16) -> CubeError {
    CubeError::from_status(s, "http://127.0.0.1/x", b"")
}

#[test]
fn http_dates_in_all_three_forms() {
    assert_eq!(
        parse_unix_seconds("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_unix_seconds("Sunday, 06-Nov-94 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_unix_seconds("Sun Nov  6 08:49:37 1994"),
        Some(784_111_777)
    );
    assert_eq!(parse_unix_seconds("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_unix_seconds("Sat, 29 Feb 2020 12:00:00 GMT"),
        Some(1_582_977_600)
    );
    for bad in [
        "",
        "soon",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
    ] {
        assert_eq!(parse_unix_seconds(bad), None, "{bad:?}");
    }
}

/// Regressions for what fuzzing found (fuzz/README.md): every field is unsigned digits of a
/// fixed width, so a sign can neither move a date nor overflow the arithmetic.
#[test]
fn http_date_fields_are_unsigned_digits() {
    for signed in [
        // Read as a date in 1994 when hours were signed.
        "Sun, 06 Nov 2094 -876000:00:00 GMT",
        // Overflowed `h * 3600` (a panic with overflow checks).
        "Sun, 06 Nov 1994 -9223372036854775807:00:00 GMT",
        "Sun, 06 Nov 1994 08:-1:37 GMT",
        "Sun, 06 Nov 1994 08:49:-1 GMT",
        "Sun, 06 Nov 1994 +8:49:37 GMT",
        "Sun, -6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sunday, 06-Nov--4 08:49:37 GMT",
        "Sun Nov -6 08:49:37 1994",
        "Sun, 06 Nov 1994 008:49:37 GMT",
        "Sun, 06 Nov 1994 ８:49:37 GMT",
    ] {
        assert_eq!(parse_unix_seconds(signed), None, "{signed:?}");
        assert_eq!(
            parse_retry_after(signed, 784_111_777_000.0),
            None,
            "{signed:?}"
        );
    }
}

/// A day past the end of its month is not a date (31 Feb was accepted before).
#[test]
fn http_date_days_fit_the_month() {
    for bad in [
        "Tue, 31 Feb 2026 08:00:00 GMT",
        "Sun, 29 Feb 2026 08:00:00 GMT",
        "Thu, 30 Feb 2024 08:00:00 GMT",
        "Thu, 31 Apr 2026 08:00:00 GMT",
        "Mon, 00 Mar 2026 08:00:00 GMT",
        "Tuesday, 31-Feb-26 08:00:00 GMT",
        "Tue Feb 31 08:00:00 2026",
    ] {
        assert_eq!(parse_unix_seconds(bad), None, "{bad:?}");
    }
    // The last real day of each such month still is one (2024 and 2000 are leap years,
    // 2100 is not).
    assert_eq!(
        parse_unix_seconds("Thu, 29 Feb 2024 00:00:00 GMT"),
        Some(1_709_164_800)
    );
    assert_eq!(
        parse_unix_seconds("Tue, 29 Feb 2000 00:00:00 GMT"),
        Some(951_782_400)
    );
    assert_eq!(parse_unix_seconds("Mon, 29 Feb 2100 00:00:00 GMT"), None);
    assert_eq!(
        parse_unix_seconds("Thu, 30 Apr 2026 00:00:00 GMT"),
        Some(1_777_507_200)
    );
}

#[test]
fn retry_after_seconds_and_dates() {
    let now = 784_111_777_000.0;
    assert_eq!(parse_retry_after("3", now), Some(3000));
    assert_eq!(parse_retry_after(" 0 ", now), Some(0));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
        Some(10_000)
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now),
        Some(0)
    );
    assert_eq!(parse_retry_after("-5", now), None);
    assert_eq!(parse_retry_after("1.5", now), None);
    assert_eq!(
        parse_retry_after("99999999999999999999999", now),
        Some(u64::MAX)
    );
}

#[test]
fn retryable_statuses_only() {
    let p = RetryPolicy::default();
    for s in [408, 429, 500, 502, 503, 504] {
        assert!(
            matches!(
                p.decide(&status(s), 0, None, 0.0, 0.5, true),
                Decision::RetryIn(_)
            ),
            "{s}"
        );
    }
    for s in [400, 401, 403, 404, 501] {
        assert_eq!(
            p.decide(&status(s), 0, None, 0.0, 0.5, true),
            Decision::GiveUp,
            "{s}"
        );
    }
    let net = CubeError::new(ErrorCode::Network, "reset");
    assert!(matches!(
        p.decide(&net, 0, None, 0.0, 0.5, true),
        Decision::RetryIn(_)
    ));
    let aborted = CubeError::new(ErrorCode::Aborted, "stop");
    assert_eq!(
        p.decide(&aborted, 0, None, 0.0, 0.5, true),
        Decision::GiveUp
    );
    let bad = CubeError::invalid_argument("x", "y");
    assert_eq!(p.decide(&bad, 0, None, 0.0, 0.5, true), Decision::GiveUp);
}

#[test]
fn retries_stop_at_the_budget() {
    let p = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    assert!(matches!(
        p.decide(&status(503), 1, None, 0.0, 0.5, true),
        Decision::RetryIn(_)
    ));
    assert_eq!(
        p.decide(&status(503), 2, None, 0.0, 0.5, true),
        Decision::GiveUp
    );
}

#[test]
fn backoff_grows_exponentially_with_bounded_jitter() {
    let p = RetryPolicy {
        base_delay_ms: 100,
        max_delay_ms: 1000,
        ..RetryPolicy::default()
    };
    assert_eq!(p.backoff_ms(0, 0.0), 50);
    assert_eq!(p.backoff_ms(0, 0.999_999), 99);
    assert_eq!(p.backoff_ms(1, 0.0), 100);
    assert_eq!(p.backoff_ms(2, 0.0), 200);
    assert_eq!(p.backoff_ms(10, 0.0), 500, "capped at max_delay_ms");
    assert_eq!(p.backoff_ms(60, 1.0), 1000);
    for r in 0..10 {
        let ms = p.backoff_ms(3, f64::from(r) / 10.0);
        assert!((400..=800).contains(&ms));
    }
}

#[test]
fn retry_after_is_honoured_up_to_the_cap() {
    let p = RetryPolicy::default();
    assert_eq!(
        p.decide(&status(429), 0, Some("2"), 0.0, 0.5, true),
        Decision::RetryIn(2000)
    );
    assert_eq!(
        p.decide(&status(429), 0, Some("3600"), 0.0, 0.5, true),
        Decision::GiveUp
    );
    // An unparsable header falls back to backoff.
    assert!(matches!(
        p.decide(&status(429), 0, Some("later"), 0.0, 0.0, true),
        Decision::RetryIn(150)
    ));
}

#[test]
fn non_idempotent_requests_retry_only_when_not_processed() {
    let p = RetryPolicy::default();
    assert_eq!(
        p.decide(&status(500), 0, None, 0.0, 0.5, false),
        Decision::GiveUp
    );
    assert!(matches!(
        p.decide(&status(503), 0, None, 0.0, 0.5, false),
        Decision::RetryIn(_)
    ));
    let net = CubeError::new(ErrorCode::Network, "reset");
    assert_eq!(p.decide(&net, 0, None, 0.0, 0.5, false), Decision::GiveUp);
}

#[test]
fn options_are_validated() {
    assert_eq!(
        RetryPolicy::new(Some(-1.0), None, None)
            .unwrap_err()
            .param
            .as_deref(),
        Some("maxRetries")
    );
    assert_eq!(
        RetryPolicy::new(None, Some(0.5), None)
            .unwrap_err()
            .param
            .as_deref(),
        Some("retryDelayMs")
    );
    assert_eq!(
        RetryPolicy::new(Some(0.0), Some(0.0), Some(0.0))
            .unwrap()
            .max_retries,
        0
    );
}
