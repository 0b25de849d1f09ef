//! What the runtime said when a request got no response, kept as the error's `cause`.
//!
//! A refused connection, a DNS failure and a TLS failure all reach the engine as the same
//! `TypeError`; Node and Deno tell them apart in the error's own `cause` chain (`code:
//! "ECONNREFUSED"`). That chain is copied as plain text — names, messages and codes, never
//! the objects, which an injected `fetch` may fill with anything — and redacted like every
//! other field.

/// Longest message kept per link.
const MAX_CHARS: usize = 300;

/// One link of a `cause` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The error's `name` (`TypeError`, `Error`).
    pub name: String,
    /// Its `message`, shortened.
    pub message: String,
    /// Its `code`, when it has a short text one (`ECONNREFUSED`, `UND_ERR_SOCKET`).
    pub code: Option<String>,
}

impl Cause {
    pub fn new(name: &str, message: &str, code: Option<&str>) -> Cause {
        let clean = |s: &str, max: usize| -> String {
            let s: String = s
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let s = s.trim();
            if s.chars().count() <= max {
                s.to_string()
            } else {
                format!("{}…", s.chars().take(max).collect::<String>())
            }
        };
        let code = code
            .map(|c| clean(c, 40))
            .filter(|c| !c.is_empty() && !c.contains(' '));
        Cause {
            name: clean(name, 40),
            message: clean(message, MAX_CHARS),
            code,
        }
    }

    pub(super) fn redact(&mut self, secret: &str) {
        for field in [&mut self.name, &mut self.message] {
            if field.contains(secret) {
                *field = field.replace(secret, "[redacted]");
            }
        }
        if self.code.as_deref().is_some_and(|c| c.contains(secret)) {
            self.code = Some("[redacted]".into());
        }
    }

    /// A short reason for a message: the innermost link, `connect ECONNREFUSED 127.0.0.1:9`.
    pub fn summary(chain: &[Cause]) -> Option<String> {
        let last = chain.iter().rev().find(|c| !c.message.is_empty())?;
        Some(match &last.code {
            Some(code) if !last.message.contains(code.as_str()) => {
                format!("{} ({code})", last.message)
            }
            _ => last.message.clone(),
        })
    }
}
