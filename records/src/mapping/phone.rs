//! Phone numbers as one number however they are typed: E.164 (`+4791234567`).
//!
//! Cube keeps what its users typed (`+47 912 34 567`, `91234567`); a CRM keeps what its users
//! typed (`912 34 567`, `0047 91234567`). Compared as text they differ, yet they are the same
//! number and must not become a change. [`normalize`] reads a number as E.164:
//!
//! * Spaces (also no-break spaces), `-`, `.`, `/` and parentheses are layout; a `(0)` after
//!   the country code (`+44 (0)20 …`) is dropped. Any other character (a letter, `ext`, `#`,
//!   `*`) and the text is not a phone number: `None`, and callers compare it as text.
//! * `+` or `00` first: an international number, its digits as they are.
//! * Else a national number of the default country: its trunk prefix dropped (`0` in
//!   Sweden, Finland, Germany, the UK, …; Norway and Denmark have none) and the country
//!   code put first. A number of a country whose numbers have one length (Norway, Denmark:
//!   8 digits) that is as long as the country code and a number, and starts with the country
//!   code (`4791234567`), is read as international without its `+`.
//! * The result must have 7 to 15 digits (E.164's most); a number of the default country
//!   must also have that country's length of national number. Else `None`.
//! * `(+47) 912 34 567` is read as `+47 912 34 567`.

use crate::error::{quote, RecordsError, Result};

/// What the mapping knows of a country: its ISO code, calling code, trunk prefix (dialled
/// before a national number inside the country, dropped in E.164) and the lengths of its
/// national significant numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`NO`).
    pub iso: &'static str,
    /// Calling code digits (`47`).
    pub code: &'static str,
    /// National trunk prefix (`0`), empty when the country has none.
    pub trunk: &'static str,
    /// Fewest digits of a national significant number.
    pub min: usize,
    /// Most digits of a national significant number.
    pub max: usize,
}

const fn c(
    iso: &'static str,
    code: &'static str,
    trunk: &'static str,
    min: usize,
    max: usize,
) -> Country {
    Country {
        iso,
        code,
        trunk,
        min,
        max,
    }
}

/// The countries a mapping's `phone.defaultCountry` may name.
pub const COUNTRIES: &[Country] = &[
    c("NO", "47", "", 8, 8),
    c("SE", "46", "0", 7, 9),
    c("DK", "45", "", 8, 8),
    c("FI", "358", "0", 5, 12),
    c("IS", "354", "", 7, 9),
    c("EE", "372", "", 7, 8),
    c("LV", "371", "", 8, 8),
    c("LT", "370", "8", 8, 8),
    c("DE", "49", "0", 6, 13),
    c("NL", "31", "0", 9, 9),
    c("BE", "32", "0", 8, 9),
    c("FR", "33", "0", 9, 9),
    c("CH", "41", "0", 9, 9),
    c("AT", "43", "0", 4, 13),
    c("GB", "44", "0", 9, 10),
    c("IE", "353", "0", 7, 9),
    c("ES", "34", "", 9, 9),
    c("IT", "39", "", 6, 11),
    c("PL", "48", "", 9, 9),
    c("US", "1", "1", 10, 10),
    c("CA", "1", "1", 10, 10),
];

/// The country of an ISO code (any case), or an error naming `path`.
pub fn country(iso: &str, path: &str) -> Result<Country> {
    COUNTRIES
        .iter()
        .find(|c| c.iso.eq_ignore_ascii_case(iso))
        .copied()
        .ok_or_else(|| {
            let known: Vec<&str> = COUNTRIES.iter().map(|c| c.iso).collect();
            RecordsError::mapping(
                path,
                format!(
                    "{} is not a country this library knows; one of {}",
                    quote(iso),
                    known.join(", ")
                ),
            )
        })
}

/// The number as E.164 (`+4791234567`), or `None` when the text is not a phone number (see
/// the module rules).
pub fn normalize(text: &str, country: &Country) -> Option<String> {
    let text = text.trim();
    let bracketed = text.strip_prefix("(+").map(|rest| format!("+{rest}"));
    let text = bracketed.as_deref().unwrap_or(text);
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest.replacen("(0)", "", 1)),
        None => (false, text.to_string()),
    };
    let mut digits = String::with_capacity(rest.len());
    for ch in rest.chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            ' ' | '\u{a0}' | '\u{202f}' | '-' | '.' | '/' | '(' | ')' => {}
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    let full = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if country.min == country.max
        && digits.len() == country.code.len() + country.max
        && digits.starts_with(country.code)
    {
        digits
    } else {
        let national = if country.trunk.is_empty() {
            digits.as_str()
        } else {
            digits.strip_prefix(country.trunk).unwrap_or(&digits)
        };
        format!("{}{national}", country.code)
    };
    if !(7..=15).contains(&full.len()) {
        return None;
    }
    if let Some(national) = full.strip_prefix(country.code) {
        if !(country.min..=country.max).contains(&national.len()) {
            return None;
        }
    }
    Some(format!("+{full}"))
}

