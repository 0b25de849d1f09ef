//! The one error type of this crate.
//!
//! Every variant is a problem with what the caller passed in, so the JS layer maps all of
//! them to the code `invalid_argument` (see [`RecordsError::code`]). Messages name the
//! offending option, field or value.

use std::fmt;

/// Everything that can go wrong in `cube-records`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordsError {
    /// A snapshot declares a version this crate does not read.
    UnsupportedSnapshotVersion {
        /// The version found, as JSON text (`2`, `"1"`, `null` …).
        found: String,
    },
    /// A snapshot is not shaped as documented in [`crate::snapshot`].
    InvalidSnapshot(String),
    /// A snapshot was made with other diff options than the ones passed now.
    SnapshotMismatch {
        /// Which option differs (`key`, `loose`, `ignoreFields`).
        option: &'static str,
        /// Its value in the snapshot.
        snapshot: String,
        /// Its value in the options passed now.
        requested: String,
    },
    /// A streaming sync's snapshot was made against another service than the one read now
    /// (see [`crate::stream::SyncSource::allow_other_origin`]).
    OtherOrigin {
        /// The origin the snapshot records (`scheme://host[:port]`).
        snapshot: String,
        /// The origin read now.
        requested: String,
    },
    /// A column names a field that no record has (and no label resolves).
    UnknownColumn {
        /// The field or label as given.
        field: String,
    },
    /// An option has a value that cannot be used.
    InvalidOption {
        /// The option's name as the JS layer spells it.
        option: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The custom-fields list is not shaped like Cube's `crm_custom_fields` answer.
    InvalidCustomFields(String),
    /// A date is not `YYYY-MM-DD` (or `YYYYMMDD`).
    InvalidDate(String),
    /// A CSV file that cannot be read as a table (encoding, header, a ragged row).
    InvalidCsv(String),
    /// The output would exceed a format limit (rows of a sheet, size of a zip entry).
    TooLarge(String),
}

impl RecordsError {
    /// The error code the JS layer reports: always `invalid_argument`.
    pub fn code(&self) -> &'static str {
        "invalid_argument"
    }

    pub(crate) fn option(option: &'static str, reason: impl Into<String>) -> Self {
        RecordsError::InvalidOption {
            option,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RecordsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordsError::UnsupportedSnapshotVersion { found } => write!(
                f,
                "unsupported snapshot version {found}: this library reads versions 1 and 2"
            ),
            RecordsError::InvalidSnapshot(why) => write!(f, "invalid snapshot: {why}"),
            RecordsError::SnapshotMismatch {
                option,
                snapshot,
                requested,
            } => write!(
                f,
                "snapshot was made with {option} = {snapshot}, but {option} = {requested} was \
                 requested; pass the same options or start a new snapshot"
            ),
            RecordsError::OtherOrigin {
                snapshot,
                requested,
            } => write!(
                f,
                "snapshot was made against {snapshot}, but this sync reads {requested}; if that \
                 is the same service under another name, allow another origin, else start a new \
                 snapshot"
            ),
            RecordsError::UnknownColumn { field } => write!(
                f,
                "unknown column {}: no record has this field and no custom-field label \
                 matches it",
                quote(field)
            ),
            RecordsError::InvalidOption { option, reason } => {
                write!(f, "invalid option {option}: {reason}")
            }
            RecordsError::InvalidCustomFields(why) => write!(f, "invalid custom fields: {why}"),
            RecordsError::InvalidCsv(why) => write!(f, "invalid CSV: {why}"),
            RecordsError::InvalidDate(date) => write!(
                f,
                "invalid date {}: expected YYYY-MM-DD (or YYYYMMDD)",
                quote(date)
            ),
            RecordsError::TooLarge(why) => write!(f, "output too large: {why}"),
        }
    }
}

impl std::error::Error for RecordsError {}

/// A value quoted for a message, JSON style (`"City"`), without pulling in `Debug`
/// formatting (which would grow the wasm module).
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Result alias of this crate.
pub type Result<T, E = RecordsError> = std::result::Result<T, E>;
