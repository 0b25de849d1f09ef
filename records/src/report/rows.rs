//! The report's rows, one changed, added or removed customer at a time, by the rules of
//! [`crate::change_sheet`](mod@crate::change_sheet) (its module documentation lists them).

use crate::change_sheet::ChangeSheetOptions;
use crate::fields::{
    CHANGE_LOG, CUSTOMER_ID, EMAIL, NAME, PHONES, UPDATED, UPDATED_BY, UPDATE_METHOD,
};
use crate::labels::Labels;
use crate::Record;
use serde_json::Value;

/// A plain name for a standard field, `None` for others.
fn standard_label(field: &str) -> Option<&'static str> {
    Some(match field {
        NAME => "Name",
        EMAIL => "E-mail",
        CUSTOMER_ID => "Customer ID",
        f if f == PHONES[0] => "Phone 1",
        f if f == PHONES[1] => "Phone 2",
        f if f == PHONES[2] => "Phone 3",
        _ => return None,
    })
}

/// A value as the report's text: missing and `null` are empty.
fn text(value: Option<&Value>) -> String {
    value
        .map(|v| crate::value::text(v).into_owned())
        .unwrap_or_default()
}

fn text_of(record: &Record, field: &str) -> Value {
    text(record.get(field)).into()
}

/// A row with `field`, `before` and `after` empty; the change-log columns from `who`, the
/// name from the first of `name_from` that has one.
fn row(change: &str, customer_id: &str, who: &Record, name_from: &[&Record]) -> Record {
    let name = name_from
        .iter()
        .map(|r| text_of(r, NAME))
        .find(|v| v.as_str() != Some(""))
        .unwrap_or_else(|| Value::String(String::new()));
    let mut r = Record::new();
    r.insert("change".into(), change.into());
    r.insert("customerId".into(), customer_id.into());
    r.insert("name".into(), name);
    // In the order of COLUMNS, so that the writers read each row by position.
    r.insert("label".into(), "".into());
    r.insert("before".into(), "".into());
    r.insert("after".into(), "".into());
    r.insert("updated".into(), text_of(who, UPDATED));
    r.insert("updatedBy".into(), text_of(who, UPDATED_BY));
    r.insert("updateMethod".into(), text_of(who, UPDATE_METHOD));
    r.insert("field".into(), "".into());
    r
}

/// What the rows depend on besides the changes: the key field, the ignored fields, the
/// labels.
pub(crate) struct RowRules<'a> {
    key: &'a str,
    ignore_fields: &'a [String],
    labels: Option<&'a Labels>,
}

impl<'a> RowRules<'a> {
    pub(crate) fn new(options: &'a ChangeSheetOptions, labels: Option<&'a Labels>) -> Self {
        RowRules {
            key: options.key.as_deref().unwrap_or(CUSTOMER_ID),
            ignore_fields: &options.ignore_fields,
            labels,
        }
    }

    fn skip(&self, field: &str) -> bool {
        CHANGE_LOG.contains(&field) || self.ignore_fields.iter().any(|i| i == field)
    }

    fn label(&self, field: &str) -> String {
        self.labels
            .and_then(|l| l.label(field))
            .or_else(|| standard_label(field))
            .unwrap_or(field)
            .to_string()
    }

    /// A changed customer's rows, one per reported field (`(field, before, after)`), pushed
    /// onto `out`.
    pub(crate) fn changed<'f>(
        &self,
        key: &str,
        before: &Record,
        after: &Record,
        fields: impl IntoIterator<Item = (&'f str, &'f Value, &'f Value)>,
        out: &mut Vec<Record>,
    ) {
        for (field, was, is) in fields.into_iter().filter(|f| !self.skip(f.0)) {
            let mut r = row("changed", key, after, &[after, before]);
            r.insert("label".into(), self.label(field).into());
            r.insert("before".into(), text(Some(was)).into());
            r.insert("after".into(), text(Some(is)).into());
            r.insert("field".into(), field.into());
            out.push(r);
        }
    }

    /// An added customer's row.
    pub(crate) fn added(&self, record: &Record) -> Record {
        row("added", &text(record.get(self.key)), record, &[record])
    }

    /// A removed customer's row.
    pub(crate) fn removed(&self, record: &Record) -> Record {
        row("removed", &text(record.get(self.key)), record, &[record])
    }
}
