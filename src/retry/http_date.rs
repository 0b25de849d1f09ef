//! HTTP-date parsing: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850
//! form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).

use cube_dates::{days_from_civil, days_in_month};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A number of exactly `width` ASCII digits (so no sign, no overflow).
fn digits(text: &str, width: std::ops::RangeInclusive<usize>) -> Option<i64> {
    if !width.contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Seconds since the Unix epoch, or `None` when the text is not an HTTP-date.
pub fn parse_unix_seconds(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let (day, month, year, time) = match parts.as_slice() {
        // IMF-fixdate: "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
        [_, d, m, y, t, "GMT"] => (digits(d, 2..=2)?, month_index(m)?, digits(y, 4..=4)?, *t),
        // RFC 850: "Sunday," "06-Nov-94" "08:49:37" "GMT"
        [_, dmy, t, "GMT"] => {
            let mut it = dmy.split('-');
            let d = digits(it.next()?, 2..=2)?;
            let m = month_index(it.next()?)?;
            let y = digits(it.next()?, 2..=2)?;
            if it.next().is_some() {
                return None;
            }
            (d, m, if y < 70 { 2000 + y } else { 1900 + y }, *t)
        }
        // asctime: "Sun" "Nov" "6" "08:49:37" "1994"
        [_, m, d, t, y] => (digits(d, 1..=2)?, month_index(m)?, digits(y, 4..=4)?, *t),
        _ => return None,
    };
    let mut hms = time.split(':');
    let (h, mi, s) = (
        digits(hms.next()?, 2..=2)?,
        digits(hms.next()?, 2..=2)?,
        digits(hms.next()?, 2..=2)?,
    );
    if hms.next().is_some() || h > 23 || mi > 59 || s > 60 || !(1970..=9999).contains(&year) {
        return None;
    }
    let month = month as u32 + 1;
    if day < 1 || day > i64::from(days_in_month(year, month)) {
        return None;
    }
    Some(days_from_civil(year, month, day as u32) * 86_400 + h * 3600 + mi * 60 + s)
}

fn month_index(m: &str) -> Option<i64> {
    let m = m.to_ascii_lowercase();
    MONTHS.iter().position(|x| *x == m).map(|i| i as i64)
}
