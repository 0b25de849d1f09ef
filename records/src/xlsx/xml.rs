//! XML text for spreadsheet cells: escaping, invalid characters, cell references.

/// Excel's limit on characters in one cell; longer text is cut there.
pub(crate) const MAX_CELL_CHARS: usize = 32_767;

/// Whether XML 1.0 allows `c` at all (Rust strings hold no surrogates).
fn xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `rest` (text after a `_`) reads as an OOXML escape `xHHHH_`, which Excel would
/// decode; such an underscore is itself escaped as `_x005F_`.
fn looks_like_escape(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 6 && b[0] == b'x' && b[1..5].iter().all(u8::is_ascii_hexdigit) && b[5] == b'_'
}

/// Appends `s` escaped for XML text or attribute values, dropping characters XML forbids,
/// protecting `_xHHHH_` sequences and cutting at [`MAX_CELL_CHARS`] characters.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for (n, (i, c)) in s.char_indices().enumerate() {
        if n == MAX_CELL_CHARS {
            break;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '_' if looks_like_escape(&s[i + 1..]) => out.push_str("_x005F_"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Whether text needs `xml:space="preserve"` to keep its whitespace.
pub(crate) fn needs_preserve(s: &str) -> bool {
    s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) || s.contains('\n')
}

/// Column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn escaping() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c\u{1}\u{7}\td_x0041_");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c\td_x005F_x0041_");
    }
}
