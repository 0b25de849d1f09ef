//! The sandbox's core for JavaScript: `createSandbox()` (a `fetch` in-process) and
//! `npx cube-integration sandbox` (Node's `http`) both drive a [`SandboxCore`]. The JS edge
//! keeps the clock and the timers and plays out the transport faults; everything the sandbox
//! decides happens here, in the same code as the native server.

#[cfg(target_arch = "wasm32")]
mod bindings;

#[cfg(target_arch = "wasm32")]
pub use bindings::*;

use cube_sandbox_core::{Body, FileRoot, Response, Wire};

/// How a JS edge sends the body of an answer: `bytes`, `file`, or a transport fault
/// (`reset`, `dribble`, `endless`), with the numbers it needs.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub kind: &'static str,
    pub bytes: Vec<u8>,
    /// `file`: `static` or `pkg`, and the decoded path below that directory.
    pub file_root: &'static str,
    pub file_path: String,
    /// `reset`: bytes sent before the connection drops.
    pub keep: usize,
    /// `dribble`/`endless`: bytes per chunk and the pause between chunks.
    pub chunk: usize,
    pub delay_ms: u64,
    /// `endless`: when to end the body.
    pub max_seconds: u64,
}

impl Plan {
    pub fn of(response: &mut Response) -> Plan {
        match std::mem::replace(&mut response.body, Body::Bytes(Vec::new())) {
            Body::Bytes(bytes) => Plan {
                kind: "bytes",
                bytes,
                ..Plan::default()
            },
            Body::File { root, path } => Plan {
                kind: "file",
                file_root: match root {
                    FileRoot::Static => "static",
                    FileRoot::Pkg => "pkg",
                },
                file_path: path,
                ..Plan::default()
            },
            Body::Wire(Wire::Reset { bytes, keep }) => Plan {
                kind: "reset",
                bytes,
                keep,
                ..Plan::default()
            },
            Body::Wire(Wire::Dribble {
                bytes,
                chunk,
                delay_ms,
            }) => Plan {
                kind: "dribble",
                bytes,
                chunk,
                delay_ms,
                ..Plan::default()
            },
            Body::Wire(Wire::Endless {
                prefix,
                chunk,
                delay_ms,
                max_seconds,
            }) => Plan {
                kind: "endless",
                bytes: prefix.to_vec(),
                chunk,
                delay_ms,
                max_seconds,
                ..Plan::default()
            },
        }
    }
}

/// `[name, value, name, value, …]` → pairs with lower-case names.
pub fn header_pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks_exact(2)
        .map(|p| (p[0].to_ascii_lowercase(), p[1].clone()))
        .collect()
}
