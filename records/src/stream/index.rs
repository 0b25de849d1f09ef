//! The previous snapshot as a streaming sync holds it: per record its key, fingerprint and
//! where its values are in the snapshot's bytes — never the values themselves.
//!
//! Cost per record: one 32-byte entry (a key is at most 65,535 bytes), the key's bytes, and
//! 8–16 bytes of hash table (a table of entry numbers, each beside 32 bits of its key's hash,
//! so that a lookup reads an entry only when those match; at most three quarters full).
//! Entries and keys are kept in fixed-size blocks, so the index never copies itself to grow
//! (no moment with twice the memory).

use crate::same_text::same_text;
use std::collections::HashMap;

/// Entries per block.
const BLOCK: usize = 1 << 14;
/// Key bytes per block (a longer key gets a block of its own).
const KEY_BLOCK: usize = 1 << 20;
/// Entries at most: an entry's number fits a slot's low 32 bits.
const MAX_ENTRIES: usize = u32::MAX as usize - 1;
/// A free slot of the table.
const FREE: u64 = u64::MAX;

fn slot_of(number: u32, hash: u64) -> u64 {
    (hash & 0xffff_ffff_0000_0000) | u64::from(number)
}

/// 64-bit hash of a key: FNV-1a, then a finalizer that spreads it over every bit.
pub(crate) fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One record of the previous snapshot.
#[derive(Clone, Copy, Default)]
pub(crate) struct Entry {
    pub fingerprint: u64,
    /// Where its values array is in the snapshot's bytes (`values_len == 0`: it has none).
    pub values_at: u64,
    pub values_len: u32,
    key_at: u32,
    key_block: u16,
    key_len: u16,
    /// How often this sync has read its key so far (saturating).
    pub seen: u8,
}

/// A growing table of entry numbers by key hash, open addressing with linear probing. A slot
/// is `tag << 32 | number` (`tag`: the hash's high 32 bits), or [`FREE`].
struct Table {
    slots: Vec<u64>,
    used: usize,
}

