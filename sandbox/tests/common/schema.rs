//! A small JSON Schema checker for the subset `openapi.json` uses: `$ref`, `type`
//! (string or list), `enum`, `properties`, `required`, `additionalProperties`,
//! `patternProperties`, `items`, `maxItems`, `minimum`, `maximum`, `allOf`, `anyOf`, `oneOf`,
//! `pattern` (anchored, with `[...]`, `.`, `+`, `*`, `?`, `{n}`, `(...)`).

use serde_json::Value;

/// Where a value is, formatted only when an error is reported.
enum Loc<'p> {
    Root,
    Key(&'p Loc<'p>, &'p str),
    Index(&'p Loc<'p>, usize),
}

impl std::fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Loc::Root => write!(f, "$"),
            Loc::Key(parent, key) => write!(f, "{parent}.{key}"),
            Loc::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

pub struct Checker<'a> {
    root: &'a Value,
    /// Pattern results by (pattern, text): keys repeat in every record.
    memo: std::cell::RefCell<std::collections::HashMap<(String, String), bool>>,
}

impl<'a> Checker<'a> {
    pub fn new(root: &'a Value) -> Self {
        Checker {
            root,
            memo: Default::default(),
        }
    }

    fn matches(&self, pattern: &str, text: &str) -> bool {
        let key = (pattern.to_string(), text.to_string());
        if let Some(hit) = self.memo.borrow().get(&key) {
            return *hit;
        }
        let result = pattern_matches(pattern, text);
        self.memo.borrow_mut().insert(key, result);
        result
    }

    /// Errors (JSON-pointer-ish path: message), empty when `value` conforms.
    pub fn check(&self, schema: &'a Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.walk(schema, value, &Loc::Root, &mut errors);
        errors
    }

    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut s = schema;
        while let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let mut target = self.root;
            for part in r.trim_start_matches("#/").split('/') {
                target = &target[part];
            }
            assert!(!target.is_null(), "unresolved $ref {r}");
            s = target;
        }
        s
    }

    fn walk(&self, schema: &'a Value, value: &Value, at: &Loc, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !allowed.iter().any(|t| type_matches(t, value)) {
                errors.push(format!("{at}: {value} is not of type {allowed:?}"));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                errors.push(format!("{at}: {value} not in {options:?}"));
            }
        }
        if let (Some(min), Some(n)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) {
            if n < min {
                errors.push(format!("{at}: {n} < minimum {min}"));
            }
        }
        if let (Some(max), Some(n)) = (
            schema.get("maximum").and_then(Value::as_f64),
            value.as_f64(),
        ) {
            if n > max {
                errors.push(format!("{at}: {n} > maximum {max}"));
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.walk(s, value, at, errors);
            }
        }
        for (keyword, wanted) in [("anyOf", 1..=usize::MAX), ("oneOf", 1..=1)] {
            if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
                let passing = branches
                    .iter()
                    .filter(|s| {
                        let mut inner = Vec::new();
                        self.walk(s, value, at, &mut inner);
                        inner.is_empty()
                    })
                    .count();
                if !wanted.contains(&passing) {
                    errors.push(format!(
                        "{at}: {passing} of the {keyword} branches match {value}"
                    ));
                }
            }
        }
        if let (Some(p), Some(s)) = (
            schema.get("pattern").and_then(Value::as_str),
            value.as_str(),
        ) {
            if !self.matches(p, s) {
                errors.push(format!("{at}: {s:?} does not match {p}"));
            }
        }
        if let (Some(max), Some(list)) = (
            schema.get("maxItems").and_then(Value::as_u64),
            value.as_array(),
        ) {
            if list.len() as u64 > max {
                errors.push(format!("{at}: {} items, at most {max}", list.len()));
            }
        }
        if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
            for (i, item) in list.iter().enumerate() {
                self.walk(items, item, &Loc::Index(at, i), errors);
            }
        }
        if let Some(object) = value.as_object() {
            let props = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !object.contains_key(r) {
                        errors.push(format!("{at}: missing required {r}"));
                    }
                }
            }
            let patterns = schema.get("patternProperties").and_then(Value::as_object);
            for (key, v) in object {
                let path = Loc::Key(at, key);
                if let Some(s) = props.and_then(|p| p.get(key)) {
                    self.walk(s, v, &path, errors);
                    continue;
                }
                let matching: Vec<&'a Value> = patterns
                    .map(|ps| {
                        ps.iter()
                            .filter(|(p, _)| self.matches(p, key))
                            .map(|(_, s)| s)
                            .collect()
                    })
                    .unwrap_or_default();
                if !matching.is_empty() {
                    for s in matching {
                        self.walk(s, v, &path, errors);
                    }
                    continue;
                }
                match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{at}: unexpected key {key}")),
                    Some(s @ Value::Object(_)) => self.walk(s, v, &path, errors),
                    _ => {}
                }
            }
        }
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// One element of a pattern: a set of accepted chars and how often.
#[derive(Debug, Clone)]
enum Atom {
    Any,
    Class(Vec<(char, char)>),
    Group(Vec<Piece>),
}

