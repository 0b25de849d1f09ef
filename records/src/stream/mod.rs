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

mod checksum;
mod previous;
mod source;
mod writer;

pub use previous::STREAM_SNAPSHOT_VERSION;
pub use source::SyncSource;

use crate::counts::SyncCounts;
use crate::diff::{DiffOptions, Fields, KeyHasher, Slot};
use crate::error::{RecordsError, Result};
use crate::snapshot::{fingerprint, Snapshot, SnapshotStore};
use crate::sync::{compare, count, Current, Previous};
use crate::text_record::{parse_text_record, parse_text_records, TextRecord};
use crate::{Diff, Record};
use previous::StoredSnapshot;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use writer::SnapshotWriter;

type Fast = BuildHasherDefault<KeyHasher>;

/// How a [`SyncStream`] runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncMode {
    /// A baseline run: counts only, nothing kept for a report ([`SyncStream::baseline`]).
    pub counts_only: bool,
    /// The new snapshot is taken piece by piece ([`SyncStream::take_snapshot`]): no room is
    /// reserved for all of it.
    pub snapshot_in_pieces: bool,
}

/// A sync in progress. [`SyncStream::push`] each page's records in order, then
/// [`SyncStream::finish`].
pub struct SyncStream {
    options: DiffOptions,
    previous: Option<StoredSnapshot>,
    index: HashMap<Box<str>, Slot, Fast>,
    writer: SnapshotWriter,
    /// The current records' keys, one after the other.
    keys: String,
    key_spans: Vec<Option<Range<usize>>>,
    fingerprints: Vec<Option<u64>>,
    /// The JSON text of records that may be reported, by position.
    kept: HashMap<usize, String, Fast>,
    /// A baseline run: counts only, nothing kept for the report.
    counts_only: bool,
}

impl SyncStream {
    /// Starts a sync against `previous` (a stored snapshot's bytes; `None`: everything is
    /// added). `source` names the read and the service it reads: a snapshot of another read
    /// is refused, and one made against another origin unless
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
    /// empty lists). Nothing is kept per record for a report, so a first sync of a million
    /// records holds their keys and fingerprints, not their text. Against a `previous` (a
    /// re-baseline) the counts compare with it; a matched record counts as changed when its
    /// fingerprint differs (its values are not compared).
    pub fn baseline(
        previous: Option<Vec<u8>>,
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
    ) -> Result<SyncStream> {
        let mode = SyncMode {
            counts_only: true,
            ..SyncMode::default()
        };
        Self::with_mode(previous, options, store, source, mode)
    }

    /// Starts a sync in `mode`: [`SyncStream::new`] and [`SyncStream::baseline`] are its two
    /// common cases.
    pub fn with_mode(
        previous: Option<Vec<u8>>,
        options: DiffOptions,
        store: SnapshotStore,
        source: SyncSource<'_>,
        mode: SyncMode,
    ) -> Result<SyncStream> {
        let counts_only = mode.counts_only;
        options.validate()?;
        if source.origin.is_some_and(|o| !source::is_origin(o)) {
            // Not shown: it may hold a credential.
            return Err(RecordsError::option(
                "origin",
                "must be scheme://host[:port] (no user-info, path or query)",
            ));
        }
        let mut previous = previous.map(StoredSnapshot::read).transpose()?;
        // Room for the whole new snapshot, unless it is taken piece by piece.
        let capacity = match &previous {
            Some(p) if !mode.snapshot_in_pieces => p.text_len() + p.text_len() / 8,
            _ => 0,
        };
        let mut index = HashMap::default();
        if let Some(p) = &mut previous {
            p.check(&options, &source)?;
            if counts_only {
                p.forget_values();
            }
        }
        if let Some(p) = previous.as_ref().filter(|_| !counts_only) {
            // Which records may be reported is decided as they arrive (see `push`).
            index.reserve(p.len());
            for i in 0..p.len() {
                let slot = index
                    .entry(p.key(i).into())
                    .or_insert(Slot { first: i, count: 0 });
                slot.count += 1;
            }
        }
        Ok(SyncStream {
            writer: SnapshotWriter::new(&options, store, &source, capacity),
            options,
            previous,
            index,
            keys: String::new(),
            key_spans: Vec::new(),
            fingerprints: Vec::new(),
            kept: HashMap::default(),
            counts_only,
        })
    }

