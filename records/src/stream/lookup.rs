//! A streaming sync's second half: the previous snapshot's values of the records that need
//! them — a changed record's (to compare fields) and a removed one's (to report it) — asked
//! for by byte span, or read from the snapshot's bytes when the sync holds them; and the
//! removed records, looked up in batches once every page is read.

use super::changes::{Change, Spans};
use super::SyncStream;
use crate::error::{RecordsError, Result};
use std::borrow::Cow;

/// How many removed records are looked up at a time once every page is read.
const REMOVED_BATCH: usize = 1024;

impl SyncStream {
    /// Every page is read: what is left are the removed records (and, in a baseline run,
    /// only their count).
    pub fn end_pages(&mut self) -> Result<()> {
        self.started()?;
        if self.removal.is_some() {
            return Ok(());
        }
        self.removal = Some(0);
        if self.counts_only {
            if let Some(p) = &self.previous {
                let n = p.index.len() as u32;
                self.counts.removed = (0..n).filter(|&i| p.index.entry(i).seen == 0).count();
            }
            self.removal = Some(u32::MAX);
        }
        Ok(())
    }

    /// The byte spans of the previous snapshot the sync needs next, as `[start, end)` pairs
    /// in the order [`SyncStream::supply`] takes them; an empty list when nothing is needed
    /// now (the changes found so far are then complete: [`SyncStream::take_changes`]); `None`
    /// when nothing more is asked for now. While pages are read the values are asked for in
    /// batches (32 changes waiting, or 2,048 held for their order), so changes found may
    /// wait for a later page. Once every page is read, each call looks up the next removed
    /// records: call until it gives `None`.
    pub fn wanted(&mut self) -> Result<Option<Vec<(u64, u64)>>> {
        if self.pending.waiting() == 0 {
            self.ready.extend(self.pending.drain_ready());
            if !self.next_removed() {
                return Ok(None);
            }
        } else if self.removal.is_none() && !self.pending.batch_full() {
            // Pages are still read: the values are asked for in batches (see `changes.rs`).
            return Ok(None);
        }
        let Some(previous) = &self.previous else {
            return Ok(Some(Vec::new()));
        };
        let spans = self.pending.spans(&previous.index);
        if let Some(held) = &previous.held {
            let bytes = spans.gather(held)?;
            self.supply_spans(&spans, &bytes)?;
            return Ok(Some(Vec::new()));
        }
        let out = spans.list();
        self.pending.asked = Some(spans);
        Ok(Some(out))
    }

    /// The bytes of the spans [`SyncStream::wanted`] named, one after the other.
    pub fn supply(&mut self, bytes: &[u8]) -> Result<()> {
        let spans = self.pending.asked.take().ok_or_else(|| {
            RecordsError::option("previous", "bytes supplied that were not asked for")
        })?;
        self.supply_spans(&spans, bytes)
    }

    fn supply_spans(&mut self, spans: &Spans, bytes: &[u8]) -> Result<()> {
        let previous = self.previous.as_ref().expect("spans come from it");
        let done = self
            .pending
            .resolve(spans, bytes, previous, &self.options)?;
        for change in &done {
            match change {
                Some(true) => self.counts.changed += 1,
                Some(false) => self.counts.unchanged += 1,
                None => {}
            }
        }
        self.ready.extend(self.pending.drain_ready());
        Ok(())
    }

    /// Queues the next removed records; `false` when there are none left (or the pages are
    /// still being read).
    fn next_removed(&mut self) -> bool {
        let Some(at) = self.removal else {
            return false;
        };
        let Some(previous) = &self.previous else {
            return false;
        };
        let n = previous.index.len() as u32;
        let mut i = at;
        let mut queued = 0;
        while i < n && queued < REMOVED_BATCH {
            let e = previous.index.entry(i);
            if e.seen == 0 {
                self.counts.removed += 1;
                if e.values_len > 0 {
                    self.pending.removed(i);
                } else {
                    let key = previous.index.key(i).to_string();
                    let record = self.key_only(&key);
                    self.pending.ready(Change::Removed(Cow::Owned(record)));
                }
                queued += 1;
            }
            i += 1;
        }
        self.removal = Some(i);
        queued > 0
    }
}
