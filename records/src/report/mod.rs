//! The changes report written as the changes arrive: the nightly sync hands each changed,
//! added or removed customer to a [`ReportWriter`] and takes the file's bytes as they are
//! ready, so memory holds one customer's rows and a bounded buffer, however long the report.
//!
//! The rows are those of [`crate::change_sheet`](mod@crate::change_sheet) (its module documentation has the rules),
//! in the order the customers are given: [`crate::change_sheet::change_sheet`] gives the
//! changed ones, then the added, then the removed, and is this writer fed in that order.
//!
//! # Formats
//!
//! * `.xlsx` ([`ReportFormat::Xlsx`]): every cell text, the header bold and frozen; past
//!   Excel's row limit the report continues on `"Changes (2)"`… (see [`crate::xlsx`]).
//! * CSV ([`ReportFormat::Csv`]): a header row, then the rows, as [`crate::to_csv`] writes
//!   them.
//! * ndjson ([`ReportFormat::Ndjson`]): one JSON object per row and line, keys in the order
//!   of [`crate::change_sheet::COLUMNS`], every value a string; no header.

mod rows;
mod writer;

pub(crate) use rows::RowRules;
pub use writer::ReportWriter;

use serde::{Deserialize, Serialize};

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    /// Office Open XML workbook.
    Xlsx,
    /// CSV (RFC 4180), with the delimiter, BOM and formula guard of the options.
    Csv,
    /// Newline-delimited JSON: one object per row.
    Ndjson,
}
