//! Cube's changes → the CRM's update files, through a mapping.
//!
//! # The files
//!
//! * **updates**: one row per customer changed in Cube with something for the CRM, keyed by
//!   the CRM's id (the key column). A field changed in Cube carries its new value, in the
//!   CRM's format (phones as `phone.write` says, dates in `file.dateFormat`); a field that
//!   did not change carries `file.unchanged` (usually an empty cell); a field cleared in Cube
//!   carries `file.clear` (Salesforce: `#N/A`). Where the CRM cannot clear (`clear: null`),
//!   the cell says unchanged and the summary lists the field in `cannotClear`. Columns that
//!   no row changes are left out (`file.keepUnchangedColumns` keeps them), the key column
//!   never.
//! * **created**: customers added in Cube since the last sync, every mapped column with
//!   Cube's value (an empty cell where Cube has none); the key column has Cube's
//!   `crm__customer_id`, which for a customer made in Cube is no id of the CRM's.
//! * **removed**: customers that were in Cube at the last sync and are not now, every mapped
//!   column with the values Cube had. A customer anonymized in Cube since the last sync is
//!   here too: Cube took its id.
//!
//! # Streamed
//!
//! [`UpdateWriter`] writes the same files as the sync finds the changes (`pager.sync(previous,
//! { updates })`, `cube sync --updates`), in bounded memory: every mapped column is then in
//! the updates file (which columns no row changes is only known at the end), so it equals
//! [`update_file`]'s with `file.keepUnchangedColumns`.
//!
//! # What is a change
//!
//! Values are compared as [`super::values::comparable`] reads them: trimmed and transformed,
//! phones as E.164, dates as dates. So `+4791234567` → `912 34 567` is no change, and a
//! customer whose only changes are such is in no file (counted in `formatOnly`). Names are
//! compared with their spaces tidied, and split by [`super::name`]'s rule; only the name
//! part that changed is written.
//!
//! # Not in any file, always in the summary
//!
//! Anonymized customers (no id: nothing to key a row by) are counted; keys on more than one
//! customer are named (`duplicateKeys`; a sync keeps the first customer with each key); changed Cube fields that no column
//! maps are named (`unmappedFields`); columns left out because their custom field is
//! unknown (an `optional` field) are named (`skippedColumns`).
//!
//! # CSV and the formula guard
//!
//! With `file.formulaGuard` (default on) a cell a spreadsheet would evaluate (starting with
//! `=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, as every CSV this package writes — with
//! one exception: in a phone column, a cell that is exactly `+` and 7 to 15 digits (E.164) is
//! written as it is. It cannot run anything, and `'+4791234567` would go into the CRM as
//! typed, apostrophe included. (A spreadsheet opening the file shows such a cell as the
//! number 4791234567: give people `.xlsx`.) The mapping's own `unchanged` and `clear` texts
//! are never prefixed.

mod files;
mod plan;
mod summary;
mod writer;

pub use plan::CANNOT_CLEAR_LISTED;
pub use writer::{UpdatePieces, UpdateWriter};

use crate::change_sheet::ChangesInput;
use crate::error::Result;
use crate::import_sheet::SheetFormat;
use crate::labels::Labels;
use crate::mapping::document::Mapping;
use crate::Record;
use files::FileSink;
use plan::{Cell, Plan};
use serde::{Deserialize, Serialize};

/// Options of [`update_file`] besides the mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct UpdateFileOptions {
    /// `csv` (default here: CRM importers read CSV) or `xlsx`.
    pub format: Option<SheetFormat>,
}

/// The files and what they hold.
#[derive(Debug, Clone)]
pub struct UpdateFiles {
    /// Changed customers.
    pub updates: Vec<u8>,
    /// Customers added in Cube.
    pub created: Vec<u8>,
    /// Customers no longer in Cube.
    pub removed: Vec<u8>,
    /// What went where, and what went nowhere.
    pub summary: UpdateSummary,
}

/// A field cleared in Cube that the CRM's import cannot clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClearedField {
    /// The customer's key.
    pub key: String,
    /// The CRM's column.
    pub column: String,
}

