//! Building paths and query strings.

/// Percent-encode a path segment or query value (RFC 3986 unreserved characters stay).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `path?k=v&…` from pairs (values encoded); just `path` when there are none.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// The URL of page `page` of a list: `page=N` kept alongside the other parameters; page 1
/// is requested without it, as Cube's own first link is.
pub fn with_page(path_and_query: &str, page: u32) -> String {
    if page <= 1 {
        return path_and_query.to_string();
    }
    let sep = if path_and_query.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{path_and_query}{sep}page={page}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding() {
        assert_eq!(encode_component("Ready"), "Ready");
        assert_eq!(
            encode_component("Not reached/ø&x=1"),
            "Not%20reached%2F%C3%B8%26x%3D1"
        );
    }

    #[test]
    fn pages_are_added_alongside_other_parameters() {
        assert_eq!(with_page("/a/", 1), "/a/");
        assert_eq!(with_page("/a/", 3), "/a/?page=3");
        assert_eq!(
            with_page("/a/?from_date=20240101", 2),
            "/a/?from_date=20240101&page=2"
        );
        assert_eq!(with_query("/a/", &[("x", "1 2".into())]), "/a/?x=1%202");
        assert_eq!(with_query("/a/", &[]), "/a/");
    }
}
