//! Shared helpers: an in-process sandbox on port 0 and a few request shortcuts.
#![allow(dead_code)]

use base64::Engine;
use cube_sandbox::http_client::{self, HttpResponse};
use cube_sandbox::{spawn, Config, Running};
use serde_json::Value;

pub struct Sandbox {
    pub running: Running,
    pub config: Config,
}

/// Credentials as a ready `Authorization` header value.
pub fn basic(user: &str, pass: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    format!("Basic {encoded}")
}

pub fn token(t: &str) -> String {
    format!("Token {t}")
}

pub const DEMO_TOKEN: &str = "Token demo-token";
pub const PARTNER_TOKEN: &str = "Token partner-token";

impl Sandbox {
    pub fn start() -> Sandbox {
        Self::with(Config::for_tests())
    }

    /// Starts with a test configuration changed by `f` (the port is forced to 0).
    pub fn with_config(f: impl FnOnce(&mut Config)) -> Sandbox {
        let mut config = Config::for_tests();
        f(&mut config);
        config.port = 0;
        Self::with(config)
    }

    fn with(config: Config) -> Sandbox {
        let running = spawn(config.clone()).expect("sandbox starts");
        Sandbox { running, config }
    }

    pub fn base(&self) -> String {
        self.running.base_url()
    }

    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> HttpResponse {
        http_client::request(self.running.addr(), method, target, headers, body)
            .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
    }

    /// GET with an `Authorization` header value (or none).
    pub fn get_as(&self, target: &str, auth: Option<&str>) -> HttpResponse {
        let mut headers = vec![("Accept", "application/json")];
        if let Some(a) = auth {
            headers.push(("Authorization", a));
        }
        self.request("GET", target, &headers, None)
    }

    /// GET as the demo user (token).
    pub fn get(&self, target: &str) -> HttpResponse {
        self.get_as(target, Some(DEMO_TOKEN))
    }

    /// GET as the demo user, expecting 200 JSON.
    pub fn get_json(&self, target: &str) -> Value {
        let r = self.get(target);
        assert_eq!(r.status, 200, "GET {target}: {}", r.text());
        r.json()
    }

    pub fn post_json(&self, target: &str, auth: Option<&str>, body: &Value) -> HttpResponse {
        let bytes = serde_json::to_vec(body).unwrap();
        let mut headers = vec![
            ("Accept", "application/json"),
            ("Content-Type", "application/json"),
        ];
        if let Some(a) = auth {
            headers.push(("Authorization", a));
        }
        self.request("POST", target, &headers, Some(&bytes))
    }

    pub fn control(&self, method: &str, target: &str, body: Option<&Value>) -> HttpResponse {
        let bytes = body.map(|b| serde_json::to_vec(b).unwrap());
        self.request(
            method,
            target,
            &[("Content-Type", "application/json")],
            bytes.as_deref(),
        )
    }
}
