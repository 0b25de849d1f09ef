//! Cube's Excel import, as the sandbox plays it: a sheet of customers, one a row, one field a
//! column, into one CRM. A row whose customer id is in the CRM updates that customer (change
//! log: today, the import user, `Import update`) when one of its values differs, else leaves
//! it as it is; a row with a new id creates a customer (`Import new`).
//!
//! Decisions (Cube's documents say nothing of them):
//!
//! * **Columns by header**, as the package's `importSheet()` writes them: the standard fields
//!   by their default headers (`Customer ID`, `Name`, `Phone 1`..`Phone 3`, `Email`) or keys
//!   (`crm__customer_id`, …), the CRM's custom fields by label (`Postal code`) or key
//!   (`crm__custom_info__64`). A header that is none of them, or a change-log field (the
//!   import sets those), is an error naming it; so is a header twice, or two for one field.
//!   The `Customer ID` column is required.
//! * **An empty cell leaves the field as it is** (a new customer gets `""`): a sheet of only
//!   the changed columns updates just those. An import cannot empty a field.
//! * **Values are trimmed** (as the sandbox's create, a DRF `CharField`, trims), and in CSV a
//!   leading `'` before `=`, `+`, `-`, `@`, a tab or a carriage return is the package's formula
//!   guard and dropped (`'+4791234567` is `+4791234567`). A number cell of a custom field is
//!   stored as a number when it is a whole number, else as its text; every other value is
//!   text. A value equal to the stored one as text (`1985` and `"1985"`) is no change.
//! * **All or nothing**: every row is checked first (an id, not twice in the sheet, no error
//!   values, no value in a column without a header, custom values within the field's
//!   `max_length`); any error and nothing changes.
//! * **Where new customers show**: at the end of the CRM's list (after the generated ones and
//!   those created before), and in the legacy `/crm/customers` list of the CRM's first
//!   campaign (the campaign the CRM-wide callflow list shows them in).

use serde::Serialize;

use crate::data::customers::{self, import_user, Customer, FieldValue};
use crate::data::store::{Created, Store};
use crate::data::tenant::{Crm, CrmType, Tenant};
use crate::sheet::{column_name, Cell, Format, Row, Sheet};

/// What a column fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Id,
    Name,
    Phone(usize),
    Email,
    /// The custom field at this position of the CRM's fields.
    Custom(usize),
}

/// The standard fields: default header, key.
const STANDARD: [(&str, &str, Target); 6] = [
    ("Customer ID", "crm__customer_id", Target::Id),
    ("Name", "crm__standard_info__name", Target::Name),
    ("Phone 1", "crm__standard_info__phone_1", Target::Phone(0)),
    ("Phone 2", "crm__standard_info__phone_2", Target::Phone(1)),
    ("Phone 3", "crm__standard_info__phone_3", Target::Phone(2)),
    ("Email", "crm__standard_info__email", Target::Email),
];

const CHANGE_LOG_PREFIX: &str = "crm__change_log__";

/// A problem with the sheet: its row (1-based, as a spreadsheet numbers it; the header's for a
/// column problem), the column (its header, or its letter when it has none), and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: u32,
    pub column: Option<String>,
    pub message: String,
}

/// What an import did. `rows`: the data rows read (blank rows are not rows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rows: usize,
}

/// One checked row: the customer id and the values it gives (none empty).
struct Planned {
    id: String,
    values: Vec<(Target, FieldValue)>,
}

/// Imports `sheet` into `crm`: all rows, or (with errors) none.
pub fn import(
    tenant: &Tenant,
    store: &mut Store,
    crm: &Crm,
    sheet: &Sheet,
) -> Result<ImportReport, Vec<RowError>> {
    let planned = plan(crm, sheet)?;
    Ok(apply(tenant, store, crm, planned))
}

fn header_text(cell: &Cell) -> &str {
    match cell {
        Cell::Empty => "",
        Cell::Text(s) | Cell::Number(s) | Cell::Error(s) => s.trim(),
    }
}

