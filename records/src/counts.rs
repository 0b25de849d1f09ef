//! How many records a sync found of each kind: the whole report of a baseline run (see
//! [`crate::SyncStream::baseline`]), and a summary beside the lists of any other sync.

use crate::diff::Diff;
use serde::Serialize;

/// The size of each part of a sync's changes.
///
/// For a sync that lists its changes these are the lengths of [`Diff`]'s lists (and its
/// `unchanged`); a baseline run reports these counts alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncCounts {
    /// Records whose key is new.
    pub added: usize,
    /// Keys of the previous state not read this time.
    pub removed: usize,
    /// Matched records that differ.
    pub changed: usize,
    /// Matched records that are equal.
    pub unchanged: usize,
    /// Records with an empty key (never matched).
    pub anonymized: usize,
    /// Keys found more than once on a side (one per key and side).
    pub duplicate_keys: usize,
}

impl<R: Clone> From<&Diff<'_, R>> for SyncCounts {
    fn from(d: &Diff<'_, R>) -> Self {
        SyncCounts {
            added: d.added.len(),
            removed: d.removed.len(),
            changed: d.changed.len(),
            unchanged: d.unchanged,
            anonymized: d.anonymized.len(),
            duplicate_keys: d.duplicate_keys.len(),
        }
    }
}
