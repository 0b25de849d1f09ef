//! Calendar dates without a date library: days since 1970-01-01 <-> (year, month, day).

use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

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

    /// The UTC day of a moment given as milliseconds since 1970 (the edge reads its clock).
    pub fn utc_day(unix_ms: u64) -> Date {
        Date((unix_ms as i64).div_euclid(86_400_000))
    }

    pub fn add_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Self::parse_parts(&s[0..4], &s[5..7], &s[8..10])
    }

    /// Parses `YYYYMMDD` (the API's query-parameter format).
    pub fn parse_compact(s: &str) -> Option<Date> {
        // Digits first: slicing eight bytes of other text could split a character.
        if s.len() != 8 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        Self::parse_parts(&s[0..4], &s[4..6], &s[6..8])
    }

    fn parse_parts(y: &str, m: &str, d: &str) -> Option<Date> {
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Day of week, 0 = Monday .. 6 = Sunday.
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// Norwegian local time's UTC offset in hours on this date (CET/CEST; switches at
    /// the last Sundays of March and October, ignoring the hour of the switch).
    pub fn oslo_offset_hours(self) -> i64 {
        let (y, _, _) = self.ymd();
        let last_sunday = |m: u32| {
            let last = Date::from_ymd(y, m, 31).expect("March and October have 31 days");
            last.add_days(-(((last.weekday() + 1) % 7) as i64))
        };
        if self >= last_sunday(3) && self < last_sunday(10) {
            2
        } else {
            1
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a moment (used by the request log).
pub fn utc_timestamp(unix_ms: u64) -> String {
    let millis = unix_ms as i64;
    let day = Date(millis.div_euclid(86_400_000));
    let ms = millis.rem_euclid(86_400_000);
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{day}T{h:02}:{m:02}:{s:02}.{frac:03}Z")
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_000, 2_000_000] {
            let (y, m, d) = Date(days).ymd();
            assert_eq!(Date::from_ymd(y, m, d), Some(Date(days)));
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date(0).weekday(), 3); // a Thursday
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            Date::parse_compact("20240229").unwrap().to_string(),
            "2024-02-29"
        );
        assert!(Date::parse_compact("20230229").is_none());
        assert!(Date::parse_compact("2024-1-1").is_none());
        assert!(Date::parse_compact("2024010a").is_none());
        assert!(
            Date::parse_compact("#\u{56c5a}ë4").is_none(),
            "8 bytes, not 8 digits"
        );
        assert!(Date::parse_compact("2026ø11").is_none());
        assert_eq!(
            Date::parse_iso("2026-11-28").unwrap().to_string(),
            "2026-11-28"
        );
    }

    #[test]
    fn oslo_offsets() {
        assert_eq!(
            Date::parse_iso("2026-01-15").unwrap().oslo_offset_hours(),
            1
        );
        assert_eq!(
            Date::parse_iso("2026-07-15").unwrap().oslo_offset_hours(),
            2
        );
        assert_eq!(
            Date::parse_iso("2026-03-29").unwrap().oslo_offset_hours(),
            2
        );
        assert_eq!(
            Date::parse_iso("2026-03-28").unwrap().oslo_offset_hours(),
            1
        );
    }
}
