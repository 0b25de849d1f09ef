//! The summary's sentences, for a log: what went where, and what went nowhere.

use super::UpdateSummary;
use crate::error::quote;

/// `s` in sentences; `changed`: how many changed customers the changes had.
pub(super) fn messages(s: &UpdateSummary, changed: usize) -> Vec<String> {
    let crm = if s.crm.is_empty() { "the CRM" } else { &s.crm };
    let mut out = vec![format!(
        "{} of {changed} changed customers to update in {crm}; {} added in Cube (created); {} \
         no longer in Cube (removed)",
        s.updates, s.created, s.removed
    )];
    if s.no_mapped_change > 0 {
        out.push(format!(
            "{} changed customers have nothing for {crm} ({} only in format: a phone's spaces, \
             case, …; the rest in fields the mapping does not map, or a clear it cannot take)",
            s.no_mapped_change, s.format_only
        ));
    }
    if s.anonymized > 0 {
        out.push(format!(
            "{} anonymized customers are in no file: Cube anonymized them and they have no id \
             (one anonymized since the last sync is in removed)",
            s.anonymized
        ));
    }
    if !s.duplicate_keys.is_empty() {
        out.push(format!(
            "{} ids are on more than one customer in Cube: check those customers there (a sync \
             keeps the first customer with each id, diff() none of them): {}",
            s.duplicate_keys.len(),
            list(s.duplicate_keys.iter().map(String::as_str))
        ));
    }
    if s.cannot_clear_count > 0 {
        out.push(format!(
            "{} fields were cleared in Cube, which {crm}'s import cannot clear (the cell says \
             unchanged): clear them by hand — see cannotClear",
            s.cannot_clear_count
        ));
    }
    for k in &s.skipped_columns {
        out.push(format!(
            "column {} ({}) left out: {}",
            quote(&k.column),
            k.path,
            k.reason
        ));
    }
    if !s.unmapped_fields.is_empty() {
        out.push(format!(
            "changed in Cube but not mapped: {}",
            list(s.unmapped_fields.iter().map(String::as_str))
        ));
    }
    out
}

/// At most ten names, then how many more.
fn list<'a>(items: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = items.len();
    let mut shown: Vec<String> = items.take(10).map(quote).collect();
    if n > 10 {
        shown.push(format!("and {} more", n - 10));
    }
    shown.join(", ")
}
