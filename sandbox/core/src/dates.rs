//! Dates: [`cube_dates::Date`] (the parser the client and the records module use too), the
//! offset of Norwegian local time on a date, and the request log's timestamps.

pub use cube_dates::Date;

/// Norwegian local time's UTC offset in hours on `date` (CET/CEST; switches at the last
/// Sundays of March and October, ignoring the hour of the switch).
pub fn oslo_offset_hours(date: Date) -> i64 {
    let (y, _, _) = date.ymd();
    let last_sunday = |m: u32| {
        let last = Date::from_ymd(y, m, 31).expect("March and October have 31 days");
        last.add_days(-(((last.weekday() + 1) % 7) as i64))
    };
    if date >= last_sunday(3) && date < last_sunday(10) {
        2
    } else {
        1
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_forms_parse_and_others_do_not() {
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
        let offset = |s: &str| oslo_offset_hours(Date::parse_iso(s).unwrap());
        assert_eq!(offset("2026-01-15"), 1);
        assert_eq!(offset("2026-07-15"), 2);
        assert_eq!(offset("2026-03-29"), 2);
        assert_eq!(offset("2026-03-28"), 1);
        assert_eq!(offset("2026-10-25"), 1);
        assert_eq!(offset("2026-10-24"), 2);
    }

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            utc_timestamp(86_400_000 + 3_723_004),
            "1970-01-02T01:02:03.004Z"
        );
    }
}
