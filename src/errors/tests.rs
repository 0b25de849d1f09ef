use super::*;

#[test]
fn status_codes_map_to_stable_codes() {
    let cases = [
        (400, "bad_request"),
        (401, "unauthorized"),
        (403, "forbidden"),
        (404, "not_found"),
        (408, "timeout"),
        (429, "rate_limited"),
        (500, "server"),
        (502, "server"),
        (503, "server"),
        (504, "timeout"),
        (302, "invalid_response"),
    ];
    for (status, code) in cases {
        assert_eq!(
            ErrorCode::from_status(status).as_str(),
            code,
            "status {status}"
        );
    }
}

#[test]
fn transient_statuses_are_exactly_the_retryable_ones() {
    for status in [400u16, 401, 403, 404, 408, 429, 500, 502, 503, 504, 501] {
        let e = CubeError::from_status(status, "http://x/y", b"");
        let expected = matches!(status, 408 | 429 | 500 | 502 | 503 | 504);
        assert_eq!(e.transient, expected, "status {status}");
    }
}

#[test]
fn drf_detail_is_extracted_and_named_in_the_message() {
    let e = CubeError::from_status(
        401,
        "http://127.0.0.1/account/who_am_i",
        br#"{"detail":"Invalid token."}"#,
    );
    assert_eq!(e.detail.as_deref(), Some("Invalid token."));
    assert!(e.message.contains("Invalid token."));
    assert!(e.message.contains("HTTP 401"));
    assert_eq!(e.status, Some(401));
}

#[test]
fn validation_bodies_are_flattened() {
    let e = CubeError::from_status(400, "u", br#"{"from_date":["Enter a valid date."]}"#);
    assert_eq!(e.detail.as_deref(), Some("from_date: Enter a valid date."));
}

#[test]
fn html_bodies_give_no_detail() {
    let e = CubeError::from_status(502, "u", b"<html><body>Bad gateway</body></html>");
    assert_eq!(e.detail, None);
}

#[test]
fn long_details_are_shortened() {
    let body = format!(r#"{{"detail":"{}"}}"#, "x".repeat(5000));
    let e = CubeError::from_status(500, "u", body.as_bytes());
    assert!(e.detail.clone().unwrap().chars().count() <= 301);
}

#[test]
fn redact_removes_secrets_from_every_text_field() {
    let body = br#"{"detail":"Invalid token s3cr3t-token."}"#;
    let e =
        CubeError::from_status(401, "http://h/x?q=s3cr3t-token", body).redact(&["s3cr3t-token"]);
    assert!(!e.message.contains("s3cr3t-token"));
    assert!(!e.detail.as_deref().unwrap().contains("s3cr3t-token"));
    assert!(!e.url.as_deref().unwrap().contains("s3cr3t-token"));
    assert!(e.message.contains("[redacted]"));
}

#[test]
fn resume_page_is_named_in_the_message() {
    let e = CubeError::new(ErrorCode::Server, "boom").with_resume_page(7, 1);
    assert_eq!(e.resume_page, Some(7));
    assert!(
        e.message
            .contains("pages 1–6 were delivered; resume with `page: 7`"),
        "{}",
        e.message
    );
}

#[test]
fn a_read_that_delivered_nothing_does_not_claim_it_did() {
    let e = CubeError::new(ErrorCode::NotFound, "gone").with_resume_page(1, 1);
    assert_eq!(
        e.message, "gone",
        "no word of resuming when nothing was delivered"
    );
    assert_eq!(e.resume_page, Some(1));
    assert!(!e.message.contains("before page"), "{}", e.message);
    let e = CubeError::new(ErrorCode::Server, "boom").with_resume_page(5, 4);
    assert!(
        e.message
            .contains("(page 4 was delivered; resume with `page: 5`)"),
        "{}",
        e.message
    );
}

#[test]
fn only_a_failure_worth_resuming_after_speaks_of_resuming() {
    // Refused credentials, a missing resource, a page that is not Cube's: the same request
    // would fail the same way, so the message says nothing of resuming (resume_page is set).
    for status in [401, 403, 404, 400, 501] {
        let e =
            CubeError::from_status(status, "https://x.example/api/v1/", b"").with_resume_page(3, 1);
        assert_eq!(e.resume_page, Some(3), "status {status}");
        assert!(
            !e.message.contains("resume"),
            "status {status}: {}",
            e.message
        );
        assert!(
            !e.message.contains("delivered"),
            "status {status}: {}",
            e.message
        );
    }
    // The transient failures (the network, timeouts, 429, 5xx, a cut body) and an abort: the hint.
    let mut cut = CubeError::new(ErrorCode::InvalidResponse, "cut");
    cut.transient = true;
    for e in [
        CubeError::from_status(503, "https://x.example/api/v1/", b""),
        CubeError::from_status(429, "https://x.example/api/v1/", b""),
        CubeError::from_status(504, "https://x.example/api/v1/", b""),
        CubeError::new(ErrorCode::Network, "down"),
        CubeError::new(ErrorCode::Timeout, "slow"),
        CubeError::new(ErrorCode::Aborted, "stopped"),
        cut,
    ] {
        let e = e.with_resume_page(3, 1);
        assert!(
            e.message
                .ends_with("(pages 1–2 were delivered; resume with `page: 3`)"),
            "{}",
            e.message
        );
    }
}

#[test]
fn a_cause_chain_is_redacted_and_summarised() {
    use crate::errors::Cause;
    let mut e = CubeError::new(ErrorCode::Network, "no response");
    e.cause = vec![
        Cause::new("TypeError", "fetch failed", None),
        Cause::new(
            "Error",
            "connect ECONNREFUSED 127.0.0.1:9 hunter2\n",
            Some("ECONNREFUSED"),
        ),
    ];
    let e = e.redact(&["hunter2"]);
    assert_eq!(
        e.cause[1].message,
        "connect ECONNREFUSED 127.0.0.1:9 [redacted]"
    );
    assert_eq!(
        Cause::summary(&e.cause).as_deref(),
        Some("connect ECONNREFUSED 127.0.0.1:9 [redacted]")
    );
    let odd = Cause::new("Error", "socket closed", Some("UND_ERR_SOCKET"));
    assert_eq!(
        Cause::summary(&[odd]).as_deref(),
        Some("socket closed (UND_ERR_SOCKET)")
    );
    assert_eq!(Cause::new("E", "m", Some("not a code")).code, None);
}

#[test]
fn every_code_has_a_distinct_name() {
    let mut names: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), ErrorCode::ALL.len());
}

#[test]
fn a_secret_cut_by_the_detail_limit_is_redacted_before_the_cut() {
    let secret = "s3cr3t-token-0123456789";
    for keep in [4, 8, 12] {
        let pad = "x".repeat(300 - keep - 1);
        let body = format!(r#"{{"detail":"{pad} {secret} (echoed)"}}"#);
        let e =
            CubeError::from_status_redacted(401, "u", body.as_bytes(), &[secret]).redact(&[secret]);
        let shown = &secret[..keep];
        assert!(!e.detail.as_deref().unwrap().contains(shown), "keep {keep}");
        assert!(!e.message.contains(shown), "keep {keep}");
    }
}
