//! "Changed since a date", through the change-log field `crm__change_log__updated`.

use crate::error::{RecordsError, Result};
use crate::fields::UPDATED;
use crate::value::text;
use crate::Record;

/// Normalizes `YYYY-MM-DD` or `YYYYMMDD` (optionally followed by a time, as in
/// `YYYY-MM-DD HH:MM`) to `YYYY-MM-DD`; `None` when it is not such a date (one that exists:
/// [`cube_dates::Date::parse_prefix`]).
pub fn normalize_date(s: &str) -> Option<String> {
    cube_dates::Date::parse_prefix(s).map(|(d, _)| d.to_string())
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
        assert_eq!(normalize_date("2024-02-30"), None, "a day the month lacks");
        assert_eq!(normalize_date("202403051"), None);
        assert_eq!(normalize_date("yesterday"), None);
        assert_eq!(normalize_date(""), None);
    }
}
