//! The name: Cube has one (`crm__standard_info__name`), most CRMs a first and a last name.
//!
//! # The rule
//!
//! * **Spaces**: a name is read trimmed, every run of white space one space
//!   (`"  Kari   Nordmann "` is `"Kari Nordmann"`). Names that differ only so are the same.
//! * **Join** (CRM → Cube): the first name, a space, the last name; an empty part is left out
//!   (`"Kari" + "" = "Kari"`).
//! * **Split** (Cube → CRM), with the first name the CRM is known to have (`hint`):
//!   1. the whole name is the hint, or starts with the hint and a space: the hint is the first
//!      name, the rest the last name. `"Kari Ås Øvre"` with hint `"Kari"` is `Kari` / `Ås
//!      Øvre`; `"Anne Marie Ås Øvre"` with hint `"Anne Marie"` is `Anne Marie` / `Ås Øvre`.
//!      A hint that is empty (the CRM's record has no first name) is kept too: the whole
//!      name is the last name (`"Ås Øvre"` is `""` / `"Ås Øvre"`);
//!   2. else a name of one word is a last name only (`""` / `"Nordmann"`: CRMs require the
//!      last name, not the first);
//!   3. else the name is split at its last space: `"Kari Anne Hansen"` is `Kari Anne` /
//!      `Hansen`.
//! * **The hint** of a customer in an update file is the first name in the CRM's own records
//!   when they are given (`crmRecords`, the export the import sheet was made from), empty
//!   or not; else the first name of Cube's name *before* the change, split by rules 2–3 (no
//!   hint when that is empty: nothing says the CRM has no first name). So a last name
//!   changed in Cube keeps the first name: `"Kari Nordmann"` → `"Kari Ås Øvre"` is `Kari` /
//!   `Ås Øvre`, `"Anne Marie Hansen"` → `"Anne Marie Ås Øvre"` is `Anne Marie` / `Ås Øvre`.
//!   Without the CRM's records, a double last name of which only the second part changed is
//!   split wrongly (`"Kari Ås Øvre"` → `"Kari Ås Hansen"` reads `Kari Ås` / `Hansen`, where
//!   the CRM had `Kari` / `Ås Øvre`): pass `crmRecords` to get `Kari` / `Ås Hansen`.
//! * A first name that grows at its end (`"Kari Hansen"` → `"Kari Anne Hansen"`) is read as
//!   a new last name (`Kari` / `Anne Hansen`): nothing in the name tells the two apart. The
//!   changes report shows such a change as it was made.

/// `name` trimmed, every run of white space one space.
pub fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The full name from a first and a last name (see the module rules).
pub fn join(first: &str, last: &str) -> String {
    let (first, last) = (tidy(first), tidy(last));
    match (first.is_empty(), last.is_empty()) {
        (true, _) => last,
        (false, true) => first,
        (false, false) => format!("{first} {last}"),
    }
}

/// The first and last name of `full`, keeping `hint` as the first name where it fits (see
/// the module rules): `Some("")` is a known empty first name, `None` no hint.
pub fn split(full: &str, hint: Option<&str>) -> (String, String) {
    let full = tidy(full);
    if let Some(hint) = hint.map(tidy) {
        if hint.is_empty() {
            return (hint, full);
        }
        if full == hint {
            return (hint, String::new());
        }
        if let Some(rest) = full.strip_prefix(&hint).and_then(|r| r.strip_prefix(' ')) {
            return (hint, rest.to_string());
        }
    }
    match full.rfind(' ') {
        None => (String::new(), full),
        Some(at) => (full[..at].to_string(), full[at + 1..].to_string()),
    }
}

