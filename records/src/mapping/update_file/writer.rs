//! [`UpdateWriter`]: the update files written as the sync finds the changes — a customer's
//! row as soon as it is known, the files' bytes handed out in pieces — so a million-row
//! update file is made in bounded memory.

use super::files::FileSink;
use super::plan::Plan;
use super::summary::messages;
use super::{UpdateFileOptions, UpdateSummary};
use crate::diff::FieldChange;
use crate::error::Result;
use crate::import_sheet::SheetFormat;
use crate::labels::Labels;
use crate::mapping::document::Mapping;
use crate::Record;

/// The three files' bytes: written since the last take, or (from [`UpdateWriter::finish`])
/// the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdatePieces {
    /// Of the updates file.
    pub updates: Vec<u8>,
    /// Of the created file.
    pub created: Vec<u8>,
    /// Of the removed file.
    pub removed: Vec<u8>,
}

/// Writes the update files as the changes arrive (see [`super`]). Unlike
/// [`super::update_file`], whose changes are all known before it writes, every mapped
/// column is in the updates file (as with `file.keepUnchangedColumns`): which columns no
/// row changes is only known at the end. With that option the files are the same bytes.
///
/// A key on more than one customer: the sync takes the first record with a key (and names
/// the key), so that customer's row is written like any other.
pub struct UpdateWriter {
    plan: Plan,
    summary: UpdateSummary,
    updates: FileSink,
    created: FileSink,
    removed: FileSink,
    /// Every column, in order.
    all: Vec<usize>,
    changed: usize,
}

impl UpdateWriter {
    /// A writer for `mapping`: `labels` resolve custom fields named by label, `crm_records`
    /// give the CRM's first names (see [`super::update_file`]). The mapping's columns and
    /// the format are checked here, before any change.
    pub fn new(
        mapping: &Mapping,
        options: &UpdateFileOptions,
        labels: Option<&Labels>,
        crm_records: Option<&[Record]>,
    ) -> Result<UpdateWriter> {
        let mut summary = UpdateSummary::of(mapping);
        let plan = Plan::new(mapping, labels, crm_records, &mut summary.skipped_columns)?;
        let all: Vec<usize> = (0..plan.columns.len()).collect();
        let headers = plan.headers(all.iter().copied());
        let format = options.format.unwrap_or(SheetFormat::Csv);
        let file = &mapping.file;
        Ok(UpdateWriter {
            updates: FileSink::new(format, file, "Updates", &headers)?,
            created: FileSink::new(format, file, "Created", &headers)?,
            removed: FileSink::new(format, file, "Removed", &headers)?,
            plan,
            summary,
            all,
            changed: 0,
        })
    }

    /// A changed customer: a row of the updates file when something mapped changed.
    pub fn changed(
        &mut self,
        key: &str,
        before: &Record,
        after: &Record,
        fields: &[FieldChange],
    ) -> Result<()> {
        self.changed += 1;
        let names = fields.iter().map(|f| f.field.as_str());
        match self
            .plan
            .changed_row(key, before, after, names, &mut self.summary)
        {
            Some(row) => self.updates.row(&self.plan.update_cells(&row, &self.all)),
            None => Ok(()),
        }
    }

    /// A customer added in Cube: a row of the created file.
    pub fn added(&mut self, record: &Record) -> Result<()> {
        self.created.row(&self.plan.value_cells(record))
    }

    /// A customer no longer in Cube (or anonymized since the last sync): a row of the
    /// removed file.
    pub fn removed(&mut self, record: &Record) -> Result<()> {
        self.removed.row(&self.plan.value_cells(record))
    }

    /// An anonymized customer (no id): counted, in no file.
    pub fn anonymized(&mut self) {
        self.summary.anonymized += 1;
    }

    /// The files' bytes ready since the last take.
    pub fn take(&mut self) -> UpdatePieces {
        UpdatePieces {
            updates: self.updates.take(),
            created: self.created.take(),
            removed: self.removed.take(),
        }
    }

    /// The bytes held until the next take: bounded, whatever the rows.
    #[doc(hidden)]
    pub fn held_bytes(&self) -> usize {
        self.updates.held_bytes() + self.created.held_bytes() + self.removed.held_bytes()
    }

    /// Ends the files: their last bytes, and the summary (`duplicate_keys`: the keys the
    /// sync found on more than one record).
    pub fn finish(mut self, duplicate_keys: Vec<String>) -> Result<(UpdatePieces, UpdateSummary)> {
        let s = &mut self.summary;
        s.updates = self.updates.rows();
        s.created = self.created.rows();
        s.removed = self.removed.rows();
        s.duplicate_keys = duplicate_keys;
        s.messages = messages(s, self.changed);
        let pieces = UpdatePieces {
            updates: self.updates.finish()?,
            created: self.created.finish()?,
            removed: self.removed.finish()?,
        };
        Ok((pieces, self.summary))
    }
}
