//! The configured Cube origin. Credentials only ever go to this origin; every request URL is
//! built from it, never taken from a server's response.

use crate::errors::{quote, quote_url, CubeError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    scheme: String,
    host: String,
    port: Option<u16>,
    /// Path prefix without a trailing slash ("" for none), e.g. "/cube" behind a proxy.
    prefix: String,
}

const PARAM: &str = "baseUrl";

impl BaseUrl {
    /// Parse and check a base URL: `https://` (or `http://` for a loopback host only), no
    /// user-info (credentials go in a header, never in a URL), no query or fragment.
    pub fn parse(input: &str) -> Result<BaseUrl, CubeError> {
        let shown = quote_url(input);
        let bad = |why: &str| {
            CubeError::invalid_argument(PARAM, format!("baseUrl {shown} is not usable: {why}"))
        };
        let trimmed = input.trim();
        let (scheme, rest) = trimmed
            .split_once("://")
            .ok_or_else(|| bad("expected an absolute URL such as https://ACCOUNT.headshed.com"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(bad(
                "only https:// (or http:// to a loopback sandbox) is supported",
            ));
        }
        if rest.contains(['?', '#']) {
            return Err(bad("it must not have a query or fragment"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(bad(
                "credentials in the URL are refused; pass them as `auth`",
            ));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| bad("the host or port is invalid"))?;
        if host.is_empty() {
            return Err(bad("it has no host"));
        }
        if scheme == "http" && !is_loopback(&host) {
            return Err(bad(
                "plain http:// is only allowed for loopback development servers (localhost, 127.0.0.1, [::1]); Cube itself needs https://",
            ));
        }
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("the path has spaces or control characters"));
        }
        let prefix = path.trim_end_matches('/').to_string();
        let default_port = if scheme == "https" { 443 } else { 80 };
        let port = port.filter(|p| *p != default_port);
        Ok(BaseUrl {
            scheme,
            host,
            port,
            prefix,
        })
    }

    /// `https://ACCOUNT.headshed.com` (or another Cube domain such as `cube4sales.com`).
    pub fn for_account(account: &str, domain: &str) -> Result<BaseUrl, CubeError> {
        let valid = !account.is_empty()
            && account.len() <= 63
            && account
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !account.starts_with('-')
            && !account.ends_with('-');
        if !valid {
            return Err(CubeError::invalid_argument(
                "account",
                format!("account {} is not a Cube account name (letters, digits and '-', as in ACCOUNT.headshed.com)", quote(account)),
            ));
        }
        if domain != "headshed.com" && domain != "cube4sales.com" {
            return Err(CubeError::invalid_argument(
                "domain",
                format!(
                    "domain {} is not a Cube domain: use \"headshed.com\" or \"cube4sales.com\"",
                    quote(domain)
                ),
            ));
        }
        BaseUrl::parse(&format!(
            "https://{}.{domain}",
            account.to_ascii_lowercase()
        ))
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// The absolute URL of an API path (`path` starts with '/', query already encoded).
    pub fn join(&self, path_and_query: &str) -> String {
        format!("{}{}{}", self.origin(), self.prefix, path_and_query)
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.host)
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.origin(), self.prefix)
    }
}

fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &authority[..end + 2];
        match &rest[end + 1..] {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let valid_host = host.starts_with('[')
        || host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !valid_host {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host.to_ascii_lowercase(), port))
}

