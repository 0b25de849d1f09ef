//! [`FileSink`]: one update file (CSV in the CRM's conventions, or `.xlsx`) written row by
//! row and handed out in pieces, so a million rows never sit in memory.

use crate::csv::{looks_like_formula, CsvWriter};
use crate::error::Result;
use crate::import_sheet::SheetFormat;
use crate::mapping::conventions::FileConventions;
use crate::mapping::phone::is_e164;

enum Out {
    Csv(CsvWriter),
    #[cfg(feature = "xlsx")]
    Xlsx(Box<crate::xlsx::XlsxWriter>),
}

/// One file being written: its header at once, then [`FileSink::row`]s.
pub(super) struct FileSink {
    out: Out,
    /// Per column, is it a phone column (see [`guard`]).
    phones: Vec<bool>,
    formula_guard: bool,
    rows: usize,
}

impl FileSink {
    /// A file of `format` whose header is `headers` (text, is a phone column); `sheet`
    /// names an `.xlsx` file's sheet.
    pub fn new(
        format: SheetFormat,
        file: &FileConventions,
        sheet: &str,
        headers: &[(String, bool)],
    ) -> Result<FileSink> {
        let out = match format {
            SheetFormat::Csv => {
                let mut w = CsvWriter::new(file.delimiter, file.bom)?.formula_guard(false);
                w.write_row(
                    headers
                        .iter()
                        .map(|(h, _)| guard(file.formula_guard, h, false)),
                );
                Out::Csv(w)
            }
            #[cfg(not(feature = "xlsx"))]
            SheetFormat::Xlsx => {
                let _ = sheet;
                return Err(crate::error::RecordsError::option(
                    "format",
                    "\"xlsx\" is not built into this package (Cargo feature xlsx); use \"csv\"",
                ));
            }
            #[cfg(feature = "xlsx")]
            SheetFormat::Xlsx => {
                let names: Vec<&str> = headers.iter().map(|(h, _)| h.as_str()).collect();
                Out::Xlsx(Box::new(crate::xlsx::XlsxWriter::new(sheet, &names)?))
            }
        };
        Ok(FileSink {
            out,
            phones: headers.iter().map(|(_, p)| *p).collect(),
            formula_guard: file.formula_guard,
            rows: 0,
        })
    }

    /// Writes a row: cells as (text, is a value rather than the mapping's own convention —
    /// conventions are never formula-guarded).
    pub fn row(&mut self, cells: &[(String, bool)]) -> Result<()> {
        self.rows += 1;
        match &mut self.out {
            Out::Csv(w) => {
                let on = self.formula_guard;
                w.write_row(cells.iter().zip(&self.phones).map(|((v, value), phone)| {
                    if *value {
                        guard(on, v, *phone)
                    } else {
                        v.clone()
                    }
                }));
                Ok(())
            }
            #[cfg(feature = "xlsx")]
            Out::Xlsx(w) => {
                use crate::xlsx::Cell as X;
                let cells: Vec<X<'_>> = cells
                    .iter()
                    .map(|(v, _)| if v.is_empty() { X::Empty } else { X::Id(v) })
                    .collect();
                w.write_row(&cells)
            }
        }
    }

    /// The rows written (the header not counted).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The bytes ready since the last take (may be empty).
    pub fn take(&mut self) -> Vec<u8> {
        match &mut self.out {
            Out::Csv(w) => w.take(),
            #[cfg(feature = "xlsx")]
            Out::Xlsx(w) => w.take(),
        }
    }

    /// Ends the file: its bytes not taken yet.
    pub fn finish(self) -> Result<Vec<u8>> {
        match self.out {
            Out::Csv(w) => Ok(w.finish()),
            #[cfg(feature = "xlsx")]
            Out::Xlsx(w) => w.finish(),
        }
    }

    /// The bytes held until the next take: bounded, whatever the rows.
    pub fn held_bytes(&self) -> usize {
        match &self.out {
            Out::Csv(w) => w.held_bytes(),
            #[cfg(feature = "xlsx")]
            Out::Xlsx(w) => w.held_bytes(),
        }
    }
}

/// A cell with the formula guard's `'` where it needs one (see [`super`]): never an E.164
/// number in a phone column.
fn guard(on: bool, cell: &str, phone: bool) -> String {
    if on && looks_like_formula(cell) && !(phone && is_e164(cell)) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}
