//! `POST /_sandbox/import?dataOwnerId=N&crmType=B2C|B2B` with an import sheet as the body (the
//! bytes of an `.xlsx` workbook or of a CSV file, told apart by the `.xlsx`'s `PK`): Cube's
//! Excel import into that CRM (see `data::import`). Answers `{"created", "updated",
//! "unchanged", "rows", "errors": []}`; a sheet with errors changes nothing and is a 400
//! `{"detail", "errors": [{"row", "column", "message"}, …]}`.

use serde_json::{json, Value};

use crate::data::import::{import as import_sheet, RowError};
use crate::data::tenant::CrmType;
use crate::http::Response;
use crate::params::parse_query;
use crate::sheet;
use crate::state::State;

/// The most row errors a 400 lists (`detail` counts them all).
const MAX_LISTED: usize = 100;

const USAGE: &str = "?dataOwnerId=1&crmType=B2C, the sheet as the body";

pub fn import(state: &State, query: &str, body: &[u8]) -> Response {
    match run(state, query, body) {
        Ok(value) => Response::json_value(200, &value),
        Err((detail, errors)) => {
            Response::json_value(400, &json!({ "detail": detail, "errors": errors }))
        }
    }
}

type Failure = (String, Vec<RowError>);

fn refuse(message: String) -> Failure {
    (format!("import: {message}"), Vec::new())
}

fn run(state: &State, query: &str, body: &[u8]) -> Result<Value, Failure> {
    let (owner_id, t) = target(query)?;
    let crm = state
        .tenant
        .crm(owner_id, t)
        .ok_or_else(|| refuse(format!("no data owner {owner_id}")))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(format!(
            "no sheet: send the bytes of the .xlsx or CSV file as the body ({USAGE})"
        )));
    }
    if matches!(
        serde_json::from_slice::<Value>(body),
        Ok(Value::Object(_) | Value::Array(_))
    ) {
        return Err(refuse(format!(
            "the body is JSON; it is the sheet itself, the bytes of the .xlsx or CSV file ({USAGE})"
        )));
    }
    let sheet = sheet::read(body).map_err(refuse)?;
    let mut store = state.store.write().expect("store lock");
    match import_sheet(&state.tenant, &mut store, crm, &sheet) {
        Ok(report) => Ok(json!({
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rows": report.rows,
            "errors": [],
        })),
        Err(errors) => Err(rejected(errors)),
    }
}

/// The CRM the query names: `dataOwnerId` and `crmType`, each once, nothing else.
fn target(query: &str) -> Result<(u32, CrmType), Failure> {
    let (mut owner, mut crm_type) = (None, None);
    for (name, value) in parse_query(query) {
        let slot = match name.as_str() {
            "dataOwnerId" => &mut owner,
            "crmType" => &mut crm_type,
            _ => {
                return Err(refuse(format!(
                    "unknown parameter '{name}'; /_sandbox/import takes dataOwnerId and crmType ({USAGE})"
                )))
            }
        };
        if slot.is_some() {
            return Err(refuse(format!("{name} is given twice")));
        }
        *slot = Some(value);
    }
    let owner = owner.ok_or_else(|| refuse(format!("dataOwnerId is required ({USAGE})")))?;
    let crm_type = crm_type.ok_or_else(|| refuse(format!("crmType is required ({USAGE})")))?;
    let owner_id: u32 = owner
        .parse()
        .ok()
        .filter(|_| owner.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| refuse(format!("dataOwnerId '{owner}' is not a data owner id")))?;
    let t = CrmType::parse(&crm_type)
        .ok_or_else(|| refuse(format!("crmType '{crm_type}' is not B2C or B2B")))?;
    Ok((owner_id, t))
}

/// A sheet with errors: the first one in `detail`, at most [`MAX_LISTED`] listed.
fn rejected(mut errors: Vec<RowError>) -> Failure {
    let first = &errors[0];
    let at = match &first.column {
        Some(column) => format!("row {}, {column}", first.row),
        None => format!("row {}", first.row),
    };
    let more = match errors.len() {
        1 => String::new(),
        n if n > MAX_LISTED => {
            format!(
                " (and {} more errors, the first {MAX_LISTED} listed)",
                n - 1
            )
        }
        n => format!(" (and {} more: see errors)", n - 1),
    };
    let detail = format!(
        "import: nothing was imported: {at}: {}{more}",
        first.message
    );
    errors.truncate(MAX_LISTED);
    (detail, errors)
}
