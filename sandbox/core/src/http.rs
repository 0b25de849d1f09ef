//! What the core reads and writes instead of a server's types: a request with its headers and
//! body, and a response whose body is either bytes, a file for the edge to serve, or a
//! described transport fault for the edge to play out on its wire.

/// One request as an edge received it.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path, percent-encoded as sent, without the query.
    pub path: &'a str,
    /// The raw query string, `""` when there is none.
    pub query: &'a str,
    /// Header names in lower case; a repeated header appears once per value.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// `scheme://host[:port]` as the client addressed it: the origin of `next`/`previous` links.
    pub origin: &'a str,
}

impl Request<'_> {
    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers, and what the body is.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
    /// The fault kind injected into this answer, if any (for the request log).
    pub fault: Option<&'static str>,
}

/// What the edge sends after the status and headers.
#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A file below one of the edge's directories; the path is decoded and has no `..`. The
    /// edge finds it with `files::locate` and completes the answer with `files::serve`.
    File {
        root: FileRoot,
        path: String,
    },
    /// A real answer, mangled on the wire as described.
    Wire(Wire),
}

/// Which directory a [`Body::File`] is below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRoot {
    /// `--static-dir`, served at `/`.
    Static,
    /// `--pkg-dir`, served under `/pkg/`.
    Pkg,
}

/// A transport fault. The edge plays it out with its own I/O and timers.
#[derive(Debug)]
pub enum Wire {
    /// Send `bytes[..keep]` (Content-Length says `bytes.len()`), then drop the connection.
    Reset { bytes: Vec<u8>, keep: usize },
    /// Send `bytes` in chunks of `chunk` bytes, `delay_ms` apart.
    Dribble {
        bytes: Vec<u8>,
        chunk: usize,
        delay_ms: u64,
    },
    /// Send `prefix`, then `chunk` spaces every `delay_ms` until `max_seconds` have passed,
    /// then end the body (never valid JSON).
    Endless {
        prefix: &'static [u8],
        chunk: usize,
        delay_ms: u64,
        max_seconds: u64,
    },
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("content-type", content_type.to_string())],
            body: Body::Bytes(body),
            fault: None,
        }
    }

    pub fn json(status: u16, body: Vec<u8>) -> Self {
        Self::new(status, "application/json", body)
    }

    pub fn json_value(status: u16, value: &serde_json::Value) -> Self {
        Self::json(status, value.to_string().into_bytes())
    }

    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
            fault: None,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn set_header(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some(h) => h.1 = value,
            None => self.headers.push((name, value)),
        }
    }
}
