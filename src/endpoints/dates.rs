//! Calendar dates for `from_date`/`to_date`.

use crate::calendar::days_in_month;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// `YYYYMMDD`, the form the Cube API takes.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DD` or `YYYYMMDD`; `None` unless it is a real date between 1900 and 9999.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let digits: String = match t.len() {
        10 if t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' => {
            format!("{}{}{}", &t[..4], &t[5..7], &t[8..])
        }
        8 => t.to_string(),
        _ => return None,
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = digits[..4].parse().ok()?;
    let month: u8 = digits[4..6].parse().ok()?;
    let day: u8 = digits[6..].parse().ok()?;
    if year < 1900
        || !(1..=12).contains(&month)
        || day < 1
        || i64::from(day) > days_in_month(i64::from(year), i64::from(month))
    {
        return None;
    }
    Some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse_to_the_same_date() {
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(d, parse_date("20240229").unwrap());
        assert_eq!(d.compact(), "20240229");
        assert_eq!(d.to_string(), "2024-02-29");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "20240132",
            "2024/01/01",
            "24-01-01",
            "2024-1-1",
            "",
            "abcdefgh",
            "1899-12-31",
            "2024-01-01T00:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert!(parse_date("2000-02-29").is_some());
        assert!(parse_date("1900-02-29").is_none());
    }
}
