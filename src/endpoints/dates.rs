//! Dates of the `from`/`to` parameters: [`cube_dates::Date`], between 1900 and 9999.

pub use cube_dates::Date;

/// `YYYY-MM-DD` or `YYYYMMDD` (spaces around it aside); `None` unless it is a real date
/// between 1900 and 9999.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim()).filter(|d| (1900..=9999).contains(&d.ymd().0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse_to_the_same_date() {
        let d = parse_date(" 2024-02-29 ").unwrap();
        assert_eq!(d, parse_date("20240229").unwrap());
        assert_eq!(d.compact(), "20240229");
        assert_eq!(d.to_string(), "2024-02-29");
    }

    #[test]
    fn impossible_and_out_of_range_dates_are_refused() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024/01/01",
            "",
            "1899-12-31",
            "00010101",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert!(parse_date("1900-01-01").is_some());
        assert!(parse_date("9999-12-31").is_some());
    }
}