/// The field a header names in `crm`.
fn resolve(crm: &Crm, header: &str) -> Result<Target, String> {
    if let Some((_, _, t)) = STANDARD
        .iter()
        .find(|(h, key, _)| *h == header || *key == header)
    {
        return Ok(*t);
    }
    if let Some(i) = crm
        .fields
        .iter()
        .position(|f| f.label == header || f.lookup_key == header)
    {
        return Ok(Target::Custom(i));
    }
    if header.starts_with(CHANGE_LOG_PREFIX) {
        return Err(format!(
            "{header:?} is set by the import itself (today, the import user, Import new or \
             Import update), not read from a sheet: leave the column out"
        ));
    }
    let labels: Vec<&str> = crm.fields.iter().map(|f| f.label).collect();
    Err(format!(
        "{header:?} is no field of data owner {}'s {} CRM: a column is a standard field \
         (Customer ID, Name, Phone 1, Phone 2, Phone 3, Email) or one of its custom fields \
         ({}), by that name or by its key (crm__customer_id, crm__standard_info__name, \
         crm__custom_info__{}, …)",
        crm.owner_id,
        crm.crm_type.as_str(),
        labels.join(", "),
        crm.fields.first().map_or(64, |f| f.id),
    ))
}

/// The value of a cell for a field, `None` when it is empty.
fn value(cell: &Cell, csv: bool, custom: bool) -> Result<Option<FieldValue>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Error(e) => return Err(format!("an error value ({e}), not a value")),
        Cell::Number(n) => {
            let n = n.trim();
            return Ok(match n.parse::<i64>() {
                _ if n.is_empty() => None,
                Ok(whole) if custom => Some(FieldValue::Number(whole)),
                _ => Some(FieldValue::Text(n.to_string())),
            });
        }
        Cell::Text(s) => s,
    };
    let unguarded = match text.strip_prefix('\'') {
        Some(rest) if csv && rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    };
    let trimmed = unguarded.trim();
    Ok((!trimmed.is_empty()).then(|| FieldValue::Text(trimmed.to_string())))
}