/// A mapped column left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedColumn {
    /// Its entry in the mapping (`mapping.fields[4]`).
    pub path: String,
    /// The CRM's column.
    pub column: String,
    /// Why.
    pub reason: String,
}

/// What [`update_file`] wrote, and what it did not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSummary {
    /// The mapping's title.
    pub crm: String,
    /// Rows in the updates file.
    pub updates: usize,
    /// Rows in the created file.
    pub created: usize,
    /// Rows in the removed file.
    pub removed: usize,
    /// Changed customers with no row: nothing mapped changed for the CRM (only unmapped
    /// fields, or only a format), or only a clear the CRM cannot take.
    pub no_mapped_change: usize,
    /// Of those, customers whose mapped fields changed only in format (a phone's spaces,
    /// case under `lower`).
    pub format_only: usize,
    /// Anonymized customers (no id): in no file.
    pub anonymized: usize,
    /// Keys on more than one customer (a sync keeps the first customer with each).
    pub duplicate_keys: Vec<String>,
    /// Fields cleared in Cube that the CRM's import cannot clear: the first
    /// [`CANNOT_CLEAR_LISTED`].
    pub cannot_clear: Vec<ClearedField>,
    /// How many fields were cleared in Cube that the CRM's import cannot clear.
    pub cannot_clear_count: usize,
    /// Mapped columns left out.
    pub skipped_columns: Vec<SkippedColumn>,
    /// Cube fields changed that no column maps (change-log fields aside).
    pub unmapped_fields: Vec<String>,
    /// The above in sentences, for a log.
    pub messages: Vec<String>,
}

impl UpdateSummary {
    /// An empty summary for `mapping`.
    fn of(mapping: &Mapping) -> UpdateSummary {
        UpdateSummary {
            crm: mapping.title.clone(),
            ..UpdateSummary::default()
        }
    }
}

/// The update files for `changes` (see the module documentation). `labels` resolve custom
/// fields named by label; `crm_records` (the CRM's own records, e.g. its export) give the
/// first names the name rule keeps.
pub fn update_file(
    changes: &ChangesInput,
    mapping: &Mapping,
    options: &UpdateFileOptions,
    labels: Option<&Labels>,
    crm_records: Option<&[Record]>,
) -> Result<UpdateFiles> {
    let mut summary = UpdateSummary::of(mapping);
    let plan = Plan::new(mapping, labels, crm_records, &mut summary.skipped_columns)?;
    let rows: Vec<Vec<Cell>> = changes
        .changed
        .iter()
        .filter_map(|c| {
            let fields = c.fields.iter().map(|f| f.field.as_str());
            plan.changed_row(&c.key, &c.before, &c.after, fields, &mut summary)
        })
        .collect();
    // Columns no row changes are left out (never the key).
    let kept: Vec<usize> = (0..plan.columns.len())
        .filter(|&i| {
            i == 0
                || mapping.file.keep_unchanged_columns
                || rows.iter().any(|r| r[i] != Cell::Unchanged)
        })
        .collect();
    let format = options.format.unwrap_or(SheetFormat::Csv);
    let file = &mapping.file;
    let mut updates = FileSink::new(format, file, "Updates", &plan.headers(kept.iter().copied()))?;
    for r in &rows {
        updates.row(&plan.update_cells(r, &kept))?;
    }
    let all = plan.headers(0..plan.columns.len());
    let whole = |sheet: &str, records: &[Record]| -> Result<FileSink> {
        let mut sink = FileSink::new(format, file, sheet, &all)?;
        for r in records {
            sink.row(&plan.value_cells(r))?;
        }
        Ok(sink)
    };
    let created = whole("Created", &changes.added)?;
    let removed = whole("Removed", &changes.removed)?;
    summary.updates = updates.rows();
    summary.created = created.rows();
    summary.removed = removed.rows();
    summary.anonymized = changes.anonymized_count();
    summary.duplicate_keys = changes.duplicated_keys();
    summary.messages = summary::messages(&summary, changes.changed.len());
    Ok(UpdateFiles {
        updates: updates.finish()?,
        created: created.finish()?,
        removed: removed.finish()?,
        summary,
    })
}
