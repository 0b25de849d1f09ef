//! A mapped field's value on its way: compared, written into the CRM's file, written into
//! Cube's import sheet.

use super::conventions::DateFormat;
use super::document::{Field, Kind, Mapping, PhoneWrite};
use super::phone;

/// The value as compared: trimmed and transformed; a phone as E.164, a date as
/// `YYYY-MM-DD`, where they read as such (else the text). Empty means no value.
pub fn comparable(mapping: &Mapping, field: &Field, cube_text: &str) -> String {
    let t = field.transformed(cube_text);
    match field.kind {
        Kind::Text => t,
        Kind::Phone => phone::normalize(&t, &mapping.phone.country).unwrap_or(t),
        Kind::Date => DateFormat::iso()
            .read(&t)
            .map(|d| DateFormat::iso().write(d))
            .unwrap_or(t),
    }
}

/// Cube's value as the CRM's file has it: a phone as `phone.write` says, a date in
/// `file.dateFormat`; what does not read as a phone or a date stays as it is (trimmed).
pub fn to_crm(mapping: &Mapping, field: &Field, cube_text: &str) -> String {
    let t = field.transformed(cube_text);
    match field.kind {
        Kind::Text => t,
        Kind::Phone => match phone::normalize(&t, &mapping.phone.country) {
            None => t,
            Some(e164) => match mapping.phone.write {
                PhoneWrite::E164 => e164,
                PhoneWrite::National => phone::national(&e164, &mapping.phone.country),
                PhoneWrite::AsTyped => t,
            },
        },
        Kind::Date => match DateFormat::iso().read(&t) {
            Some(d) => mapping.file.date_format.write(d),
            None => t,
        },
    }
}

/// The CRM's value as Cube's import sheet has it: a phone as E.164, a date as
/// `YYYY-MM-DD`; what does not read as one stays as it is (trimmed).
pub fn to_cube(mapping: &Mapping, field: &Field, crm_text: &str) -> String {
    let t = field.transformed(crm_text);
    match field.kind {
        Kind::Text => t,
        Kind::Phone => phone::normalize(&t, &mapping.phone.country).unwrap_or(t),
        Kind::Date => match mapping.file.date_format.read(&t) {
            Some(d) => DateFormat::iso().write(d),
            None => t,
        },
    }
}
