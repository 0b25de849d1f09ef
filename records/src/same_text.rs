//! Equality of short texts (field names, keys) eight bytes at a time. `==` on `str` calls
//! `memcmp`, which in wasm32 compares a byte at a time in a function call of its own; a sync
//! compares some twenty field names per record.

/// Whether `a` and `b` are the same text.
#[inline]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        let x = u64::from_le_bytes(x.try_into().expect("eight bytes"));
        let y = u64::from_le_bytes(y.try_into().expect("eight bytes"));
        if x != y {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn equal_exactly_when_the_texts_are() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "crm__custom_info__64",
            "crm__custom_info__65",
            "crm__custom_info__6",
            "12345678",
            "12345679",
            "123456789",
            "æøå",
            "æøa",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
