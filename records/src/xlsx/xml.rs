//! XML text for spreadsheet cells: escaping, characters XML cannot hold, cell references.

/// Whether XML 1.0 can hold `c` as it is. It forbids most C0 controls and U+FFFE/U+FFFF
/// (Rust strings hold no surrogates); a CR is allowed but read back as a line feed (XML
/// readers normalize line ends), so it is escaped too, as Excel writes it.
fn xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\r' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `rest` (text after a `_`) reads as an OOXML escape `xHHHH_`, which Excel would
/// decode; such an underscore is itself escaped as `_x005F_`.
fn looks_like_escape(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 6 && b[0] == b'x' && b[1..5].iter().all(u8::is_ascii_hexdigit) && b[5] == b'_'
}

/// Appends the OOXML escape `_xHHHH_` of `c`, a character of the Basic Multilingual Plane.
fn push_escape(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let n = c as u32;
    out.push_str("_x");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((n >> shift) & 0xF) as usize]));
    }
    out.push('_');
}

/// Appends `s` escaped for XML text or attribute values. Characters XML cannot hold become
/// OOXML escapes `_xHHHH_` (ECMA-376 Part 1, `ST_Xstring`), which Excel, LibreOffice and
/// readers such as calamine decode back to the character: nothing is dropped. An underscore
/// that would read as such an escape is itself escaped (`_x005F_`). Text is never cut here:
/// cells are fitted to Excel's limit first ([`crate::cell_limit`]).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for (i, c) in s.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '_' if looks_like_escape(&s[i + 1..]) => out.push_str("_x005F_"),
            c if xml_char(c) => out.push(c),
            c => push_escape(out, c),
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
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c_x0001__x0007_\td_x005F_x0041_");
    }

    #[test]
    fn every_character_xml_cannot_hold_is_escaped_not_dropped() {
        let forbidden = ('\u{0}'..='\u{1F}')
            .filter(|c| !matches!(c, '\t' | '\n'))
            .chain(['\u{FFFE}', '\u{FFFF}']);
        for c in forbidden {
            let mut s = String::new();
            escape_into(&mut s, &format!("a{c}b"));
            assert_eq!(s, format!("a_x{:04X}_b", c as u32), "{:?}", c);
        }
        let mut s = String::new();
        escape_into(&mut s, "tab\tline\næ😀");
        assert_eq!(s, "tab\tline\næ😀", "what XML holds is written as it is");
    }
}
