//! Matching records of two sides by key.

use super::types::{DuplicateKey, Side};
use std::borrow::Cow;
use std::collections::HashMap;

/// How the records of both sides pair up by key.
pub(crate) struct Matching {
    /// `(after index, Some(before index))` for matched keys, `None` for added; after order.
    pub pairs: Vec<(usize, Option<usize>)>,
    /// Before indices whose key is not in `after`, in before order.
    pub removed: Vec<usize>,
    /// Indices with an empty key, per side.
    pub anonymized_after: Vec<usize>,
    pub anonymized_before: Vec<usize>,
    pub duplicates: Vec<DuplicateKey>,
}

struct Index<'a> {
    /// Key → (first index, count).
    map: HashMap<&'a str, (usize, usize)>,
    /// Keys in first-seen order with their first index.
    order: Vec<&'a str>,
    anonymized: Vec<usize>,
}

fn index<'a>(keys: &'a [Option<Cow<'a, str>>]) -> Index<'a> {
    let mut map: HashMap<&str, (usize, usize)> = HashMap::with_capacity(keys.len());
    let mut order = Vec::with_capacity(keys.len());
    let mut anonymized = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match key.as_deref() {
            None => anonymized.push(i),
            Some(k) => {
                let e = map.entry(k).or_insert_with(|| {
                    order.push(k);
                    (i, 0)
                });
                e.1 += 1;
            }
        }
    }
    Index {
        map,
        order,
        anonymized,
    }
}

fn duplicates(idx: &Index<'_>, side: Side, out: &mut Vec<DuplicateKey>) {
    for k in &idx.order {
        let count = idx.map[k].1;
        if count > 1 {
            out.push(DuplicateKey {
                key: (*k).to_string(),
                side,
                count,
            });
        }
    }
}

/// Pairs up records by key. `None` keys are anonymized.
pub(crate) fn match_keys(
    before: &[Option<Cow<'_, str>>],
    after: &[Option<Cow<'_, str>>],
) -> Matching {
    let b = index(before);
    let a = index(after);
    let mut dups = Vec::new();
    duplicates(&a, Side::After, &mut dups);
    duplicates(&b, Side::Before, &mut dups);
    let is_dup =
        |k: &str| a.map.get(k).is_some_and(|e| e.1 > 1) || b.map.get(k).is_some_and(|e| e.1 > 1);

    let mut pairs = Vec::with_capacity(a.order.len());
    for (i, key) in after.iter().enumerate() {
        let Some(k) = key.as_deref() else { continue };
        if is_dup(k) {
            continue;
        }
        pairs.push((i, b.map.get(k).map(|e| e.0)));
    }
    let removed = before
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let k = key.as_deref()?;
            (!a.map.contains_key(k) && !is_dup(k)).then_some(i)
        })
        .collect();
    Matching {
        pairs,
        removed,
        anonymized_after: a.anonymized,
        anonymized_before: b.anonymized,
        duplicates: dups,
    }
}
