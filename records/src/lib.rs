//! Cube CRM records, the round trip: labels for custom fields, a normalized customer view,
//! change detection between syncs with a compact snapshot, and CSV / XLSX export for Cube's
//! Excel import; mappings between an integrator's CRM and Cube ([`mapping`]).
//!
//! Pure Rust (no JS bindings): it builds and tests natively and compiles for
//! `wasm32-unknown-unknown`; the crate at the repository root exposes it to JS. Every error
//! is a [`RecordsError`], which the JS layer reports as `invalid_argument`.
//!
//! Cargo feature `xlsx` (default): the `.xlsx` writer, which pulls in `miniz_oxide`.

pub mod cell_limit;
pub mod change_sheet;
mod checked_record;
pub mod columns;
pub mod counts;
pub mod csv;
mod csv_quotes;
pub mod csv_read;
pub mod customer_view;
pub mod diff;
pub mod error;
pub mod fields;
pub mod import_sheet;
pub mod labels;
pub mod mapping;
pub mod parse;
pub mod report;
mod same_text;
pub mod since;
pub mod snapshot;
mod snapshot_json;
pub mod stream;
pub mod sync;
pub mod text_record;
pub mod value;
#[cfg(feature = "xlsx")]
pub mod xlsx;

pub use cell_limit::{LongCells, TruncatedCell, MAX_CELL_CHARS};
pub use change_sheet::{change_rows, change_sheet, ChangeSheetOptions, ChangesInput};
pub use columns::Column;
pub use counts::SyncCounts;
pub use csv::{looks_like_formula, to_csv, CsvOptions, CsvWriter};
pub use csv_read::{read_csv, CsvReadOptions, CsvTable};
pub use customer_view::{customer_view, ChangeLog, CustomerView};
pub use diff::{
    diff, Anonymized, Changed, Diff, DiffOptions, DuplicateKey, FieldChange, Fields, Side,
};
pub use error::{RecordsError, Result};
pub use import_sheet::{default_import_columns, import_sheet, ImportSheetOptions, SheetFormat};
pub use labels::Labels;
pub use mapping::{
    import_records, update_file, Mapping, UpdateFileOptions, UpdateFiles, UpdateSummary,
};
pub use parse::parse_records;
pub use report::{ReportFormat, ReportWriter};
pub use since::changed_since;
pub use snapshot::{Snapshot, SnapshotRecord, SnapshotStore};
pub use stream::{SyncMode, SyncSource, SyncStream};
pub use sync::{sync, sync_with};
pub use text_record::{parse_text_record, parse_text_records, TextRecord};
#[cfg(feature = "xlsx")]
pub use xlsx::{to_xlsx, Cell, XlsxOptions, XlsxWriter};

/// A Cube record: a flat JSON object, in the order the service sent its keys.
pub type Record = serde_json::Map<String, serde_json::Value>;
