//! `parse_date`: a parsed date is a real calendar date from 1900 to 9999 and round-trips
//! through both forms (`compact()` = YYYYMMDD, `Display` = YYYY-MM-DD); an independent check
//! of the calendar agrees on every 8-digit input.
#![no_main]

use cube_integration::endpoints::dates::parse_date;
use libfuzzer_sys::fuzz_target;

#[path = "../oracle/calendar.rs"]
mod calendar;

fn real_date(y: u32, m: u32, d: u32) -> bool {
    (1900..=9999).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && i64::from(d) <= calendar::days_in_month(y.into(), m.into())
}

fuzz_target!(|text: &str| {
    let parsed = parse_date(text);
    if let Some(d) = parsed {
        let (y, m, day) = d.ymd();
        assert!(
            u32::try_from(y).is_ok_and(|y| real_date(y, m, day)),
            "{d:?} from {text:?}"
        );
        let compact = d.compact();
        assert_eq!(compact.len(), 8);
        assert_eq!(
            parse_date(&compact),
            Some(d),
            "compact() round trip of {text:?}"
        );
        assert_eq!(
            parse_date(&d.to_string()),
            Some(d),
            "YYYY-MM-DD round trip of {text:?}"
        );
        // Only the two documented forms: the digits of the input are the date's digits.
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        assert_eq!(digits, compact, "{text:?}");
    }
    // Independent oracle on the compact form.
    let t = text.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (
            t[..4].parse().unwrap(),
            t[4..6].parse().unwrap(),
            t[6..].parse().unwrap(),
        );
        assert_eq!(parsed.is_some(), real_date(y, m, d), "{text:?}");
    }
});