fn is_loopback(host: &str) -> bool {
    // Only names that never reach DNS: `*.localhost` may be resolved by the system resolver
    // (Node does), so plain http to it could carry credentials off the machine.
    host == "localhost"
        || host == "[::1]"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|p| p.parse::<u8>().is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_are_accepted_and_normalized() {
        let b = BaseUrl::parse("https://Acme.headshed.com/").unwrap();
        assert_eq!(b.origin(), "https://acme.headshed.com");
        assert_eq!(
            b.join("/api/v1/campaigns"),
            "https://acme.headshed.com/api/v1/campaigns"
        );
        let b = BaseUrl::parse("https://proxy.example.com:8443/cube/").unwrap();
        assert_eq!(b.join("/x"), "https://proxy.example.com:8443/cube/x");
        assert_eq!(
            BaseUrl::parse("https://a.b:443").unwrap().origin(),
            "https://a.b"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(BaseUrl::parse("http://127.0.0.1:8787").is_ok());
        assert!(BaseUrl::parse("http://localhost:1").is_ok());
        assert!(BaseUrl::parse("http://[::1]:9000").is_ok());
        let e = BaseUrl::parse("http://acme.headshed.com").unwrap_err();
        assert_eq!(e.param.as_deref(), Some("baseUrl"));
        assert!(e.message.contains("https"));
        assert!(BaseUrl::parse("http://127.0.0.1.evil.com").is_err());
        assert!(BaseUrl::parse("http://localhost.evil.com").is_err());
        assert!(
            BaseUrl::parse("http://evil.localhost").is_err(),
            "*.localhost may go to DNS"
        );
    }

    #[test]
    fn malformed_urls_are_refused() {
        for bad in [
            "",
            "acme.headshed.com",
            "ftp://x",
            "https://",
            "https://u:p@acme.headshed.com",
            "https://acme.headshed.com/?x=1",
            "https://acme.headshed.com#f",
            "https://acme.headshed.com:99999",
            "https://acme.headshed.com:abc",
            "https://ac me.headshed.com",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn credentials_in_the_url_never_reach_the_message() {
        let e = BaseUrl::parse("https://user:pa55@acme.headshed.com").unwrap_err();
        assert!(e.message.contains("auth"));
        assert!(!e.message.contains("pa55"), "{}", e.message);
    }

    #[test]
    fn queries_and_fragments_never_reach_the_message() {
        for (url, shown) in [
            (
                "https://acme.headshed.com/x?token=SECRET",
                "\"https://acme.headshed.com/x?…\"",
            ),
            (
                "https://acme.headshed.com/#SECRET",
                "\"https://acme.headshed.com/#…\"",
            ),
            (
                "acme.headshed.com/?token=SECRET",
                "\"acme.headshed.com/?…\"",
            ),
            (
                "https://u:SECRET@acme.headshed.com/?token=SECRET",
                "\"https://…@acme.headshed.com/?…\"",
            ),
        ] {
            let e = BaseUrl::parse(url).unwrap_err();
            assert!(!e.message.contains("SECRET"), "{}", e.message);
            assert!(e.message.contains(shown), "{}", e.message);
        }
    }

    #[test]
    fn huge_values_are_cut_in_the_message() {
        let huge = format!("ftp://{}", "a".repeat(100_000));
        let e = BaseUrl::parse(&huge).unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message);
        assert!(
            e.message.contains("…\" (100,006 characters)"),
            "{}",
            e.message
        );
        let e = BaseUrl::for_account(&"a".repeat(100_000), "headshed.com").unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message);
        let e = BaseUrl::for_account("acme", &"d".repeat(100_000)).unwrap_err();
        assert!(e.message.len() < 300, "{}", e.message);
    }

    #[test]
    fn accounts() {
        assert_eq!(
            BaseUrl::for_account("acme", "headshed.com")
                .unwrap()
                .origin(),
            "https://acme.headshed.com"
        );
        assert_eq!(
            BaseUrl::for_account("old", "cube4sales.com")
                .unwrap()
                .origin(),
            "https://old.cube4sales.com"
        );
        assert_eq!(
            BaseUrl::for_account("a.b", "headshed.com")
                .unwrap_err()
                .param
                .as_deref(),
            Some("account")
        );
        assert_eq!(
            BaseUrl::for_account("a", "evil.com")
                .unwrap_err()
                .param
                .as_deref(),
            Some("domain")
        );
    }
}
