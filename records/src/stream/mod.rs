//! The streaming sync: records arrive page by page (as JSON text, straight from the wire) and
//! are compared with a stored snapshot without ever being held all at once.
//!
//! Per record it keeps only what the end of the sync needs: the key and the fingerprint (and
//! the record's JSON text when it may be reported: a key that is new, a fingerprint that
//! differs from the snapshot's, an empty key). The new snapshot is written as records pass.
//! At the end the changes are worked out by the same comparison as [`crate::sync()`], so both
//! report the same changes for the same records.
//!
//! A *baseline* run ([`SyncStream::baseline`]) writes the same snapshot but reports counts
//! only ([`SyncCounts`]): it keeps no record's text, builds no index of the previous keys and
//! lets go of the previous snapshot's values once read, so what it holds per record is the
//! key and fingerprint the counts need (and the snapshot being written).
//!
//! # Snapshot format, version 2
//!
//! Version 1 (see [`crate::snapshot`]) with the members in writing order, one record per
//! line, and five more members:
//!
//! ```json
//! {"version":2,"key":"crm__customer_id","loose":true,"ignoreFields":[],"store":"values",
//!  "source":"GET /api/v1/data_owners/12/B2C/customers/",
//!  "origin":"https://acme.headshed.com","records":[
//! ["0042","9c1f0e6a2b7d4410",["0042","Kari Nordmann","Storgata 1"]],
//! ["0043","51aa03c9e2f08b77",["0043","Ola Nordmann"]]
//! ],"fields":["crm__customer_id","crm__standard_info__name","crm__custom_info__64"],
//!  "count":2,"checksum":"3f0c9a1e5b7d2c48"}
//! ```
//!
//! * `store`: `"values"` or `"fingerprints"` (see [`SnapshotStore`]).
//! * `source`: the list read that made it (method, path and query; never the host or a
//!   credential), or `null` (the array sync); a
//!   streaming sync refuses a snapshot of another read.
//! * `origin`: the service it was made against, `scheme://host[:port]` (never user-info, a
//!   path or a query), or `null` (unknown: the array sync). A streaming sync refuses a
//!   snapshot made against another origin ([`RecordsError::OtherOrigin`]) unless told it is
//!   the same service under another name ([`SyncSource::allow_other_origin`]); the new
//!   snapshot records the new origin. A snapshot with `null`, or without the member (written
//!   before it existed), is accepted against any origin, and the new one records it.
//! * `fields` comes after `records`: a field first seen in a later record goes last, so the
//!   values written before it stay valid.
//! * `count` and `checksum` (see `checksum.rs`): a snapshot cut short or damaged is refused.
//!   The checksum covers every other member but `version`; a `null` or missing `origin`
//!   adds nothing to it, so snapshots written before the member keep their checksum (and
//!   removing a known origin by hand is damage).
//!
//! Values keep the JSON text Cube sent. Both versions are read; version 2 is written.

mod changes;
mod checksum;
mod feed;
mod index;
mod lookup;
mod matching;
mod previous;
mod source;
mod writer;

pub use changes::Change;
pub use previous::STREAM_SNAPSHOT_VERSION;
use source::OwnedSource;
pub use source::SyncSource;

use crate::counts::SyncCounts;
use crate::diff::{Diff, DiffOptions, DuplicateKey, Side};
use crate::error::{RecordsError, Result};
use crate::snapshot::SnapshotStore;
use changes::Pending;
use feed::{ReadSnapshot, SnapshotFeed};
use index::{KeyCounts, KeySet};
use writer::SnapshotWriter;

/// How a [`SyncStream`] runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncMode {
    /// A baseline run: counts only, nothing kept for a report ([`SyncStream::baseline`]).
    pub counts_only: bool,
}

