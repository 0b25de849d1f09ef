//! "Changed since a date", through the change-log field `crm__change_log__updated`.

use crate::error::{RecordsError, Result};
use crate::fields::UPDATED;
use crate::value::text;
use crate::Record;

/// Normalizes `YYYY-MM-DD` or `YYYYMMDD` (optionally followed by a time, as in
/// `YYYY-MM-DD HH:MM`) to `YYYY-MM-DD`; `None` when it is not such a date.
pub fn normalize_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let (y, m, d) = if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
    {
        (&s[0..4], &s[5..7], &s[8..10])
    } else if b.len() >= 8 && digits(0..8) && !b.get(8).is_some_and(u8::is_ascii_digit) {
        (&s[0..4], &s[4..6], &s[6..8])
    } else {
        return None;
    };
    let (mn, dn): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&mn) && (1..=31).contains(&dn)).then(|| format!("{y}-{m}-{d}"))
}

/// The records whose `crm__change_log__updated` is on or after `since` (`YYYY-MM-DD` or
/// `YYYYMMDD`), in input order. Records without a readable date are left out.
pub fn changed_since<'a>(records: &'a [Record], since: &str) -> Result<Vec<&'a Record>> {
    let since =
        normalize_date(since).ok_or_else(|| RecordsError::InvalidDate(since.to_string()))?;
    Ok(records
        .iter()
        .filter(|r| {
            r.get(UPDATED)
                .and_then(|v| normalize_date(&text(v)))
                .is_some_and(|d| d >= since)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(normalize_date("20240305").as_deref(), Some("2024-03-05"));
        assert_eq!(
            normalize_date("2024-03-05 10:27").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(normalize_date("2024-13-05"), None);
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date(""), None);
    }
}
