//! Mappings: how an integrator's CRM records and Cube's customer fields correspond, as one
//! JSON document, and what is made with one — Cube's import sheet from the CRM's export
//! ([`import_records`]), and the CRM's update files from Cube's changes ([`update_file`]).
//!
//! # The document (version 1)
//!
//! ```json
//! {
//!   "version": 1,
//!   "title": "Salesforce Contact (Data Loader, Bulk API)",
//!   "notes": ["…"],
//!   "sources": ["https://developer.salesforce.com/…"],
//!   "key": { "crm": "Id" },
//!   "name": { "first": "FirstName", "last": "LastName" },
//!   "phone": { "defaultCountry": "NO", "write": "e164" },
//!   "fields": [
//!     { "crm": "Phone", "cube": "crm__standard_info__phone_1" },
//!     { "crm": "Email", "cube": "crm__standard_info__email", "transform": ["lower"] },
//!     { "crm": "MailingCity", "cube": "City", "optional": true },
//!     { "crm": "Birthdate", "cube": "Birth date", "type": "date", "direction": "toCrm" }
//!   ],
//!   "file": { "delimiter": ",", "bom": false, "encoding": "utf-8", "dateFormat": "YYYY-MM-DD",
//!             "unchanged": "", "clear": "#N/A", "keepUnchangedColumns": false,
//!             "formulaGuard": true }
//! }
//! ```
//!
//! * `version` (required): `1`.
//! * `title`, `notes` (a string or strings), `sources` (http(s) URLs): for people.
//! * `key` (required): `crm`, the CRM's id column; `cube`, the Cube field holding it
//!   (default `crm__customer_id`, or a custom field `crm__custom_info__N`).
//! * `name`: the CRM's name columns, `first` and `last` (joined into Cube's one name, split
//!   on the way back: see [`name`]) or `full`. Without it the name is not mapped.
//! * `phone`: `defaultCountry` (ISO code, default `NO`: see [`phone::COUNTRIES`]), the
//!   country of numbers written without a country code; `write`, how numbers go into the
//!   CRM's files: `e164` (default, `+4791234567`), `national` (`91234567`), `asTyped`.
//! * `fields`: each `crm` (the CRM's column) and `cube`: a Cube field key
//!   (`crm__standard_info__phone_1`..`3`, `crm__standard_info__email`,
//!   `crm__custom_info__N`) or, any text not starting with `crm__`, a custom field's label
//!   (`City`). Optional: `type` (`text`, `phone` — the default for Cube's phone fields —,
//!   `date`), `transform` (`upper`, `lower`, `collapseSpaces`; every value is trimmed
//!   anyway), `direction` (`both`, `toCube`: only into Cube's import sheet, `toCrm`: only
//!   into the CRM's files), `optional` (`true`: a custom field Cube does not have, or a
//!   column the export lacks, is left out and said so instead of an error).
//! * `file`: the CRM's conventions: see [`conventions::FileConventions`].
//!
//! No CRM column and no Cube field may be mapped twice. Unknown members are refused. Every
//! mistake is an `invalid_argument` whose `param` is its JSON path (`mapping.fields[3].cube`).
//!
//! # Presets
//!
//! [`PRESETS`]: `dynamics365`, `salesforce`, `hubspot`, each with its sources and what to
//! verify in `notes`. A user copies one ([`preset_json`]) and edits it.

pub mod conventions;
pub mod document;
pub mod import;
pub mod name;
pub mod phone;
pub mod update_file;
pub mod values;

pub use document::{CubeField, Direction, Field, Key, Kind, Mapping, NameColumns, PhoneWrite};
pub use import::import_records;
pub use update_file::{
    update_file, UpdateFileOptions, UpdateFiles, UpdatePieces, UpdateSummary, UpdateWriter,
    CANNOT_CLEAR_LISTED,
};

use crate::error::{quote, RecordsError, Result};
use serde_json::Value;

/// The presets shipped: name and mapping document.
pub const PRESETS: [(&str, &str); 3] = [
    ("dynamics365", include_str!("presets/dynamics365.json")),
    ("salesforce", include_str!("presets/salesforce.json")),
    ("hubspot", include_str!("presets/hubspot.json")),
];

/// A preset's document as JSON text.
pub fn preset_json(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, j)| *j)
}

/// The preset names, quoted and joined for a message.
fn preset_names() -> String {
    PRESETS
        .iter()
        .map(|(n, _)| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Mapping {
    /// A preset by name.
    pub fn preset(name: &str) -> Result<Mapping> {
        let json = preset_json(name).ok_or_else(|| {
            RecordsError::mapping(
                "mapping",
                format!(
                    "{} is not a preset; the presets are {} (or pass a mapping object)",
                    quote(name),
                    preset_names()
                ),
            )
        })?;
        let value: Value = serde_json::from_str(json).expect("presets are JSON");
        Mapping::from_value(&value, "mapping")
    }

    /// A mapping given as a preset's name (a JSON string) or a document (an object).
    pub fn from_given(value: &Value) -> Result<Mapping> {
        match value {
            Value::String(name) => Mapping::preset(name),
            Value::Object(_) => Mapping::from_value(value, "mapping"),
            _ => Err(RecordsError::mapping(
                "mapping",
                format!(
                    "must be a preset's name ({}) or a mapping object ({{\"version\": 1, …}})",
                    preset_names()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests;