/// A sync in progress: the previous snapshot is read first ([`SyncStream::feed_previous`],
/// [`SyncStream::end_previous`]), then each page's records are pushed in order
/// ([`SyncStream::push`]); changes come out as they are found ([`SyncStream::take_changes`]).
/// After [`SyncStream::end_pages`] the removed records follow, and [`SyncStream::finish`]
/// gives the counts and the rest of the new snapshot.
///
/// A changed or removed record needs its values from the previous snapshot. When the
/// snapshot's bytes are held ([`SyncStream::new`] takes them whole) they are read at once;
/// when it was fed piece by piece they are asked for: [`SyncStream::wanted`] names the byte
/// spans, [`SyncStream::supply`] takes them.
pub struct SyncStream {
    options: DiffOptions,
    source: OwnedSource,
    counts_only: bool,
    /// The previous snapshot while it is read.
    feed: Option<SnapshotFeed>,
    previous: Option<ReadSnapshot>,
    writer: SnapshotWriter,
    /// Keys read that the previous snapshot does not have.
    added_keys: KeySet,
    /// Keys read more than once.
    after_duplicates: KeyCounts,
    counts: SyncCounts,
    /// How many records were pushed.
    pushed: usize,
    /// The previous entry the next record most likely matches: records mostly come in the
    /// order the previous snapshot was written, so this spares a hash table lookup.
    guess: u32,
    pending: Pending,
    /// Changes found and complete, not yet taken.
    ready: Vec<Change>,
    /// Once every page is read: the next previous entry to look at for removal.
    removal: Option<u32>,
}

impl SyncStream {
    /// Starts a sync against `previous` (a stored snapshot's bytes, held for the whole sync;
    /// `None`: everything is added). `source` names the read and the service it reads: a
    /// snapshot of another read is refused, and one made against another origin unless
    /// [`SyncSource::allow_other_origin`] ([`RecordsError::OtherOrigin`]). Errors name the
    /// snapshot as [`RecordsError::InvalidSnapshot`] and friends.
    pub fn new(
        previous: Option<Vec<u8>>,
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
    ) -> Result<SyncStream> {
        Self::with_mode(previous, options, store, source, SyncMode::default())
    }

    /// Starts a *baseline* run: the same snapshot as [`SyncStream::new`] writes, but the
    /// changes are counts only ([`SyncStream::finish_counted`]; [`SyncStream::finish`] gives
    /// empty lists). Nothing is kept per record for a report. Against a `previous` (a
    /// re-baseline) the counts compare with it; a matched record counts as changed when its
    /// fingerprint differs (its values are not compared).
    pub fn baseline(
        previous: Option<Vec<u8>>,
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
    ) -> Result<SyncStream> {
        let mode = SyncMode { counts_only: true };
        Self::with_mode(previous, options, store, source, mode)
    }

    /// Starts a sync in `mode` with the previous snapshot's bytes held whole (or none).
    pub fn with_mode(
        previous: Option<Vec<u8>>,
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
        mode: SyncMode,
    ) -> Result<SyncStream> {
        let mut sync = Self::start(options, store, source, mode)?;
        if let Some(bytes) = previous {
            sync.feed_previous(&bytes)?;
            sync.end_previous_holding(Some(bytes))?;
        } else {
            sync.feed = None;
        }
        Ok(sync)
    }

    /// Starts a sync whose previous snapshot is then fed piece by piece
    /// ([`SyncStream::feed_previous`], [`SyncStream::end_previous`]); without a previous
    /// snapshot, call [`SyncStream::end_previous`] at once... or [`SyncStream::no_previous`].
    pub fn start(
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
        mode: SyncMode,
    ) -> Result<SyncStream> {
        options.validate()?;
        if source.origin.is_some_and(|o| !source::is_origin(o)) {
            // Not shown: it may hold a credential.
            return Err(RecordsError::option(
                "origin",
                "must be scheme://host[:port] (no user-info, path or query)",
            ));
        }
        Ok(SyncStream {
            writer: SnapshotWriter::new(&options, store, &source),
            options,
            source: OwnedSource::new(&source),
            counts_only: mode.counts_only,
            feed: Some(SnapshotFeed::new()),
            previous: None,
            added_keys: KeySet::new(),
            after_duplicates: KeyCounts::default(),
            counts: SyncCounts::default(),
            pushed: 0,
            guess: 0,
            pending: Pending::default(),
            ready: Vec::new(),
            removal: None,
        })
    }

    /// There is no previous snapshot: every record is added.
    pub fn no_previous(&mut self) {
        self.feed = None;
    }

    /// Reads the next bytes of the previous snapshot. Its options, read and origin are checked
    /// as soon as its first line is read.
    pub fn feed_previous(&mut self, bytes: &[u8]) -> Result<()> {
        let feed = self.feed.as_mut().ok_or_else(|| {
            RecordsError::option("previous", "the previous snapshot was already read")
        })?;
        let checked = feed.about().is_some();
        feed.feed(bytes)?;
        if !checked {
            if let Some(about) = feed.about() {
                self.source.check_snapshot(&self.options, about)?;
            }
        }
        Ok(())
    }

