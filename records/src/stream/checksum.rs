//! The checksum a stored snapshot carries, so that a damaged one (a flipped byte, a hand edit,
//! a copy cut short) is refused instead of producing a wrong diff. It detects accidents, not
//! forgery: it is not cryptographic.
//!
//! Each part (a key, a fingerprint, a values list, a field name) is mixed in with its length,
//! eight bytes at a time; every step is a bijection of the state, so a change to any single
//! word always changes the result.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Checksum(u64);

impl Default for Checksum {
    fn default() -> Self {
        Checksum(0x243F_6A88_85A3_08D3)
    }
}

impl Checksum {
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(K).rotate_left(29);
    }

    /// Mixes in one part.
    pub fn add(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }

    /// Mixes in a number.
    pub fn add_u64(&mut self, v: u64) {
        self.word(v);
    }

    /// The result (finalized so that nearby states give unrelated values).
    pub fn value(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

#[cfg(test)]
mod tests {
    use super::Checksum;

    fn of(parts: &[&[u8]]) -> u64 {
        let mut c = Checksum::default();
        parts.iter().for_each(|p| c.add(p));
        c.value()
    }

    #[test]
    fn any_changed_byte_or_boundary_changes_it() {
        let base = of(&[b"0042", b"[\"0042\",\"Kari Nordmann\",null,12]"]);
        assert_eq!(
            base,
            of(&[b"0042", b"[\"0042\",\"Kari Nordmann\",null,12]"])
        );
        let text = b"[\"0042\",\"Kari Nordmann\",null,12]";
        for i in 0..text.len() {
            for bit in 0..8 {
                let mut t = text.to_vec();
                t[i] ^= 1 << bit;
                assert_ne!(base, of(&[b"0042", &t]), "byte {i} bit {bit}");
            }
        }
        assert_ne!(
            base,
            of(&[b"0042\"", b"\"0042\",\"Kari Nordmann\",null,12]"])
        );
        assert_ne!(
            base,
            of(&[b"0042", b"[\"0042\",\"Kari Nordmann\",null,12]", b""])
        );
    }
}