/// An E.164 number as the country writes it inside itself (`91234567` in Norway,
/// `0701234567` in Sweden): its trunk prefix and national number. A number of another
/// country stays E.164.
pub fn national(e164: &str, country: &Country) -> String {
    match e164
        .strip_prefix('+')
        .and_then(|d| d.strip_prefix(country.code))
    {
        Some(national) if (country.min..=country.max).contains(&national.len()) => {
            format!("{}{national}", country.trunk)
        }
        _ => e164.to_string(),
    }
}

/// Whether `cell` is an E.164 number: `+` and 7 to 15 digits, nothing else. Such a cell is
/// not a formula, whatever a spreadsheet would make of it (see [`super::update_file`]).
pub fn is_e164(cell: &str) -> bool {
    cell.strip_prefix('+')
        .is_some_and(|d| (7..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no() -> Country {
        country("NO", "p").unwrap()
    }

    #[test]
    fn norwegian_numbers_as_people_type_them() {
        for typed in [
            "912 34 567",
            "+47 912 34 567",
            "0047 91234567",
            "91234567",
            "+4791234567",
            " 91 23 45 67 ",
            "912-34-567",
            "(+47) 912 34 567",
            "4791234567",
            "+47 (0) 912 34 567",
            "912\u{a0}34\u{a0}567",
        ] {
            let got = normalize(typed, &no());
            assert_eq!(got.as_deref(), Some("+4791234567"), "{typed:?}");
        }
    }

    #[test]
    fn other_countries_keep_their_code() {
        assert_eq!(
            normalize("+46 70 123 45 67", &no()).as_deref(),
            Some("+46701234567")
        );
        assert_eq!(
            normalize("0046 70-123 45 67", &no()).as_deref(),
            Some("+46701234567")
        );
        let se = country("se", "p").unwrap();
        assert_eq!(
            normalize("070-123 45 67", &se).as_deref(),
            Some("+46701234567")
        );
        assert_eq!(
            normalize("08-123 456 78", &se).as_deref(),
            Some("+46812345678")
        );
        let fi = country("FI", "p").unwrap();
        assert_eq!(
            normalize("040 123 4567", &fi).as_deref(),
            Some("+358401234567")
        );
        let gb = country("GB", "p").unwrap();
        assert_eq!(
            normalize("+44 (0)20 7946 0958", &gb).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(
            normalize("020 7946 0958", &gb).as_deref(),
            Some("+442079460958")
        );
    }

    #[test]
    fn what_is_not_a_number_is_none() {
        for text in [
            "",
            "  ",
            "n/a",
            "912 34 567 ext 2",
            "ring etter kl 16",
            "1234",
            "9123456",
            "912345678",
            "+",
            "+47",
            "+1234567890123456",
            "#31#",
        ] {
            assert_eq!(normalize(text, &no()), None, "{text:?}");
        }
    }

    #[test]
    fn only_a_country_of_one_length_reads_its_code_without_plus_as_international() {
        // Norway's numbers have 8 digits: 47 and 8 digits is +47….
        assert_eq!(
            normalize("4791234567", &no()).as_deref(),
            Some("+4791234567")
        );
        // Sweden's have 7 to 9: 46 and 9 digits is a national number, too long with 46 put
        // first.
        let se = country("SE", "p").unwrap();
        assert_eq!(normalize("46701234567", &se), None);
    }

    #[test]
    fn national_and_e164_cells() {
        let no = no();
        assert_eq!(national("+4791234567", &no), "91234567");
        assert_eq!(national("+46701234567", &no), "+46701234567");
        let se = country("SE", "p").unwrap();
        assert_eq!(national("+46701234567", &se), "0701234567");
        // The country's code but too many digits to be its number: kept E.164.
        assert_eq!(national("+47912345678", &no), "+47912345678");
        assert!(is_e164("+4791234567"));
        assert!(!is_e164("+47 912 34 567"));
        assert!(!is_e164("+4791234567+1"));
        assert!(!is_e164("=1+2"));
        assert!(!is_e164("+123"));
    }

    #[test]
    fn an_unknown_country_names_the_path() {
        let e = country("XX", "mapping.phone.defaultCountry").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("mapping.phone.defaultCountry: \"XX\" is not a country"));
    }
}