    /// The previous snapshot is read: its values are asked for by [`SyncStream::wanted`].
    pub fn end_previous(&mut self) -> Result<()> {
        self.end_previous_holding(None)
    }

    fn end_previous_holding(&mut self, bytes: Option<Vec<u8>>) -> Result<()> {
        let feed = self.feed.take().ok_or_else(|| {
            RecordsError::option("previous", "the previous snapshot was already read")
        })?;
        let mut read = feed.end()?;
        self.source.check_snapshot(&self.options, &read.about)?;
        if self.counts_only {
            read.held = None;
        } else if read.held.is_none() {
            read.held = bytes;
        }
        // Keys found twice in the snapshot are reported with the sync's.
        self.counts.duplicate_keys += read.index.duplicates().len();
        self.previous = Some(read);
        Ok(())
    }

    /// The new snapshot's bytes written since the last call: whole records, so that the
    /// pieces, one after the other and then [`SyncStream::finish`]'s snapshot, are the whole
    /// snapshot (the same bytes as a sync that took none).
    pub fn take_snapshot(&mut self) -> Vec<u8> {
        self.writer.take().into_bytes()
    }

    /// How many changes are found and not yet taken (none in a baseline run).
    pub fn kept_len(&self) -> usize {
        self.ready.len() + self.pending.len()
    }

    /// How many records were pushed.
    pub fn len(&self) -> usize {
        self.pushed
    }

    /// Whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// The counts so far.
    pub fn counts(&self) -> SyncCounts {
        self.counts
    }

    /// Bytes the sync holds for matching, roughly: the previous snapshot's index and the keys
    /// read that it does not have (not the changes waiting to be taken).
    pub fn held_bytes(&self) -> usize {
        let previous = self.previous.as_ref().map_or(0, |p| {
            p.index.held_bytes() + p.held.as_ref().map_or(0, Vec::capacity)
        });
        previous + self.added_keys.held_bytes()
    }

    fn started(&mut self) -> Result<()> {
        if self.feed.is_some() {
            return Err(RecordsError::option(
                "previous",
                "records were pushed before the previous snapshot was read to its end",
            ));
        }
        Ok(())
    }

    /// The changes found and complete since the last call, in the order found: records as
    /// their page is read, removed records after the last page.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.ready)
    }

    /// Keys read more than once (after) and found more than once in the previous snapshot
    /// (before), each with how many times.
    pub fn duplicate_keys(&self) -> Vec<DuplicateKey> {
        let after = self
            .after_duplicates
            .list()
            .iter()
            .map(|(k, n)| DuplicateKey {
                key: k.clone(),
                side: Side::After,
                count: *n,
            });
        let before = self
            .previous
            .iter()
            .flat_map(|p| p.index.duplicates())
            .map(|(k, n)| DuplicateKey {
                key: k.clone(),
                side: Side::Before,
                count: *n,
            });
        after.chain(before).collect()
    }

    /// The changes since the previous snapshot, and the new snapshot's bytes.
    pub fn finish(self) -> Result<(Diff<'static>, Vec<u8>)> {
        self.finish_counted()
            .map(|(diff, _, snapshot)| (diff, snapshot))
    }

    /// Ends the sync: the changes not yet taken (with the previous snapshot held, every one
    /// left is looked up here), the counts, and the rest of the new snapshot. In a baseline
    /// run the counts are the whole report: the changes' lists are empty.
    pub fn finish_counted(mut self) -> Result<(Diff<'static>, SyncCounts, Vec<u8>)> {
        self.end_pages()?;
        while let Some(spans) = self.wanted()? {
            if !spans.is_empty() {
                return Err(RecordsError::option(
                    "previous",
                    "the previous snapshot's values were asked for and not supplied",
                ));
            }
        }
        let listed = if self.counts_only {
            Vec::new()
        } else {
            self.duplicate_keys()
        };
        let mut diff = Diff {
            duplicate_keys: listed,
            unchanged: self.counts.unchanged,
            ..Diff::default()
        };
        for change in self.take_changes() {
            change.into_diff(&mut diff);
        }
        Ok((diff, self.counts, self.writer.finish()))
    }
}
