//! `parse_retry_after` (delta-seconds and the three HTTP-date forms) on arbitrary text, and on
//! well-formed IMF-fixdates built from arbitrary fields (checked against an independent
//! calendar computation). Invariants: no panic (overflow included); delta-seconds is exact
//! (saturating); a date gives a wait no longer than the distance to 9999-12-31.
#![no_main]

use cube_integration::retry::parse_retry_after;
use libfuzzer_sys::fuzz_target;

/// The input: 11 bytes of numbers (now, then the fields of a well-formed date), then the
/// `Retry-After` text. Raw bytes rather than a derived struct, so that seed files are simply
/// `\0 × 11` followed by a header value.
struct Input {
    text: String,
    now_s: u32,
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Input {
    fn from_bytes(data: &[u8]) -> Option<Input> {
        if data.len() < 11 {
            return None;
        }
        let (n, rest) = data.split_at(11);
        Some(Input {
            now_s: u32::from_le_bytes([n[0], n[1], n[2], n[3]]),
            year: u16::from_le_bytes([n[4], n[5]]),
            month: n[6],
            day: n[7],
            hour: n[8],
            minute: n[9],
            second: n[10],
            text: String::from_utf8_lossy(rest).into_owned(),
        })
    }
}

#[path = "../oracle/calendar.rs"]
mod calendar;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since 1970 by counting (slow and obviously right).
fn epoch(y: i64, m: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    let mut days = 0;
    for year in 1970..y {
        days += if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) {
            366
        } else {
            365
        };
    }
    for month in 1..m {
        days += calendar::days_in_month(y, month);
    }
    (days + d - 1) * 86_400 + h * 3600 + mi * 60 + s
}

/// 10000-01-01T00:00:00Z: no HTTP-date the parser accepts is at or after it.
const END_OF_9999_S: f64 = 253_402_300_800.0;

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::from_bytes(data) else {
        return;
    };
    let now_ms = f64::from(input.now_s) * 1000.0;
    let text = input.text.as_str();
    let got = parse_retry_after(text, now_ms);
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let want = t
            .parse::<u64>()
            .map(|s| s.saturating_mul(1000))
            .unwrap_or(u64::MAX);
        assert_eq!(got, Some(want), "{text:?}");
    } else if let Some(wait) = got {
        assert!(
            (wait as f64) <= END_OF_9999_S * 1000.0 - now_ms + 1.0,
            "{text:?} → {wait} ms"
        );
    }

    // A well-formed IMF-fixdate from arbitrary fields.
    let y = 1970 + i64::from(input.year % 8030);
    let m = 1 + i64::from(input.month % 12);
    let d = 1 + i64::from(input.day) % calendar::days_in_month(y, m);
    let (h, mi, s) = (
        i64::from(input.hour % 24),
        i64::from(input.minute % 60),
        i64::from(input.second % 60),
    );
    let date = format!(
        "Sun, {d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT",
        MONTHS[(m - 1) as usize]
    );
    let at_ms = epoch(y, m, d, h, mi, s) as f64 * 1000.0;
    let want = if at_ms <= now_ms {
        0
    } else {
        (at_ms - now_ms) as u64
    };
    assert_eq!(parse_retry_after(&date, now_ms), Some(want), "{date}");
});
