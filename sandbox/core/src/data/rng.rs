//! Deterministic hashing: every generated value is a pure function of its key parts, so
//! record i can be computed in O(1) without generating records 0..i.

/// SplitMix64's finalizer: a good 64-bit mix.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a key made of parts (seed, owner, crm, index, field tag, ...).
pub fn hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x6A09_E667_F3BC_C908, |acc, p| splitmix(acc ^ p))
}

/// A small deterministic stream of numbers derived from one hash.
#[derive(Clone, Debug)]
pub struct Draw(u64);

impl Draw {
    pub fn new(parts: &[u64]) -> Self {
        Draw(hash(parts))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = splitmix(self.0);
        self.0
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A copy of a random element.
    pub fn pick_copy<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Field tags: distinct hash inputs so that fields of one record are independent.
pub mod tag {
    pub const CUSTOMER: u64 = 1;
    pub const ID_STYLE: u64 = 2;
    pub const CAMPAIGN: u64 = 3;
    pub const CALLFLOW: u64 = 4;
    pub const OUTCOME: u64 = 5;
    pub const FIELDS: u64 = 6;
    pub const EDIT: u64 = 7;
    pub const OWNER: u64 = 8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_spread() {
        assert_eq!(hash(&[1, 2, 3]), hash(&[1, 2, 3]));
        assert_ne!(hash(&[1, 2, 3]), hash(&[1, 3, 2]));
        let mut d = Draw::new(&[42]);
        let mut counts = [0u32; 10];
        for _ in 0..10_000 {
            counts[d.below(10) as usize] += 1;
        }
        assert!(counts.iter().all(|c| (800..1200).contains(c)), "{counts:?}");
    }
}