pub(crate) fn text_of(v: &FieldValue) -> String {
    match v {
        FieldValue::Text(s) => s.clone(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Empty => String::new(),
    }
}

/// Per column of a sheet: its header (or letter) and the field it fills, if it has a header.
type Columns = Vec<(String, Option<Target>)>;

/// Checks the header and every row; the rows' ids and values, or every error found.
fn plan(crm: &Crm, sheet: &Sheet) -> Result<Vec<Planned>, Vec<RowError>> {
    let Some((header, rows)) = sheet.rows.split_first() else {
        return Err(vec![RowError {
            row: 1,
            column: None,
            message: "the sheet is empty: it needs a header row (Customer ID, Name, …) and a \
                      row per customer"
                .into(),
        }]);
    };
    let csv = matches!(sheet.format, Format::Csv { .. });
    let mut errors = Vec::new();
    let columns = columns(crm, header, &mut errors);
    let id_column = columns.iter().position(|(_, t)| *t == Some(Target::Id));
    if id_column.is_none() {
        errors.push(RowError {
            row: header.number,
            column: None,
            message: "no Customer ID column (crm__customer_id): every row needs the id of its \
                      customer"
                .into(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let id_name = id_column.map(|i| columns[i].0.as_str());
    // Each id's row (the same map type as the store's index of ids: one instance of its code).
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut planned = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, values) = row_values(crm, &columns, row, csv, &mut errors);
        let mut error = |message: String| {
            errors.push(RowError {
                row: row.number,
                column: id_name.map(str::to_string),
                message,
            })
        };
        match id {
            None => error("no customer id: every row needs the id of its customer".into()),
            Some(id) => match seen.get(&id) {
                Some(first) => error(format!(
                    "customer id {id} is also in row {first}: one row a customer"
                )),
                None => {
                    seen.insert(id.clone(), row.number as usize);
                    planned.push(Planned { id, values });
                }
            },
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    }
}

/// The header row's columns: each header's field in `crm`, the errors (a header that is no
/// field, a header twice, two headers for one field) added to `errors`.
fn columns(crm: &Crm, header: &Row, errors: &mut Vec<RowError>) -> Columns {
    let mut columns: Columns = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let text = header_text(cell);
        if text.is_empty() {
            columns.push((column_name(i), None));
            continue;
        }
        let mut error = |message: String| {
            errors.push(RowError {
                row: header.number,
                column: Some(text.to_string()),
                message,
            })
        };
        let target = match resolve(crm, text) {
            Err(message) => {
                error(message);
                None
            }
            Ok(target) => {
                if let Some((other, _)) = columns.iter().find(|(h, _)| h == text) {
                    error(format!(
                        "the header {other:?} is in two columns; Cube maps import columns by header"
                    ));
                } else if let Some((other, _)) = columns.iter().find(|(_, t)| *t == Some(target)) {
                    error(format!(
                        "{text:?} is the same field as the column {other:?}"
                    ));
                }
                Some(target)
            }
        };
        columns.push((text.to_string(), target));
    }
    columns
}

/// A data row's customer id (if it has one) and the values it gives; the errors of its cells
/// (an error value, a value without a header, a custom value too long) added to `errors`.
fn row_values(
    crm: &Crm,
    columns: &Columns,
    row: &Row,
    csv: bool,
    errors: &mut Vec<RowError>,
) -> (Option<String>, Vec<(Target, FieldValue)>) {
    let mut error = |column: &str, message: String| {
        errors.push(RowError {
            row: row.number,
            column: Some(column.to_string()),
            message,
        })
    };
    let mut id = None;
    let mut values = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let (name, target) = match columns.get(i) {
            Some((name, target)) => (name.clone(), *target),
            None => (column_name(i), None),
        };
        let Some(target) = target else {
            if !cell.is_empty() {
                error(
                    &name,
                    format!("a value in column {name}, which has no header"),
                );
            }
            continue;
        };
        let custom = match target {
            Target::Custom(f) => Some(&crm.fields[f]),
            _ => None,
        };
        match value(cell, csv, custom.is_some()) {
            Err(message) => error(&name, message),
            Ok(None) => {}
            Ok(Some(v)) if target == Target::Id => id = Some(text_of(&v)),
            Ok(Some(v)) => {
                if let Some(f) = custom {
                    let chars = text_of(&v).chars().count();
                    if chars > f.max_length as usize {
                        error(
                            &name,
                            format!(
                                "{chars} characters; {} holds at most {}",
                                f.label, f.max_length
                            ),
                        );
                        continue;
                    }
                }
                values.push((target, v));
            }
        }
    }
    (id, values)
}

/// First and last name of a person's name (the last name is everything after the first word).
pub(crate) fn split_name(name: &str) -> (String, String) {
    match name.split_once(' ') {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// The values that differ from `customer`'s (as text), in the sheet's order.
fn changes<'v>(
    customer: &Customer,
    values: &'v [(Target, FieldValue)],
) -> Vec<&'v (Target, FieldValue)> {
    values
        .iter()
        .filter(|(target, v)| {
            let now = match *target {
                Target::Id => return false,
                Target::Name => customer.name.clone(),
                Target::Phone(i) => customer.phones[i].clone(),
                Target::Email => customer.email.clone(),
                Target::Custom(i) => customer.custom.get(i).map(text_of).unwrap_or_default(),
            };
            now != text_of(v)
        })
        .collect()
}

/// Sets the values on a customer (its change log aside).
fn set(customer: &mut Customer, b2c: bool, values: &[&(Target, FieldValue)]) {
    for (target, v) in values {
        match *target {
            Target::Id => {}
            Target::Name => {
                customer.name = text_of(v);
                if b2c {
                    (customer.first_name, customer.last_name) = split_name(&customer.name);
                }
            }
            Target::Phone(i) => customer.phones[i] = text_of(v),
            Target::Email => customer.email = text_of(v),
            Target::Custom(i) => {
                if let Some(slot) = customer.custom.get_mut(i) {
                    *slot = v.clone();
                }
            }
        }
    }
}

/// What an import row does to the CRM.
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The change log an import writes: today, the import user.
struct ImportLog<'a> {
    tenant: &'a Tenant,
    user: String,
}

fn apply(tenant: &Tenant, store: &mut Store, crm: &Crm, planned: Vec<Planned>) -> ImportReport {
    let log = ImportLog {
        tenant,
        user: import_user(tenant, crm),
    };
    let first_campaign = tenant
        .campaigns_of(crm.owner_id)
        .find(|c| c.crm_type == crm.crm_type)
        .map(|c| c.id);
    let mut report = ImportReport {
        rows: planned.len(),
        ..ImportReport::default()
    };
    for Planned { id, values } in planned {
        let outcome = if let Some(index) = customers::index_of(tenant, crm, &id) {
            update_generated(&log, store, crm, index, &values)
        } else if let Some(customer) = store.created_mut((crm.owner_id, crm.crm_type), &id) {
            update_created(&log, customer, crm, &values)
        } else {
            create(&log, store, crm, id, &values, first_campaign)
        };
        match outcome {
            Outcome::Created => report.created += 1,
            Outcome::Updated => report.updated += 1,
            Outcome::Unchanged => report.unchanged += 1,
        }
    }
    report
}

/// A row for a generated customer: its changes kept as the customer's patch.
fn update_generated(
    log: &ImportLog<'_>,
    store: &mut Store,
    crm: &Crm,
    index: u32,
    values: &[(Target, FieldValue)],
) -> Outcome {
    let mut customer = store.generated(log.tenant, crm, index);
    let changed = changes(&customer, values);
    if changed.is_empty() {
        return Outcome::Unchanged;
    }
    set(&mut customer, crm.crm_type == CrmType::B2C, &changed);
    let patch = store.patch_mut(crm.owner_id, crm.crm_type, index);
    for (target, v) in changed {
        match *target {
            Target::Id => {}
            Target::Name => {
                patch.name = Some(customer.name.clone());
                patch.first_name = Some(customer.first_name.clone());
                patch.last_name = Some(customer.last_name.clone());
            }
            Target::Phone(i) => patch.phones[i] = Some(text_of(v)),
            Target::Email => patch.email = Some(text_of(v)),
            Target::Custom(i) => {
                patch.custom.insert(i, v.clone());
            }
        }
    }
    patch.updated = Some(log.tenant.today);
    patch.updated_by = Some(log.user.clone());
    patch.update_method = Some("Import update".into());
    Outcome::Updated
}

/// A row for a customer created earlier (by the API or an import): changed in place.
fn update_created(
    log: &ImportLog<'_>,
    customer: &mut Customer,
    crm: &Crm,
    values: &[(Target, FieldValue)],
) -> Outcome {
    let changed = changes(customer, values);
    if changed.is_empty() {
        return Outcome::Unchanged;
    }
    set(customer, crm.crm_type == CrmType::B2C, &changed);
    customer.updated = log.tenant.today;
    customer.updated_by = log.user.clone();
    customer.update_method = "Import update".into();
    Outcome::Updated
}

/// A row with a new id: a new customer at the end of the CRM's list.
fn create(
    log: &ImportLog<'_>,
    store: &mut Store,
    crm: &Crm,
    id: String,
    values: &[(Target, FieldValue)],
    first_campaign: Option<u32>,
) -> Outcome {
    let mut customer = Customer {
        id,
        name: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        phones: Default::default(),
        email: String::new(),
        updated: log.tenant.today,
        updated_by: log.user.clone(),
        update_method: "Import new".into(),
        custom: vec![FieldValue::Empty; crm.fields.len()],
        anonymized: false,
    };
    let all: Vec<&(Target, FieldValue)> = values.iter().collect();
    set(&mut customer, crm.crm_type == CrmType::B2C, &all);
    store.add_created(
        (crm.owner_id, crm.crm_type),
        Created {
            customer,
            assignment_id: first_campaign,
        },
    );
    Outcome::Created
}
