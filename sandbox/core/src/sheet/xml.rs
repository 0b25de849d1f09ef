//! Just enough XML for a spreadsheet's parts: a tokenizer over tags and text, attributes by
//! local name, and entity decoding. No DTDs, no validation: the parts of an `.xlsx` use none.

/// One piece of an XML document. Names are local names (a `x:` prefix dropped); `attrs` is the
/// raw attribute text of a start tag; `Text` is raw (entities not decoded), `CData` verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Start {
        name: &'a str,
        attrs: &'a str,
        /// `<x/>`: no end tag follows.
        empty: bool,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
    CData(&'a str),
}

/// The tokens of `xml`, in order; a tag that never closes ends the walk with an error.
pub struct Tokens<'a> {
    xml: &'a str,
    at: usize,
}

pub fn tokens(xml: &str) -> Tokens<'_> {
    Tokens { xml, at: 0 }
}

/// Where `needle` first is in `hay` (a byte search: `str::find` with a `&str` would bring the
/// two-way searcher into the wasm for a few short needles).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Result<Token<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = &self.xml[self.at..];
            if rest.is_empty() {
                return None;
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.at += end;
                return Some(Ok(Token::Text(&rest[..end])));
            }
            let (skip_to, token) = if let Some(body) = rest.strip_prefix("<![CDATA[") {
                match find(body, "]]>") {
                    Some(end) => (9 + end + 3, Some(Token::CData(&body[..end]))),
                    None => return Some(Err("a CDATA section never ends".into())),
                }
            } else if rest.starts_with("<!--") {
                match find(rest, "-->") {
                    Some(end) => (end + 3, None),
                    None => return Some(Err("a comment never ends".into())),
                }
            } else if rest.starts_with("<?") || rest.starts_with("<!") {
                match rest.find('>') {
                    Some(end) => (end + 1, None),
                    None => return Some(Err("a declaration never ends".into())),
                }
            } else {
                let Some(end) = tag_end(rest) else {
                    return Some(Err("a tag never ends".into()));
                };
                let inner = &rest[1..end];
                let token = if let Some(name) = inner.strip_prefix('/') {
                    Token::End {
                        name: local(name.trim()),
                    }
                } else {
                    let (inner, empty) = match inner.strip_suffix('/') {
                        Some(i) => (i, true),
                        None => (inner, false),
                    };
                    let split = inner
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(inner.len());
                    Token::Start {
                        name: local(&inner[..split]),
                        attrs: &inner[split..],
                        empty,
                    }
                };
                (end + 1, Some(token))
            };
            self.at += skip_to;
            if let Some(token) = token {
                return Some(Ok(token));
            }
        }
    }
}

/// The index of the `>` that ends the tag at the start of `s` (quotes in attribute values
/// respected).
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The decoded value of the attribute whose local name is `name` (`r:id` is `id`).
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = after[1..].find(quote)?;
        let value = &after[1..1 + close];
        if local(key) == name {
            return Some(decode(value));
        }
        rest = &after[close + 2..];
    }
}

/// Text with its entities decoded (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;`,
/// `&#xHH;`); an entity it does not know stays as written. Line ends are normalized to `\n`,
/// as an XML reader does.
pub fn decode(raw: &str) -> String {
    if !raw.contains(['&', '\r']) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find(['&', '\r']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix('\r') {
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
            continue;
        }
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_sheet_part() {
        let xml = r#"<?xml version="1.0"?><!-- c --><x:row r="2"><x:c r="A2" t='s'/><c><v>1&amp;2</v></c></x:row>"#;
        let got: Vec<Token<'_>> = tokens(xml).map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                Token::Start {
                    name: "row",
                    attrs: r#" r="2""#,
                    empty: false
                },
                Token::Start {
                    name: "c",
                    attrs: r#" r="A2" t='s'"#,
                    empty: true
                },
                Token::Start {
                    name: "c",
                    attrs: "",
                    empty: false
                },
                Token::Start {
                    name: "v",
                    attrs: "",
                    empty: false
                },
                Token::Text("1&amp;2"),
                Token::End { name: "v" },
                Token::End { name: "c" },
                Token::End { name: "row" },
            ]
        );
        assert!(tokens("<c r=\"A1\"").any(|t| t.is_err()));
    }

    #[test]
    fn attributes_and_entities() {
        let attrs = r#" name="Kunder &amp; co" sheetId="1" r:id="rId1""#;
        assert_eq!(attr(attrs, "name").as_deref(), Some("Kunder & co"));
        assert_eq!(attr(attrs, "id").as_deref(), Some("rId1"));
        assert_eq!(attr(attrs, "missing"), None);
        assert_eq!(
            decode("&lt;&#248;&#xE6;&apos;&unknown; a\r\nb"),
            "<øæ'&unknown; a\nb"
        );
    }
}