/// The first name to keep when splitting a customer's new name: the CRM's own (empty when its
/// record has none), else the first name of Cube's name before the change, if that has one
/// (see the module rules).
pub fn hint_from(crm_first: Option<&str>, before: &str) -> Option<String> {
    match crm_first {
        Some(first) => Some(tidy(first)),
        None => Some(split(before, None).0).filter(|h| !h.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn join_leaves_out_empty_parts_and_tidies() {
        assert_eq!(join("Kari", "Nordmann"), "Kari Nordmann");
        assert_eq!(join(" Anne  Marie ", "Ås Øvre"), "Anne Marie Ås Øvre");
        assert_eq!(join("Kari", ""), "Kari");
        assert_eq!(join("", "Nordmann"), "Nordmann");
        assert_eq!(join(" ", "\t"), "");
    }

    #[test]
    fn split_keeps_the_hint_while_the_name_starts_with_it() {
        assert_eq!(split("Kari Ås Øvre", Some("Kari")), pair("Kari", "Ås Øvre"));
        assert_eq!(
            split("Anne Marie Ås Øvre", Some("Anne Marie")),
            pair("Anne Marie", "Ås Øvre")
        );
        assert_eq!(split("Kari", Some("Kari")), pair("Kari", ""));
        // Not at a word boundary: not the hint.
        assert_eq!(split("Karin Hansen", Some("Kari")), pair("Karin", "Hansen"));
        // A new first name: the last space.
        assert_eq!(split("Ola Ås Øvre", Some("Kari")), pair("Ola Ås", "Øvre"));
        assert_eq!(
            split("  Kari   Ås  Øvre ", Some(" Kari ")),
            pair("Kari", "Ås Øvre")
        );
    }

    #[test]
    fn split_without_a_hint_is_at_the_last_space() {
        assert_eq!(split("Kari Nordmann", None), pair("Kari", "Nordmann"));
        assert_eq!(split("Kari Anne Hansen", None), pair("Kari Anne", "Hansen"));
        assert_eq!(split("Nordmann", None), pair("", "Nordmann"));
        assert_eq!(split("", None), pair("", ""));
    }

    /// A CRM record without a first name: the whole name is its last name, before and after a
    /// change, so that the CRM's first name and last name joined are Cube's name.
    #[test]
    fn an_empty_first_name_of_the_crms_is_kept() {
        assert_eq!(split("Kari Nordmann", Some("")), pair("", "Kari Nordmann"));
        assert_eq!(split("Ås Øvre", Some(" ")), pair("", "Ås Øvre"));
        assert_eq!(split("", Some("")), pair("", ""));
        let back = |before: &str, after: &str, crm: Option<&str>| {
            let hint = hint_from(crm, before);
            (
                split(before, hint.as_deref()),
                split(after, hint.as_deref()),
            )
        };
        // The CRM has "" / "Ås Øvre": only the last name changes, and joined it is Cube's.
        assert_eq!(
            back("Ås Øvre", "Ås Kvam", Some("")),
            (pair("", "Ås Øvre"), pair("", "Ås Kvam"))
        );
        // Unknown, a one-word name before has no first name to keep: the usual rules.
        assert_eq!(hint_from(None, "Ola"), None);
        assert_eq!(back("Ola", "Ola Nordmann", None).1, pair("Ola", "Nordmann"));
        assert_eq!(
            hint_from(Some(" Anne  Marie "), "x"),
            Some("Anne Marie".into())
        );
    }

    /// Cube's name before and after a change, the CRM's first name if known → the split.
    #[test]
    fn names_changed_in_cube_split_by_the_rule() {
        let back = |before: &str, after: &str, crm: Option<&str>| {
            split(after, hint_from(crm, before).as_deref())
        };
        // A new last name keeps the first name.
        assert_eq!(
            back("Kari Nordmann", "Kari Ås Øvre", None),
            pair("Kari", "Ås Øvre")
        );
        assert_eq!(
            back("Anne Marie Hansen", "Anne Marie Ås Øvre", None),
            pair("Anne Marie", "Ås Øvre")
        );
        // A double last name replaced whole.
        assert_eq!(
            back("Kari Ås Øvre", "Kari Hansen", None),
            pair("Kari", "Hansen")
        );
        // Half of a double last name changed: right only with the CRM's first name.
        assert_eq!(
            back("Kari Ås Øvre", "Kari Ås Hansen", None),
            pair("Kari Ås", "Hansen")
        );
        assert_eq!(
            back("Kari Ås Øvre", "Kari Ås Hansen", Some("Kari")),
            pair("Kari", "Ås Hansen")
        );
        // Double first name and double last name, the CRM's first name known.
        assert_eq!(
            back(
                "Anne Marie Ås Øvre",
                "Anne Marie Bjørnstad",
                Some("Anne Marie")
            ),
            pair("Anne Marie", "Bjørnstad")
        );
        // A one-word name gets a last name.
        assert_eq!(back("Ola", "Ola Nordmann", None), pair("Ola", "Nordmann"));
        // The first name changed: the last space.
        assert_eq!(
            back("Kari Nordmann", "Kristin Nordmann", None),
            pair("Kristin", "Nordmann")
        );
    }
}
