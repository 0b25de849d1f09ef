//! Calendar dates as Cube writes them, without a date library: the one parser of
//! `YYYY-MM-DD` and `YYYYMMDD` that the client (its `from`/`to` parameters), the records
//! module (change-log dates) and the sandbox (its data and filters) share, and the Gregorian
//! arithmetic under it (days since 1970-01-01 ↔ year, month, day; Howard Hinnant's
//! algorithms).

use std::fmt;

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (not checked: see [`Date::from_ymd`]).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `n` ASCII digits of `s` from `at`, as a number.
fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    part.iter()
        .all(u8::is_ascii_digit)
        .then(|| part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
}

impl Date {
    /// The date, or `None` when it does not exist (month 1–12, day within the month).
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    /// The UTC day of a moment given as milliseconds since 1970.
    pub fn utc_day(unix_ms: u64) -> Date {
        Date((unix_ms as i64).div_euclid(86_400_000))
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// Day of week, 0 = Monday .. 6 = Sunday.
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// A date at the start of `s`, `YYYY-MM-DD` or `YYYYMMDD`, and the length it takes;
    /// `None` when `s` does not start with a date that exists, or a digit follows it. What
    /// follows otherwise (a time) is not read.
    pub fn parse_prefix(s: &str) -> Option<(Date, usize)> {
        let b = s.as_bytes();
        let (y, m, d, len) = if b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
            (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?, 10)
        } else {
            (digits(b, 0, 4)?, digits(b, 4, 2)?, digits(b, 6, 2)?, 8)
        };
        if b.get(len).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        Some((Date::from_ymd(i64::from(y), m, d)?, len))
    }

    /// Exactly `YYYY-MM-DD` or `YYYYMMDD`, a date that exists.
    pub fn parse(s: &str) -> Option<Date> {
        Date::parse_prefix(s).and_then(|(d, len)| (len == s.len()).then_some(d))
    }

    /// Exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        Date::parse(s).filter(|_| s.len() == 10)
    }

    /// Exactly `YYYYMMDD` (the API's query-parameter form).
    pub fn parse_compact(s: &str) -> Option<Date> {
        Date::parse(s).filter(|_| s.len() == 8)
    }

    /// `YYYYMMDD`.
    pub fn compact(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}{m:02}{d:02}")
    }
}

/// `YYYY-MM-DD`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_the_same_date_and_round_trip() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(Some(d), Date::parse("20240229"));
        assert_eq!(d.compact(), "20240229");
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(d.ymd(), (2024, 2, 29));
        assert_eq!(Date(0).to_string(), "1970-01-01");
        for days in [-800_000, -1, 0, 59, 60, 365, 11_016, 2_932_896] {
            let (y, m, dd) = Date(days).ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(Date(days)), "{days}");
        }
    }

    #[test]
    fn dates_that_do_not_exist_and_other_text_are_refused() {
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
            "2024-01-01T00:00",
            "1900-02-29",
            "2024-01-0é",
            "２０２４０１０１",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
        assert!(Date::parse("2000-02-29").is_some());
        assert_eq!(Date::parse_iso("20240101"), None);
        assert_eq!(Date::parse_compact("2024-01-01"), None);
    }

    #[test]
    fn a_prefix_is_a_date_followed_by_anything() {
        let (d, len) = Date::parse_prefix("2024-03-05 10:27").unwrap();
        assert_eq!((d.to_string(), len), ("2024-03-05".into(), 10));
        assert_eq!(Date::parse_prefix("20240305T1027").map(|(_, l)| l), Some(8));
        assert_eq!(Date::parse_prefix("2024-02-30 10:00"), None);
        assert_eq!(Date::parse_prefix("202403051"), None, "a ninth digit");
    }

    #[test]
    fn weekdays_and_days_in_month() {
        assert_eq!(Date::parse("2026-12-07").unwrap().weekday(), 0, "a Monday");
        assert_eq!(
            Date::parse("1970-01-01").unwrap().weekday(),
            3,
            "a Thursday"
        );
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 12), 31);
        assert_eq!(Date::utc_day(86_400_000 * 3 - 1), Date(2));
    }
}
