//! Credentials and the `Authorization` header. Cube takes HTTP Basic (`username:password`,
//! the username being the user's e-mail) or `Token <token>` on every request.
//!
//! Basic credentials are encoded as UTF-8 before base64 — unlike the browser's `btoa`, which
//! throws on (or mangles) `æøå`. `Debug` never prints a secret.

mod base64;

use crate::errors::CubeError;
use std::fmt;

#[derive(Clone, PartialEq)]
pub enum Auth {
    Basic { username: String, password: String },
    Token(String),
}

impl Auth {
    pub fn basic(username: &str, password: &str) -> Result<Auth, CubeError> {
        if username.trim().is_empty() {
            return Err(CubeError::invalid_argument(
                "auth.username",
                "auth.username is empty: give the Cube user's e-mail",
            ));
        }
        if username.contains(':') {
            return Err(CubeError::invalid_argument(
                "auth.username",
                "auth.username contains ':', which HTTP Basic cannot carry",
            ));
        }
        if username.chars().any(char::is_control) || password.chars().any(char::is_control) {
            return Err(CubeError::invalid_argument(
                "auth",
                "auth.username or auth.password contains a control character",
            ));
        }
        if password.is_empty() {
            return Err(CubeError::invalid_argument(
                "auth.password",
                "auth.password is empty",
            ));
        }
        Ok(Auth::Basic {
            username: username.to_string(),
            password: password.to_string(),
        })
    }

    pub fn token(token: &str) -> Result<Auth, CubeError> {
        let token = token.trim();
        if token.is_empty() {
            return Err(CubeError::invalid_argument(
                "auth.token",
                "auth.token is empty",
            ));
        }
        if token
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            return Err(CubeError::invalid_argument(
                "auth.token",
                "auth.token contains spaces or non-ASCII characters; pass the token alone, without the 'Token ' prefix",
            ));
        }
        Ok(Auth::Token(token.to_string()))
    }

    /// The value of the `Authorization` header.
    pub fn header_value(&self) -> String {
        match self {
            Auth::Basic { username, password } => {
                format!(
                    "Basic {}",
                    base64::encode(format!("{username}:{password}").as_bytes())
                )
            }
            Auth::Token(token) => format!("Token {token}"),
        }
    }

    /// Strings that must never appear in an error, a log line or a hook payload.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            Auth::Basic { password, .. } => {
                let header = self.header_value();
                let encoded = header.trim_start_matches("Basic ").to_string();
                vec![password.clone(), encoded]
            }
            Auth::Token(token) => vec![token.clone()],
        }
    }

    pub fn scheme(&self) -> &'static str {
        match self {
            Auth::Basic { .. } => "basic",
            Auth::Token(_) => "token",
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { username, .. } => write!(f, "Basic({username}, [redacted])"),
            Auth::Token(_) => write!(f, "Token([redacted])"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_utf8_base64() {
        let auth = Auth::basic("demo@example.com", "demo").unwrap();
        assert_eq!(auth.header_value(), "Basic ZGVtb0BleGFtcGxlLmNvbTpkZW1v");
        // "ola@example.no:blåbær" encoded as UTF-8 (btoa would throw here).
        let auth = Auth::basic("ola@example.no", "blåbær").unwrap();
        assert_eq!(
            auth.header_value(),
            "Basic b2xhQGV4YW1wbGUubm86YmzDpWLDpnI="
        );
    }

    #[test]
    fn token_header() {
        assert_eq!(
            Auth::token("abc123").unwrap().header_value(),
            "Token abc123"
        );
        assert_eq!(
            Auth::token("  abc123 ").unwrap().header_value(),
            "Token abc123"
        );
    }

    #[test]
    fn bad_credentials_are_refused_naming_the_field() {
        assert_eq!(
            Auth::basic("", "x").unwrap_err().param.as_deref(),
            Some("auth.username")
        );
        assert_eq!(
            Auth::basic("a:b", "x").unwrap_err().param.as_deref(),
            Some("auth.username")
        );
        assert_eq!(
            Auth::basic("a@b", "").unwrap_err().param.as_deref(),
            Some("auth.password")
        );
        assert_eq!(
            Auth::token(" ").unwrap_err().param.as_deref(),
            Some("auth.token")
        );
        assert_eq!(
            Auth::token("Token abc").unwrap_err().param.as_deref(),
            Some("auth.token")
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let basic = format!("{:?}", Auth::basic("u@x", "hunter2").unwrap());
        assert!(!basic.contains("hunter2"));
        let token = format!("{:?}", Auth::token("tok-123").unwrap());
        assert!(!token.contains("tok-123"));
    }

    #[test]
    fn secrets_include_the_encoded_header() {
        let auth = Auth::basic("u@x", "hunter2").unwrap();
        let secrets = auth.secrets();
        assert!(secrets.contains(&"hunter2".to_string()));
        assert!(auth.header_value().ends_with(&secrets[1]));
    }
}