impl Table {
    fn new() -> Self {
        Table {
            slots: vec![FREE; 1024],
            used: 0,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The first slot to look at for a key whose hash has `tag` as its high 32 bits: the
    /// tag's top bits, so that the table grows without hashing a key again.
    fn home(&self, tag: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (tag >> (32 - bits)) as usize
    }

    /// Puts `slot_value` in the first free slot from its home.
    fn put(&mut self, slot_value: u64) {
        let mask = self.mask();
        let mut slot = self.home(slot_value >> 32);
        while self.slots[slot] != FREE {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = slot_value;
    }
}

/// The previous snapshot's records by key.
pub(crate) struct PreviousIndex {
    blocks: Vec<Vec<Entry>>,
    keys: Vec<String>,
    table: Table,
    len: usize,
    /// Keys found more than once in the snapshot.
    duplicates: KeyCounts,
}

impl PreviousIndex {
    pub fn new() -> Self {
        PreviousIndex {
            blocks: Vec::new(),
            keys: Vec::new(),
            table: Table::new(),
            len: 0,
            duplicates: KeyCounts::default(),
        }
    }

    /// Records indexed (a duplicated key counts once: its first record is the one matched).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Keys found more than once, with how many times.
    pub fn duplicates(&self) -> &[(String, usize)] {
        self.duplicates.list()
    }

    pub fn entry(&self, i: u32) -> &Entry {
        let i = i as usize;
        &self.blocks[i / BLOCK][i % BLOCK]
    }

    pub fn entry_mut(&mut self, i: u32) -> &mut Entry {
        let i = i as usize;
        &mut self.blocks[i / BLOCK][i % BLOCK]
    }

    pub fn key(&self, i: u32) -> &str {
        let e = self.entry(i);
        let at = e.key_at as usize;
        &self.keys[e.key_block as usize][at..at + e.key_len as usize]
    }

    /// The entry of `key`, if any.
    #[cfg(test)]
    pub fn find(&self, key: &str) -> Option<u32> {
        self.find_hashed(key, key_hash(key))
    }

    /// The entry of `key`, looking at entry `guess` first (the records of a list mostly come
    /// in the order of the snapshot's: then the guess is right and costs no table lookup).
    pub fn find_from(&self, key: &str, guess: u32) -> Option<u32> {
        if (guess as usize) < self.len && same_text(self.key(guess), key) {
            return Some(guess);
        }
        self.find_hashed(key, key_hash(key))
    }

    fn find_hashed(&self, key: &str, hash: u64) -> Option<u32> {
        let mask = self.table.mask();
        let tag = hash >> 32;
        let mut slot = self.table.home(tag);
        loop {
            let s = self.table.slots[slot];
            if s == FREE {
                return None;
            }
            let i = s as u32;
            if s >> 32 == tag && same_text(self.key(i), key) {
                return Some(i);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds a record; a key already there is counted as a duplicate (the first record stays
    /// the one matched). Refuses more than 4,294,967,294 records.
    pub fn insert(
        &mut self,
        key: &str,
        fingerprint: u64,
        values: Option<(u64, u32)>,
    ) -> Result<(), &'static str> {
        if key.len() > usize::from(u16::MAX) {
            return Err("a key is longer than 65,535 bytes");
        }
        let hash = key_hash(key);
        if self.find_hashed(key, hash).is_some() {
            self.duplicates.again(key);
            return Ok(());
        }
        if self.len >= MAX_ENTRIES || self.keys.len() >= usize::from(u16::MAX) {
            return Err("a snapshot holds at most 4,294,967,294 records and 64 GiB of keys");
        }
        let (key_block, key_at) = self.store_key(key);
        let (values_at, values_len) = values.unwrap_or((0, 0));
        let entry = Entry {
            fingerprint,
            values_at,
            values_len,
            key_block,
            key_at,
            key_len: key.len() as u16,
            seen: 0,
        };
        if self.len % BLOCK == 0 {
            self.blocks.push(Vec::with_capacity(BLOCK));
        }
        let number = self.len as u32;
        self.blocks.last_mut().expect("a block").push(entry);
        self.len += 1;
        self.place(number, hash);
        Ok(())
    }

    fn store_key(&mut self, key: &str) -> (u16, u32) {
        let fits = self
            .keys
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= key.len());
        if !fits {
            self.keys
                .push(String::with_capacity(KEY_BLOCK.max(key.len())));
        }
        let block = self.keys.last_mut().expect("a key block");
        let at = block.len();
        block.push_str(key);
        ((self.keys.len() - 1) as u16, at as u32)
    }

    fn place(&mut self, number: u32, hash: u64) {
        if (self.table.used + 1) * 4 > self.table.slots.len() * 3 {
            self.grow();
        }
        self.table.put(slot_of(number, hash));
        self.table.used += 1;
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.table.slots);
        self.table.slots = vec![FREE; old.len() * 2];
        for s in old.into_iter().filter(|&s| s != FREE) {
            self.table.put(s);
        }
    }

    /// Bytes held, roughly (for the memory tests and the documented cost per record).
    pub fn held_bytes(&self) -> usize {
        self.blocks.len() * BLOCK * std::mem::size_of::<Entry>()
            + self.keys.iter().map(String::capacity).sum::<usize>()
            + self.table.slots.len() * 8
    }
}

/// Keys found more than once on one side, each with how many times, in first-seen order.
#[derive(Default)]
pub(crate) struct KeyCounts {
    list: Vec<(String, usize)>,
    at: HashMap<String, usize>,
}

impl KeyCounts {
    /// Notes one more record with `key`, a key already seen; `true` when this makes it a
    /// duplicate (its second record), `false` when it was one already.
    pub fn again(&mut self, key: &str) -> bool {
        if let Some(&d) = self.at.get(key) {
            self.list[d].1 += 1;
            return false;
        }
        self.at.insert(key.to_string(), self.list.len());
        self.list.push((key.to_string(), 2));
        true
    }

    pub fn list(&self) -> &[(String, usize)] {
        &self.list
    }
}

/// The keys this sync read that the previous snapshot does not have (the added records), as
/// 64-bit hashes: 8–16 bytes per key. Two different keys with the same hash (odds about
/// n²/2⁶⁵: 1 in 40 million at a million keys) would be taken for a duplicate.
pub(crate) struct KeySet {
    slots: Vec<u64>,
    used: usize,
}

impl KeySet {
    pub fn new() -> Self {
        KeySet {
            slots: vec![0; 1024],
            used: 0,
        }
    }

    /// Adds `key`; `false` when it was there already.
    pub fn insert(&mut self, key: &str) -> bool {
        if (self.used + 1) * 4 > self.slots.len() * 3 {
            let old = std::mem::take(&mut self.slots);
            self.slots = vec![0; old.len() * 2];
            for h in old.into_iter().filter(|&h| h != 0) {
                self.put(h);
            }
        }
        // 0 marks a free slot.
        let h = key_hash(key).max(1);
        let inserted = self.put(h);
        if inserted {
            self.used += 1;
        }
        inserted
    }

    fn put(&mut self, h: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut slot = h as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    self.slots[slot] = h;
                    return true;
                }
                x if x == h => return false,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    pub fn held_bytes(&self) -> usize {
        self.slots.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_it_holds_and_counts_duplicates() {
        let mut ix = PreviousIndex::new();
        for i in 0..50_000u64 {
            ix.insert(&format!("k{i}"), i, Some((i * 10, 7))).unwrap();
        }
        ix.insert("k7", 99, None).unwrap();
        ix.insert("k7", 98, None).unwrap();
        assert_eq!(ix.len(), 50_000);
        assert_eq!(ix.duplicates(), [("k7".to_string(), 3)]);
        let i = ix.find("k7").unwrap();
        assert_eq!(ix.find_from("k7", i), Some(i), "a right guess");
        assert_eq!(ix.find_from("k7", i + 1), Some(i), "a wrong guess");
        assert_eq!(
            ix.find_from("k7", u32::MAX),
            Some(i),
            "a guess past the end"
        );
        assert_eq!(ix.find_from("k50000", 3), None);
        assert_eq!(ix.entry(i).fingerprint, 7, "the first record stays");
        let j = ix.find("k49999").unwrap();
        assert_eq!(ix.key(j), "k49999");
        assert_eq!(ix.entry(j).values_at, 499_990);
        assert!(ix.find("k50000").is_none());
        assert!(ix.find("").is_none());
    }

    #[test]
    fn key_set_tells_new_from_seen() {
        let mut s = KeySet::new();
        for i in 0..10_000 {
            assert!(s.insert(&i.to_string()));
        }
        assert!(!s.insert("42"));
        assert!(s.insert("10000"));
    }
}
