//! Matching records of two sides by key.

use super::types::{DuplicateKey, Side};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a for the key map: keys are short ids, where it beats SipHash. (Keys come from
/// the caller's own CRM data; no flooding resistance is needed here.)
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type KeyMap<'a> = HashMap<&'a str, Slot, BuildHasherDefault<KeyHasher>>;

/// Where a key occurs on one side: its first record and how many have it.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    pub first: usize,
    pub count: usize,
}

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
    map: KeyMap<'a>,
    /// Keys occurring more than once, in first-seen order.
    duplicated: Vec<&'a str>,
    anonymized: Vec<usize>,
}

fn index<'a>(keys: &'a [Option<Cow<'a, str>>]) -> Index<'a> {
    let mut map = KeyMap::with_capacity_and_hasher(keys.len(), Default::default());
    let mut duplicated_keys = 0usize;
    let mut anonymized = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match key.as_deref() {
            None => anonymized.push(i),
            Some(k) => {
                let slot = map.entry(k).or_insert(Slot { first: i, count: 0 });
                slot.count += 1;
                if slot.count == 2 {
                    duplicated_keys += 1;
                }
            }
        }
    }
    // The duplicated keys in first-seen order (a second pass only when there are any).
    let mut duplicated: Vec<&str> = Vec::with_capacity(duplicated_keys);
    if duplicated_keys > 0 {
        for (i, key) in keys.iter().enumerate() {
            if let Some(k) = key.as_deref() {
                let slot = map[k];
                if slot.first == i && slot.count > 1 {
                    duplicated.push(k);
                }
            }
        }
    }
    Index {
        map,
        duplicated,
        anonymized,
    }
}

fn report(idx: &Index<'_>, side: Side, out: &mut Vec<DuplicateKey>) {
    out.extend(idx.duplicated.iter().map(|k| DuplicateKey {
        key: (*k).to_string(),
        side,
        count: idx.map[k].count,
    }));
}

/// Pairs up records by key. `None` keys are anonymized.
pub(crate) fn match_keys(
    before: &[Option<Cow<'_, str>>],
    after: &[Option<Cow<'_, str>>],
) -> Matching {
    let b = index(before);
    let a = index(after);
    let mut duplicates = Vec::new();
    report(&a, Side::After, &mut duplicates);
    report(&b, Side::Before, &mut duplicates);

    let mut pairs = Vec::with_capacity(after.len());
    for (i, key) in after.iter().enumerate() {
        let Some(k) = key.as_deref() else { continue };
        if a.map[k].count > 1 {
            continue;
        }
        match b.map.get(k) {
            None => pairs.push((i, None)),
            Some(s) if s.count == 1 => pairs.push((i, Some(s.first))),
            Some(_) => {}
        }
    }
    let removed = before
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let k = key.as_deref()?;
            (b.map[k].count == 1 && !a.map.contains_key(k)).then_some(i)
        })
        .collect();
    Matching {
        pairs,
        removed,
        anonymized_after: a.anonymized,
        anonymized_before: b.anonymized,
        duplicates,
    }
}
