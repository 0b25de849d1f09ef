//! [`ReportWriter`]: the report's rows into a file, handed out in pieces.

use super::{ReportFormat, RowRules};
use crate::cell_limit::TruncatedCell;
use crate::change_sheet::{ChangeSheetOptions, COLUMNS};
use crate::csv::CsvWriter;
use crate::diff::FieldChange;
use crate::error::Result;
use crate::labels::Labels;
use crate::Record;
use serde_json::Value;

enum Sink {
    #[cfg(feature = "xlsx")]
    Xlsx(Box<crate::xlsx::XlsxWriter>),
    Csv(CsvWriter),
    Ndjson(Vec<u8>),
}

/// Writes the changes report as the changes arrive (see [`crate::report`]).
///
/// Every piece [`ReportWriter::take`] returns, then what [`ReportWriter::finish`] returns,
/// make the whole file; between takes the writer holds a bounded buffer, not the report.
pub struct ReportWriter {
    options: ChangeSheetOptions,
    labels: Option<Labels>,
    sink: Sink,
    rows: u64,
    /// One customer's rows, written then cleared.
    pending: Vec<Record>,
}

/// A row's cell for a column: its text (every value of a report row is a string).
fn cell<'r>(row: &'r Record, key: &str) -> &'r str {
    row.get(key).and_then(Value::as_str).unwrap_or_default()
}

impl ReportWriter {
    /// A writer of `format`. The options are checked first (the sheet name for `.xlsx`, the
    /// delimiter for CSV); their `format` is not read. `labels` name custom fields.
    /// `cut_long_cells`: `.xlsx` text longer than a cell holds is cut and noted in
    /// [`ReportWriter::truncated`] instead of failing the write.
    pub fn new(
        options: &ChangeSheetOptions,
        labels: Option<Labels>,
        format: ReportFormat,
        cut_long_cells: bool,
    ) -> Result<Self> {
        let header: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
        let sink = match format {
            #[cfg(not(feature = "xlsx"))]
            ReportFormat::Xlsx => {
                let _ = cut_long_cells;
                return Err(crate::error::RecordsError::option(
                    "format",
                    "\"xlsx\" is not built into this package (Cargo feature xlsx); use \"csv\"",
                ));
            }
            #[cfg(feature = "xlsx")]
            ReportFormat::Xlsx => {
                use crate::xlsx::XlsxWriter;
                let name = options.sheet_name.as_deref().unwrap_or("Changes");
                Sink::Xlsx(Box::new(match cut_long_cells {
                    true => XlsxWriter::cutting_long_cells(name, &header)?,
                    false => XlsxWriter::new(name, &header)?,
                }))
            }
            ReportFormat::Csv => {
                let mut w = CsvWriter::new(
                    options.delimiter.unwrap_or(','),
                    options.bom.unwrap_or(true),
                )?
                .formula_guard(options.formula_guard.unwrap_or(true));
                w.write_row(&header);
                Sink::Csv(w)
            }
            ReportFormat::Ndjson => Sink::Ndjson(Vec::new()),
        };
        Ok(ReportWriter {
            options: options.clone(),
            labels,
            sink,
            rows: 0,
            pending: Vec::new(),
        })
    }

    /// Writes a changed customer's rows: one per changed field, but the change-log and
    /// ignored fields.
    pub fn changed(
        &mut self,
        key: &str,
        before: &Record,
        after: &Record,
        fields: &[FieldChange],
    ) -> Result<()> {
        let fields = fields
            .iter()
            .map(|f| (f.field.as_str(), &f.before, &f.after));
        self.changed_fields(key, before, after, fields)
    }

    /// [`ReportWriter::changed`] with the fields as `(field, before, after)`.
    pub(crate) fn changed_fields<'f>(
        &mut self,
        key: &str,
        before: &Record,
        after: &Record,
        fields: impl IntoIterator<Item = (&'f str, &'f Value, &'f Value)>,
    ) -> Result<()> {
        let rules = RowRules::new(&self.options, self.labels.as_ref());
        rules.changed(key, before, after, fields, &mut self.pending);
        self.write_pending()
    }

    /// Writes an added customer's row.
    pub fn added(&mut self, record: &Record) -> Result<()> {
        let rules = RowRules::new(&self.options, self.labels.as_ref());
        self.pending.push(rules.added(record));
        self.write_pending()
    }

    /// Writes a removed customer's row.
    pub fn removed(&mut self, record: &Record) -> Result<()> {
        let rules = RowRules::new(&self.options, self.labels.as_ref());
        self.pending.push(rules.removed(record));
        self.write_pending()
    }

    fn write_pending(&mut self) -> Result<()> {
        let written = self.pending.iter().try_for_each(|row| {
            write_row(&mut self.sink, row)?;
            self.rows += 1;
            Ok(())
        });
        self.pending.clear();
        written
    }

    /// The file's bytes ready so far (may be empty), handed out once.
    pub fn take(&mut self) -> Vec<u8> {
        match &mut self.sink {
            #[cfg(feature = "xlsx")]
            Sink::Xlsx(w) => w.take(),
            Sink::Csv(w) => w.take(),
            Sink::Ndjson(out) => std::mem::take(out),
        }
    }

    /// Ends the file and returns its bytes not taken yet (the whole file if nothing was).
    pub fn finish(self) -> Result<Vec<u8>> {
        match self.sink {
            #[cfg(feature = "xlsx")]
            Sink::Xlsx(w) => w.finish(),
            Sink::Csv(w) => Ok(w.finish()),
            Sink::Ndjson(out) => Ok(out),
        }
    }

    /// The `.xlsx` cells cut so far (always empty for CSV and ndjson, which cut nothing).
    pub fn truncated(&self) -> &[TruncatedCell] {
        match &self.sink {
            #[cfg(feature = "xlsx")]
            Sink::Xlsx(w) => w.truncated(),
            _ => &[],
        }
    }

    /// The report rows written so far (headers not counted), over every sheet.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The bytes held for the file until the next take: bounded, whatever [`ReportWriter::rows`].
    #[doc(hidden)]
    pub fn held_bytes(&self) -> usize {
        match &self.sink {
            #[cfg(feature = "xlsx")]
            Sink::Xlsx(w) => w.held_bytes(),
            Sink::Csv(w) => w.held_bytes(),
            Sink::Ndjson(out) => out.capacity(),
        }
    }
}

fn write_row(sink: &mut Sink, row: &Record) -> Result<()> {
    match sink {
        #[cfg(feature = "xlsx")]
        Sink::Xlsx(w) => {
            use crate::xlsx::Cell;
            let mut cells = [Cell::Empty; COLUMNS.len()];
            for (c, (key, _)) in cells.iter_mut().zip(COLUMNS) {
                *c = Cell::Id(cell(row, key));
            }
            w.write_row(&cells)
        }
        Sink::Csv(w) => {
            w.write_row(COLUMNS.iter().map(|(key, _)| cell(row, key)));
            Ok(())
        }
        Sink::Ndjson(out) => {
            // A map of strings always serializes, and a Vec takes every byte.
            serde_json::to_writer(&mut *out, row).expect("a report row serializes");
            out.push(b'\n');
            Ok(())
        }
    }
}