    /// The new snapshot's bytes written since the last call: whole records, so that the
    /// pieces, one after the other and then [`SyncStream::finish`]'s snapshot, are the whole
    /// snapshot (the same bytes as a sync that took none). A caller that writes them out as
    /// pages arrive holds no more of the new snapshot than a page's worth.
    pub fn take_snapshot(&mut self) -> Vec<u8> {
        self.writer.take().into_bytes()
    }

    /// How many records' JSON texts are held for the report (none in a baseline run).
    pub fn kept_len(&self) -> usize {
        self.kept.len()
    }

    /// How many records were pushed.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether no record was pushed.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// Adds the next records, in order.
    pub fn push(&mut self, records: &[TextRecord<'_>]) {
        for r in records {
            let position = self.fingerprints.len();
            let Some(key) = r.key_text(&self.options.key) else {
                self.key_spans.push(None);
                self.fingerprints.push(None);
                self.keep(position, r);
                continue;
            };
            let fp = fingerprint(r, &self.options);
            self.writer.record(&key, fp, r);
            let same_as_before = match (&self.previous, self.index.get(key.as_ref())) {
                (Some(p), Some(s)) => s.count == 1 && p.fingerprint(s.first) == fp,
                _ => false,
            };
            if !same_as_before {
                self.keep(position, r);
            }
            let start = self.keys.len();
            self.keys.push_str(&key);
            self.key_spans.push(Some(start..self.keys.len()));
            self.fingerprints.push(Some(fp));
        }
    }

    fn keep(&mut self, position: usize, r: &TextRecord<'_>) {
        if self.counts_only {
            return;
        }
        if let Ok(text) = serde_json::to_string(r) {
            self.kept.insert(position, text);
        }
    }

    /// Adds records given each as its JSON object text (as a page's records arrive); returns
    /// how many were added. Refuses anything but objects.
    pub fn push_texts<'t>(&mut self, texts: impl Iterator<Item = &'t str>) -> Result<usize> {
        let mut records = Vec::with_capacity(texts.size_hint().0);
        for text in texts {
            records.push(
                parse_text_record(text).map_err(|e| RecordsError::InvalidOption {
                    option: "records",
                    reason: format!("must be record objects: {e}"),
                })?,
            );
        }
        self.push(&records);
        Ok(records.len())
    }

    /// Adds the records of a JSON array text; returns how many were added. Refuses anything
    /// but an array of objects.
    pub fn push_json(&mut self, json: &str) -> Result<usize> {
        let records = parse_text_records(json).map_err(|e| RecordsError::InvalidOption {
            option: "records",
            reason: format!("must be an array of record objects: {e}"),
        })?;
        self.push(&records);
        Ok(records.len())
    }

    /// The changes since the previous snapshot, and the new snapshot's bytes.
    pub fn finish(self) -> Result<(Diff<'static>, Vec<u8>)> {
        self.finish_counted()
            .map(|(diff, _, snapshot)| (diff, snapshot))
    }

    /// [`SyncStream::finish`] with the counts of each kind of change. In a baseline run the
    /// counts are the whole report: the changes' lists are empty (`unchanged` is counted).
    pub fn finish_counted(self) -> Result<(Diff<'static>, SyncCounts, Vec<u8>)> {
        let keys: Vec<Option<Cow<'_, str>>> = self
            .key_spans
            .iter()
            .map(|s| s.clone().map(|s| Cow::Borrowed(&self.keys[s])))
            .collect();
        if self.counts_only {
            let counts = match &self.previous {
                Some(p) => count(p, &keys, &self.fingerprints),
                None => count(&Snapshot::empty(&self.options), &keys, &self.fingerprints),
            };
            let diff = Diff {
                unchanged: counts.unchanged,
                ..Diff::default()
            };
            return Ok((diff, counts, self.writer.finish()));
        }
        let kept = &self.kept;
        let current = Current {
            keys: &keys,
            fingerprints: &self.fingerprints,
            record: |i: usize| -> Result<Cow<'static, Record>> {
                kept.get(&i)
                    .and_then(|text| serde_json::from_str::<Record>(text).ok())
                    .map(Cow::Owned)
                    .ok_or_else(|| {
                        RecordsError::InvalidSnapshot(format!("record {i} was not kept"))
                    })
            },
        };
        let diff = match &self.previous {
            Some(p) => compare(p, current, &self.options)?,
            None => compare(&Snapshot::empty(&self.options), current, &self.options)?,
        };
        let counts = SyncCounts::from(&diff);
        Ok((diff, counts, self.writer.finish()))
    }
}
