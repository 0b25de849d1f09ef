//! Shared helpers: a sandbox on port 0 behind either edge, and a few request shortcuts.
//!
//! Every HTTP test starts its sandbox with [`Edge::start`]: the native axum edge in-process,
//! or, with `CUBE_SANDBOX_EDGE=node`, the Node edge of the built package
//! (`node pkg/bin/cube.mjs sandbox --port 0 <the same config as flags>`), so that both edges
//! answer the same tests and cannot drift.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use base64::Engine;
use cube_sandbox::http_client::{self, HttpResponse};
use cube_sandbox::{flags, spawn, Config, Running};
use serde_json::Value;

/// The repository's root (this crate is `sandbox/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("sandbox/ has a parent")
        .to_path_buf()
}

/// The package's command line, built by `cargo xtask build`.
pub fn cube_mjs() -> PathBuf {
    repo_root().join("pkg/bin/cube.mjs")
}

/// Which edge the tests run through: `CUBE_SANDBOX_EDGE=node` for the Node edge.
pub fn node_edge_wanted() -> bool {
    match std::env::var("CUBE_SANDBOX_EDGE").as_deref() {
        Ok("node") => true,
        Ok("native") | Ok("") | Err(_) => false,
        Ok(other) => panic!("CUBE_SANDBOX_EDGE={other}: expected node or native"),
    }
}

/// A running sandbox on a port, whichever edge serves it. Dropping it stops it.
pub enum Edge {
    Native(Running),
    Node { child: Child, addr: SocketAddr },
}

impl Edge {
    /// The edge `CUBE_SANDBOX_EDGE` asks for (native by default).
    pub fn start(config: &Config) -> Edge {
        if node_edge_wanted() {
            Edge::node(config)
        } else {
            Edge::native(config)
        }
    }

    pub fn native(config: &Config) -> Edge {
        let mut config = config.clone();
        config.port = 0;
        Edge::Native(spawn(config).expect("the native sandbox starts"))
    }

    /// `node pkg/bin/cube.mjs sandbox --port 0 <flags of config>`; fails (never skips) if
    /// the package was not built.
    pub fn node(config: &Config) -> Edge {
        let mut config = config.clone();
        config.port = 0;
        let cube = cube_mjs();
        assert!(
            cube.is_file(),
            "{} is missing: build the package first (cargo xtask build)",
            cube.display()
        );
        let mut child = Command::new("node")
            .arg(&cube)
            .arg("sandbox")
            .args(flags::args_of(&config))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run node: {e}"));
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut first = String::new();
        let read = stdout.read_line(&mut first);
        let addr = first
            .trim_end()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse::<SocketAddr>().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let status = child.wait();
            panic!("the Node sandbox did not start ({read:?}, {status:?}); first line: {first:?}");
        };
        // The rest of the banner (and anything later) is read and dropped, so that the
        // sandbox never writes into a full or closed pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        });
        Edge::Node { child, addr }
    }

    pub fn addr(&self) -> SocketAddr {
        match self {
            Edge::Native(running) => running.addr(),
            Edge::Node { addr, .. } => *addr,
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    pub fn is_node(&self) -> bool {
        matches!(self, Edge::Node { .. })
    }
}

impl Drop for Edge {
    fn drop(&mut self) {
        if let Edge::Node { child, .. } = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub struct Sandbox {
    pub running: Edge,
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
    /// One request written as raw bytes on a fresh connection; every byte until the server
    /// closes it (or resets it: what arrived before stays).
    pub fn raw(&self, request: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.running.addr()).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        out
    }

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
        let running = Edge::start(&config);
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
