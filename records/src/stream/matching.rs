//! A streaming sync's first half: each record read is matched by key against the previous
//! snapshot's index and written to the new snapshot; a change is queued as found (a changed
//! record waits for its old values: see `lookup.rs`).

use super::changes::Change;
use super::SyncStream;
use crate::checked_record::read_checked_record;
use crate::diff::{Anonymized, Changed, Fields, Side};
use crate::error::{RecordsError, Result};
use crate::snapshot::fingerprint;
use crate::text_record::{parse_text_record, parse_text_records, TextRecord};
use crate::Record;
use serde_json::Value;
use std::borrow::Cow;

impl SyncStream {
    /// Adds the next records, in order.
    pub fn push(&mut self, records: &[TextRecord<'_>]) -> Result<()> {
        self.started()?;
        if self.removal.is_some() {
            return Err(RecordsError::option(
                "records",
                "pushed after the last page",
            ));
        }
        for r in records {
            self.one(r);
        }
        Ok(())
    }

    fn one(&mut self, r: &TextRecord<'_>) {
        let position = self.pushed;
        self.pushed += 1;
        let report = !self.counts_only;
        let Some(key) = r.key_text(&self.options.key) else {
            self.counts.anonymized += 1;
            if report {
                self.pending.ready(Change::Anonymized(Anonymized {
                    side: Side::After,
                    index: position,
                    record: Cow::Owned(r.as_record().into_owned()),
                }));
            }
            return;
        };
        let fp = fingerprint(r, &self.options);
        let found = self
            .previous
            .as_ref()
            .and_then(|p| p.index.find_from(&key, self.guess));
        let Some(i) = found else {
            if !self.added_keys.insert(&key) {
                self.duplicate(&key);
                return;
            }
            self.writer.record(&key, fp, r);
            self.counts.added += 1;
            if report {
                self.pending
                    .ready(Change::Added(Cow::Owned(r.as_record().into_owned())));
            }
            return;
        };
        let previous = self.previous.as_mut().expect("found in it");
        let entry = previous.index.entry_mut(i);
        if entry.seen > 0 {
            self.duplicate(&key);
            return;
        }
        entry.seen = 1;
        self.guess = i.wrapping_add(1);
        let (before_fp, has_values) = (entry.fingerprint, entry.values_len > 0);
        self.writer.record(&key, fp, r);
        if before_fp == fp {
            self.counts.unchanged += 1;
        } else if !report {
            self.counts.changed += 1;
        } else if !has_values {
            // A snapshot of fingerprints: the record changed, which fields is unknown.
            self.counts.changed += 1;
            self.pending.ready(Change::Changed(Changed {
                key: key.to_string(),
                before: Cow::Owned(self.key_only(&key)),
                after: Cow::Owned(r.as_record().into_owned()),
                fields: Vec::new(),
            }));
        } else {
            self.pending.changed(i, r.as_record().into_owned());
        }
    }

    pub(super) fn key_only(&self, key: &str) -> Record {
        let mut out = Record::new();
        out.insert(self.options.key.clone(), Value::String(key.to_string()));
        out
    }

    /// A key read again: the record is left out (the first one with the key stays).
    fn duplicate(&mut self, key: &str) {
        if self.after_duplicates.again(key) {
            self.counts.duplicate_keys += 1;
        }
    }

    /// Adds records given each as its JSON object text (as a page's records arrive); returns
    /// how many were added. Refuses anything but objects.
    pub fn push_texts<'t>(&mut self, texts: impl Iterator<Item = &'t str>) -> Result<usize> {
        self.push_read(texts, parse_text_record)
    }

    /// [`Self::push_texts`] for texts already checked to be JSON objects (a page reader that
    /// checked the whole page in one pass): each record is split into its fields without
    /// checking its grammar again. Give it only checked text.
    pub fn push_checked_texts<'t>(
        &mut self,
        texts: impl Iterator<Item = &'t str>,
    ) -> Result<usize> {
        self.push_read(texts, read_checked_record)
    }

    fn push_read<'t>(
        &mut self,
        texts: impl Iterator<Item = &'t str>,
        read: fn(&'t str) -> serde_json::Result<TextRecord<'t>>,
    ) -> Result<usize> {
        let mut records = Vec::with_capacity(texts.size_hint().0);
        for text in texts {
            records.push(read(text).map_err(|e| RecordsError::InvalidOption {
                option: "records",
                reason: format!("must be record objects: {e}"),
            })?);
        }
        self.push(&records)?;
        Ok(records.len())
    }

    /// Adds the records of a JSON array text; returns how many were added. Refuses anything
    /// but an array of objects.
    pub fn push_json(&mut self, json: &str) -> Result<usize> {
        let records = parse_text_records(json).map_err(|e| RecordsError::InvalidOption {
            option: "records",
            reason: format!("must be an array of record objects: {e}"),
        })?;
        self.push(&records)?;
        Ok(records.len())
    }
}
