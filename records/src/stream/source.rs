//! What a streaming sync reads and where from, as its snapshot records them, and the check
//! that a stored snapshot was made by the same read against the same service.

use super::feed::About;
use crate::diff::DiffOptions;
use crate::error::{quote, RecordsError, Result};

/// The read a streaming sync compares, as its snapshot records it (all `None`: unknown, as
/// for the array sync; an unknown side is never checked).
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncSource<'a> {
    /// The list read: method, path and query (never the host or a credential).
    pub read: Option<&'a str>,
    /// The service read: `scheme://host[:port]` (never user-info, a path or a query).
    pub origin: Option<&'a str>,
    /// Accept a snapshot made against another origin (the same service under another name,
    /// or a sandbox on another port); the new snapshot records this sync's origin.
    pub allow_other_origin: bool,
}

/// A sync's [`SyncSource`], owned for the length of the sync.
pub(crate) struct OwnedSource {
    read: Option<String>,
    origin: Option<String>,
    allow_other_origin: bool,
}

impl OwnedSource {
    pub fn new(s: &SyncSource<'_>) -> Self {
        OwnedSource {
            read: s.read.map(str::to_string),
            origin: s.origin.map(str::to_string),
            allow_other_origin: s.allow_other_origin,
        }
    }

    /// Checks that the snapshot `about` describes fits a sync of this read made with
    /// `options`: the same options, read and origin (see [`check`]).
    pub fn check_snapshot(&self, options: &DiffOptions, about: &About) -> Result<()> {
        crate::snapshot::check_options(&about.options, options)?;
        let now = SyncSource {
            read: self.read.as_deref(),
            origin: self.origin.as_deref(),
            allow_other_origin: self.allow_other_origin,
        };
        check(about.source.as_deref(), about.origin.as_deref(), &now)
    }
}

/// Checks a stored snapshot's `read` and `origin` against this sync's.
pub(crate) fn check(read: Option<&str>, origin: Option<&str>, now: &SyncSource<'_>) -> Result<()> {
    if let (Some(mine), Some(now)) = (read, now.read) {
        if mine != now {
            return Err(RecordsError::SnapshotMismatch {
                option: "source",
                snapshot: quote(mine),
                requested: quote(now),
            });
        }
    }
    if let (Some(mine), Some(current)) = (origin, now.origin) {
        if mine != current && !now.allow_other_origin {
            return Err(RecordsError::OtherOrigin {
                snapshot: mine.to_string(),
                requested: current.to_string(),
            });
        }
    }
    Ok(())
}

/// Whether `s` is shaped as an origin, `scheme://host[:port]`: nothing that could carry a
/// credential, a path or a query into a snapshot or a message.
pub(crate) fn is_origin(s: &str) -> bool {
    let Some((scheme, authority)) = s.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    scheme_ok
        && !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:[]".contains(c))
}

#[cfg(test)]
mod tests {
    use super::is_origin;

    #[test]
    fn origins_have_no_userinfo_path_or_query() {
        for good in [
            "https://acme.headshed.com",
            "http://127.0.0.1:8787",
            "http://[::1]:9000",
        ] {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "",
            "acme.headshed.com",
            "https://",
            "https://u:p@acme.headshed.com",
            "https://acme.headshed.com/",
            "https://acme.headshed.com/cube",
            "https://acme.headshed.com?x=1",
            "https://acme.headshed.com#f",
            "https://acme .headshed.com",
            "https://acme.headshed.com\n",
            "1http://x",
        ] {
            assert!(!is_origin(bad), "{bad:?}");
        }
    }
}
