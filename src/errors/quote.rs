//! A caller's value as every message of the client shows it: quoted and escaped like Rust's
//! `{:?}`, a URL without its user-info, query and fragment (which may carry a secret), and cut
//! to a few dozen characters (a message stays one readable line, whatever was passed).

/// At most this many characters of a value are shown (escapes counted); the rest is `…` and
/// the value's length.
pub const SHOWN_CHARS: usize = 80;

/// A text value: `"acme"`; `"xxxx…" (100,000 characters)` when long. A value with `://` in it
/// is shown as a URL ([`quote_url`]).
pub fn quote(value: &str) -> String {
    match value.find("://") {
        Some(at) => bounded(&without_secrets(value, at + 3), true, SHOWN_CHARS),
        None => bounded(value, true, SHOWN_CHARS),
    }
}

/// A value meant as a URL, even without `scheme://`: never its user-info, query or fragment
/// (`"https://…@acme.headshed.com/x?…"`), then as [`quote`].
pub fn quote_url(value: &str) -> String {
    let start = value.find("://").map_or(0, |at| at + 3);
    bounded(&without_secrets(value, start), true, SHOWN_CHARS)
}

/// A JSON value: a string as [`quote`], anything else as its JSON text (`5`, `[1,2]`), cut
/// the same way.
pub fn quote_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => quote(s),
        other => bounded(&other.to_string(), false, SHOWN_CHARS),
    }
}

/// A message from elsewhere that may hold a caller's value whole (a serde or a records
/// error: `invalid type: string "…"`): unquoted, cut after five times [`SHOWN_CHARS`] (room
/// for a whole message whose own values are quoted).
pub fn excerpt(message: &str) -> String {
    bounded(message, false, 5 * SHOWN_CHARS)
}

/// `url` from `start` (after `scheme://`) with everything up to its last `@` shown as `…@`
/// (a password may hold `/`, `?` or `#`, so the last `@` is the safe cut), and its query or
/// fragment as `?…` / `#…`.
fn without_secrets(url: &str, start: usize) -> String {
    let (head, mut rest) = url.split_at(start);
    let mut out = head.to_string();
    if let Some(at) = rest.rfind('@') {
        out.push_str("…@");
        rest = &rest[at + 1..];
    }
    match rest.find(['?', '#']) {
        Some(q) => {
            out.push_str(&rest[..=q]);
            out.push('…');
        }
        None => out.push_str(rest),
    }
    out
}

/// `text` escaped (and quoted when `quoted`), cut after `max` characters.
fn bounded(text: &str, quoted: bool, max: usize) -> String {
    let mut shown = String::new();
    let mut width = 0;
    let mut cut = false;
    for c in text.chars() {
        let piece: String = match c {
            // as `{:?}` of a text: a single quote stays; JSON text keeps its own quotes
            '\'' => c.to_string(),
            '"' | '\\' if !quoted => c.to_string(),
            _ => c.escape_debug().collect(),
        };
        let n = piece.chars().count();
        if width + n > max {
            cut = true;
            break;
        }
        width += n;
        shown.push_str(&piece);
    }
    let (open, close) = if quoted { ("\"", "\"") } else { ("", "") };
    if cut {
        let total = text.chars().count();
        format!("{open}{shown}…{close} ({} characters)", grouped(total))
    } else {
        format!("{open}{shown}{close}")
    }
}

/// `100000` → `100,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_quoted_like_debug() {
        assert_eq!(quote("acme"), "\"acme\"");
        assert_eq!(
            quote("a\"b\\c\nd\u{1b}"),
            format!("{:?}", "a\"b\\c\nd\u{1b}")
        );
        assert_eq!(quote("it's"), "\"it's\"");
        assert_eq!(quote("æøå"), "\"æøå\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let x = "x".repeat(100_000);
        let shown = quote(&x);
        assert_eq!(
            shown,
            format!("\"{}…\" (100,000 characters)", "x".repeat(SHOWN_CHARS))
        );
        assert_eq!(quote(&"x".repeat(SHOWN_CHARS)).len(), SHOWN_CHARS + 2);
        // escapes count: 80 NULs do not become 320 characters
        let nuls = quote(&"\0".repeat(100));
        assert!(nuls.chars().count() < SHOWN_CHARS + 30, "{nuls}");
        assert!(nuls.ends_with("…\" (100 characters)"), "{nuls}");
        assert_eq!(grouped(7), "7");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn urls_never_show_userinfo_query_or_fragment() {
        let cases = [
            (
                "https://acme.headshed.com/x?token=SECRET",
                "https://acme.headshed.com/x?…",
            ),
            (
                "https://acme.headshed.com#SECRET",
                "https://acme.headshed.com#…",
            ),
            (
                "https://user:SECRET@acme.headshed.com/x",
                "https://…@acme.headshed.com/x",
            ),
            (
                "https://user:SE/CR?ET@acme.headshed.com",
                "https://…@acme.headshed.com",
            ),
            ("see ftp://u:SECRET@h/?SECRET", "see ftp://…@h/?…"),
        ];
        for (value, shown) in cases {
            assert_eq!(quote(value), format!("\"{shown}\""), "{value}");
            assert_eq!(quote_url(value), format!("\"{shown}\""), "{value}");
        }
        // without a scheme: quote keeps a `?` (it is just text), quote_url does not
        assert_eq!(quote("what?"), "\"what?\"");
        assert_eq!(
            quote_url("acme.headshed.com?token=SECRET"),
            "\"acme.headshed.com?…\""
        );
        assert_eq!(
            quote_url("u:SECRET@acme.headshed.com"),
            "\"…@acme.headshed.com\""
        );
        let long = format!("https://acme.headshed.com/{}?token=SECRET", "p".repeat(200));
        let shown = quote_url(&long);
        assert!(
            !shown.contains("SECRET") && shown.contains("characters)"),
            "{shown}"
        );
    }

    #[test]
    fn json_values() {
        assert_eq!(quote_json(&serde_json::json!("values2")), "\"values2\"");
        assert_eq!(quote_json(&serde_json::json!(5)), "5");
        assert_eq!(quote_json(&serde_json::json!([1, 2])), "[1,2]");
        let big = serde_json::json!(vec![1; 50_000]);
        assert!(quote_json(&big).ends_with("… (100,001 characters)"));
    }

    #[test]
    fn excerpts_of_foreign_messages() {
        assert_eq!(
            excerpt("invalid type: string \"x\""),
            "invalid type: string \"x\""
        );
        let long = format!("invalid type: string \"{}\"", "x".repeat(100_000));
        let cut = excerpt(&long);
        assert!(cut.chars().count() < 5 * SHOWN_CHARS + 30, "{cut}");
        assert!(cut.ends_with("… (100,023 characters)"), "{cut}");
        // A whole message of up to five times SHOWN_CHARS stays whole, one more is cut.
        let room = "y".repeat(5 * SHOWN_CHARS);
        assert_eq!(excerpt(&room), room);
        let over = excerpt(&format!("{room}y"));
        assert_eq!(over, format!("{room}… (401 characters)"));
    }
}