#[derive(Debug, Clone)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

fn parse(chars: &[char], i: &mut usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    while *i < chars.len() && chars[*i] != ')' {
        let c = chars[*i];
        *i += 1;
        let atom = match c {
            '^' | '$' => continue,
            '.' => Atom::Any,
            '(' => {
                let inner = parse(chars, i);
                *i += 1; // ')'
                Atom::Group(inner)
            }
            '[' => {
                let mut ranges = Vec::new();
                while chars[*i] != ']' {
                    let lo = chars[*i];
                    if chars.get(*i + 1) == Some(&'-') && chars.get(*i + 2) != Some(&']') {
                        ranges.push((lo, chars[*i + 2]));
                        *i += 3;
                    } else {
                        ranges.push((lo, lo));
                        *i += 1;
                    }
                }
                *i += 1;
                Atom::Class(ranges)
            }
            '\\' => {
                let e = chars[*i];
                *i += 1;
                Atom::Class(vec![(e, e)])
            }
            c => Atom::Class(vec![(c, c)]),
        };
        let (min, max) = match chars.get(*i) {
            Some('+') => (1, usize::MAX),
            Some('*') => (0, usize::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                let end = chars[*i..].iter().position(|c| *c == '}').unwrap() + *i;
                let n: usize = chars[*i + 1..end]
                    .iter()
                    .collect::<String>()
                    .parse()
                    .unwrap();
                *i = end;
                (n, n)
            }
            _ => (1, 1),
        };
        if (min, max) != (1, 1) {
            *i += 1;
        }
        pieces.push(Piece { atom, min, max });
    }
    pieces
}

/// All end positions after matching `pieces` from `pos`.
fn ends(pieces: &[Piece], s: &[char], pos: usize) -> Vec<usize> {
    let Some((first, rest)) = pieces.split_first() else {
        return vec![pos];
    };
    let mut out = Vec::new();
    let mut frontier = vec![pos];
    for count in 0..=first.max.min(s.len() + 1) {
        if count >= first.min {
            for &p in &frontier {
                out.extend(ends(rest, s, p));
            }
        }
        let mut next = Vec::new();
        for &p in &frontier {
            next.extend(atom_ends(&first.atom, s, p));
        }
        next.sort_unstable();
        next.dedup();
        if next.is_empty() || count == first.max {
            break;
        }
        frontier = next;
    }
    out
}

fn atom_ends(atom: &Atom, s: &[char], p: usize) -> Vec<usize> {
    match atom {
        Atom::Any => (p < s.len()).then_some(p + 1).into_iter().collect(),
        Atom::Class(ranges) => (p < s.len()
            && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&s[p])))
        .then_some(p + 1)
        .into_iter()
        .collect(),
        Atom::Group(inner) => ends(inner, s, p)
            .into_iter()
            .filter(|e| *e > p || inner.is_empty())
            .collect(),
    }
}

/// Anchored match of the pattern subset above.
pub fn pattern_matches(pattern: &str, s: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let pieces = parse(&chars, &mut 0);
    let s: Vec<char> = s.chars().collect();
    ends(&pieces, &s, 0).contains(&s.len())
}

#[test]
fn patterns() {
    assert!(pattern_matches(
        "^crm__custom_info__[0-9]+$",
        "crm__custom_info__64"
    ));
    assert!(!pattern_matches(
        "^crm__custom_info__[0-9]+$",
        "crm__custom_info__"
    ));
    assert!(pattern_matches(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "2026-11-28"
    ));
    assert!(!pattern_matches(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "2026-1-28"
    ));
    assert!(pattern_matches("^([0-9]{4}-[0-9]{2})?$", ""));
    assert!(pattern_matches("^([0-9]{4}-[0-9]{2})?$", "2026-11"));
    assert!(pattern_matches(
        "^call_outcome__extra__.+$",
        "call_outcome__extra__Contract length"
    ));
    assert!(pattern_matches(
        "^product__[A-Z0-9-]+$",
        "product__STROM-FAST12"
    ));
    assert!(!pattern_matches("^product__[A-Z0-9-]+$", "product__code"));
    assert!(pattern_matches(
        "^[0-9]{2}[.][0-9]{3}[+-][0-9]{4}$",
        "06.477+0100"
    ));
}
