//! The core's modules form no import circle: each top-level module uses only modules below
//! it (today: `state` below `routes`/`control`, `envelope` below `pagination`/`faults`,
//! `dates` below `config`/`data`). A `use crate::x` that closes a circle fails here, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Top-level module → the top-level modules its files name as `crate::…`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let used = out.entry(module.clone()).or_default();
            for (i, _) in text.match_indices("crate::") {
                let rest = &text[i + 7..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    used.insert(name);
                }
            }
            // `use crate::{a, b::c}`
            for (i, _) in text.match_indices("use crate::{") {
                let list = &text[i + 12..];
                let list = &list[..list.find('}').unwrap_or(0)];
                for item in list.split(',') {
                    let name = item.trim().split("::").next().unwrap_or("").to_string();
                    if !name.is_empty() && name != module && name != "self" {
                        used.insert(name);
                    }
                }
            }
        }
    }
    out
}

/// A path from `to` back to `from`, if there is one.
fn path_back(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![to.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap().clone();
        if last == from {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(&last).into_iter().flatten() {
            let mut p = path.clone();
            p.push(next.clone());
            stack.push(p);
        }
    }
    None
}

#[test]
fn the_core_has_no_import_circle() {
    let graph = imports();
    assert!(graph.contains_key("routes") && graph.contains_key("state"));
    for (module, used) in &graph {
        for target in used {
            if let Some(back) = path_back(&graph, module, target) {
                panic!("import circle: {module} → {}", back.join(" → "));
            }
        }
    }
}
