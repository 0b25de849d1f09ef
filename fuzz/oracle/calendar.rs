//! The fuzz targets' own calendar, written apart from the library's `calendar` module on
//! purpose: an independent oracle to check it against.

/// Days in month `m` (1–12) of year `y`, Gregorian leap years.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][(m - 1) as usize]
}
