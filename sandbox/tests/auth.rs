//! who_am_i with Basic (UTF-8 passwords), Token, the 401 cases, the external user, preflight.

mod common;

use common::{basic, token, Sandbox, DEMO_TOKEN, PARTNER_TOKEN};

#[test]
fn who_am_i_with_basic_and_token() {
    let sb = Sandbox::start();
    for auth in [basic("demo@example.com", "demo"), DEMO_TOKEN.to_string()] {
        let r = sb.get_as("/account/who_am_i", Some(&auth));
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        let body = r.json();
        assert_eq!(body["username"], "demo@example.com");
        assert_eq!(body["email"], "demo@example.com");
        assert_eq!(body["name"], "Demo Caller");
        assert_eq!(body["first_name"], "Demo");
        assert_eq!(body["last_name"], "Caller");
        assert_eq!(body["tenant"], "demo");
        assert_eq!(body["is_external"], false);
        assert_eq!(body["data_owner_ids"], serde_json::json!([1, 2, 3]));
    }
    // with the trailing slash too
    assert_eq!(sb.get("/account/who_am_i/").status, 200);
}

#[test]
fn basic_password_with_norwegian_letters_is_utf8() {
    let sb = Sandbox::with_config(|c| {
        c.demo.username = "kåre@example.com".into();
        c.demo.password = "blåbærsyltetøy:ÆØÅ".into();
    });
    let ok = sb.get_as(
        "/account/who_am_i",
        Some(&basic("kåre@example.com", "blåbærsyltetøy:ÆØÅ")),
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["username"], "kåre@example.com");

    // The same password encoded as Latin-1 (what btoa() produces) is refused.
    let latin1: Vec<u8> = "kåre@example.com:blåbærsyltetøy:ÆØÅ"
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    use base64::Engine;
    let header = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(latin1)
    );
    let r = sb.get_as("/account/who_am_i", Some(&header));
    assert_eq!(r.status, 401);
}

#[test]
fn unauthorized_cases_answer_like_drf() {
    let sb = Sandbox::start();
    let cases: [(Option<String>, &str, &str); 6] = [
        (
            None,
            "Authentication credentials were not provided.",
            "Basic",
        ),
        (
            Some(basic("demo@example.com", "wrong")),
            "Invalid username/password.",
            "Basic",
        ),
        (Some(token("nope")), "Invalid token.", "Token"),
        (
            Some("Bearer demo-token".into()),
            "Authentication credentials were not provided.",
            "Basic",
        ),
        (
            Some("Basic".into()),
            "Invalid basic header. No credentials provided.",
            "Basic",
        ),
        (
            Some("Basic !!!notbase64".into()),
            "Invalid basic header. Credentials not correctly base64 encoded.",
            "Basic",
        ),
    ];
    for (auth, detail, challenge) in cases {
        let r = sb.get_as("/account/who_am_i", auth.as_deref());
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(r.json()["detail"], detail, "{auth:?}");
        assert!(
            r.header("www-authenticate").unwrap().starts_with(challenge),
            "{auth:?}"
        );
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
}

#[test]
fn external_user_is_flagged() {
    let sb = Sandbox::start();
    for auth in [
        basic("partner@example.com", "partner"),
        PARTNER_TOKEN.into(),
    ] {
        let body = sb.get_as("/account/who_am_i", Some(&auth)).json();
        assert_eq!(body["username"], "partner@example.com");
        assert_eq!(body["is_external"], true);
        assert_eq!(body["data_owner_ids"], serde_json::json!([1]));
    }
}

#[test]
fn preflight_needs_no_auth_and_allows_authorization() {
    let sb = Sandbox::start();
    let r = sb.request(
        "OPTIONS",
        "/account/who_am_i",
        &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "GET"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
        None,
    );
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let allowed = r.header("access-control-allow-headers").unwrap();
    for h in ["Authorization", "Content-Type", "Accept"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    assert!(r
        .header("access-control-expose-headers")
        .unwrap()
        .contains("Retry-After"));
}
