//! The one error type of this crate.
//!
//! Every variant is a problem with what the caller passed in, so the JS layer maps all of
//! them to the code `invalid_argument` (see [`RecordsError::code`]). Messages name the
//! offending option, field, value or cell; options as the JS layer spells them (`sheetName`,
//! `onWarning`).

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
    /// The output would exceed a format limit (columns of a sheet, size of a zip entry or file).
    TooLarge(String),
    /// A mapping document (see [`crate::mapping`]) is not as documented.
    InvalidMapping {
        /// Where in the mapping: a JSON path from `mapping` (`mapping.fields[3].cube`).
        path: String,
        /// What is wrong there.
        reason: String,
    },
    /// A text cell is longer than an `.xlsx` cell holds ([`crate::cell_limit`]), and cutting
    /// it was not asked for.
    CellTooLong {
        /// The sheet's name when it is not the workbook's first sheet; empty on the first.
        sheet: String,
        /// The row, 1-based as its sheet shows it (the header is row 1).
        row: u32,
        /// The column's letters (`F`).
        column: String,
        /// The column's header (empty when the sheet has none).
        header: String,
        /// The text's length in UTF-16 code units.
        length: usize,
    },
}

impl RecordsError {
    /// The error code the JS layer reports: always `invalid_argument`.
    pub fn code(&self) -> &'static str {
        "invalid_argument"
    }

    pub(crate) fn mapping(path: impl Into<String>, reason: impl Into<String>) -> Self {
        RecordsError::InvalidMapping {
            path: path.into(),
            reason: reason.into(),
        }
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
            RecordsError::InvalidMapping { path, reason } => write!(f, "{path}: {reason}"),
            RecordsError::CellTooLong {
                sheet,
                row,
                column,
                header,
                length,
            } => write!(
                f,
                "{}: {} characters; an .xlsx cell holds at most {}. Write CSV instead, or pass \
                 onWarning to cut it",
                crate::cell_limit::cell_name(sheet, *row, column, header),
                thousands(*length),
                thousands(crate::cell_limit::MAX_CELL_CHARS)
            ),
        }
    }
}

impl std::error::Error for RecordsError {}

/// At most this many characters of a value are shown in a message.
const SHOWN_CHARS: usize = 80;

/// A value quoted for a message, JSON style (`"City"`), without pulling in `Debug`
/// formatting (which would grow the wasm module). The client's rules (`errors::quote` in the
/// root crate, which this crate does not depend on): a URL (anything with `://`) without its
/// user-info, query and fragment (`"https://…@host/x?…"`), and cut after 80 characters with
/// the value's length (`"xxxx…" (100,000 characters)`).
pub(crate) fn quote(s: &str) -> String {
    let shown = match s.find("://") {
        Some(at) => without_secrets(s, at + 3),
        None => s.to_string(),
    };
    let mut out = String::from("\"");
    let mut width = 0;
    for c in shown.chars() {
        let piece = serde_json::to_string(c.encode_utf8(&mut [0; 4])).unwrap_or_default();
        let piece = &piece[1..piece.len() - 1];
        width += piece.chars().count();
        if width > SHOWN_CHARS {
            let total = shown.chars().count();
            return format!("{out}…\" ({} characters)", thousands(total));
        }
        out.push_str(piece);
    }
    out.push('"');
    out
}

/// `url` from `start` with everything up to its last `@` as `…@`, its query or fragment as
/// `?…` / `#…`.
fn without_secrets(url: &str, start: usize) -> String {
    let (head, mut rest) = url.split_at(start);
    let mut out = head.to_string();
    if let Some(at) = rest.rfind('@') {
        out.push_str("…@");
        rest = &rest[at + 1..];
    }
    match rest.find(['?', '#']) {
        Some(q) => {
            out.push_str(&rest[..=q]);
            out.push('…');
        }
        None => out.push_str(rest),
    }
    out
}

/// A count for a message, its thousands grouped with commas (`40,000`).
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Result alias of this crate.
pub type Result<T, E = RecordsError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn values_are_quoted_cut_and_never_show_a_urls_secrets() {
        assert_eq!(quote("City"), "\"City\"");
        assert_eq!(quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(
            quote(&"x".repeat(100_000)),
            format!("\"{}…\" (100,000 characters)", "x".repeat(80))
        );
        assert!(quote(&"\u{1}".repeat(100)).ends_with("…\" (100 characters)"));
        assert_eq!(
            quote("https://u:SECRET@acme.headshed.com/x?token=SECRET#SECRET"),
            "\"https://…@acme.headshed.com/x?…\""
        );
    }
}
