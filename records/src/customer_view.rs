//! A normalized, camelCase view of one CRM customer record.
//!
//! The view is derived; the caller keeps the raw record. Text fields are strings (empty when
//! the field is missing or `null`; numbers are written in decimal), `phones` keeps the
//! non-empty `phone_1..3` in order, and `custom` maps each custom field's label (or its key
//! when no label is known) to its raw value, in record order.

use crate::fields;
use crate::labels::Labels;
use crate::value::text;
use crate::Record;
use serde::Serialize;
use serde_json::{Map, Value};

/// The change-log part of a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeLog {
    /// `crm__change_log__updated` (`YYYY-MM-DD`).
    pub updated: String,
    /// `crm__change_log__updated_by` (an e-mail).
    pub updated_by: String,
    /// `crm__change_log__update_method` (`Manual update`, `Import new`, …).
    pub method: String,
}

/// A customer as an integrator wants to read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerView {
    /// `crm__customer_id` as text (`""` for anonymized customers).
    pub customer_id: String,
    /// `crm__standard_info__name`.
    pub name: String,
    /// The non-empty phone numbers among `phone_1..3`, trimmed, in order.
    pub phones: Vec<String>,
    /// `crm__standard_info__email`.
    pub email: String,
    /// The change log.
    pub change_log: ChangeLog,
    /// Custom fields by label, with their raw values.
    pub custom: Map<String, Value>,
}

impl CustomerView {
    /// Builds the view of `record`, naming custom fields with `labels` when given.
    pub fn from_record(record: &Record, labels: Option<&Labels>) -> CustomerView {
        let get = |key: &str| {
            record
                .get(key)
                .map(|v| text(v).into_owned())
                .unwrap_or_default()
        };
        let phones = fields::PHONES
            .iter()
            .filter_map(|k| record.get(*k))
            .map(|v| text(v).trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let custom = record
            .iter()
            .filter(|(k, _)| fields::is_custom(k))
            .map(|(k, v)| {
                let label = labels.and_then(|l| l.label(k)).unwrap_or(k);
                (label.to_string(), v.clone())
            })
            .collect();
        CustomerView {
            customer_id: get(fields::CUSTOMER_ID),
            name: get(fields::NAME),
            phones,
            email: get(fields::EMAIL),
            change_log: ChangeLog {
                updated: get(fields::UPDATED),
                updated_by: get(fields::UPDATED_BY),
                method: get(fields::UPDATE_METHOD),
            },
            custom,
        }
    }
}

/// Shorthand for [`CustomerView::from_record`].
pub fn customer_view(record: &Record, labels: Option<&Labels>) -> CustomerView {
    CustomerView::from_record(record, labels)
}
