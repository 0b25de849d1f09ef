//! The changes of a streaming sync as they are found, and those waiting for their values
//! from the previous snapshot (a changed record's fields are compared with them; a removed
//! record is rebuilt from them).

use super::feed::ReadSnapshot;
use super::index::PreviousIndex;
use crate::diff::{field_changes, Anonymized, Changed, Diff, DiffOptions, RecordRef};
use crate::error::{RecordsError, Result};
use crate::Record;
use serde_json::Value;
use std::borrow::Cow;

/// Two spans closer than this are read as one.
const GAP: u64 = 64 * 1024;
/// While pages are read, the previous values are asked for once this many changes wait for
/// them, or this many changes are held for their order (each read of a snapshot on disk is a
/// round trip: asking after every page made a steady night wait ~1 s per million customers).
const WAITING_BATCH: usize = 32;
const HELD_BATCH: usize = 2048;

/// One change, as a streaming sync hands it out.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A record whose key the previous snapshot does not have.
    Added(RecordRef<'static>),
    /// A matched record whose compared fields differ.
    Changed(Changed<'static>),
    /// A record of the previous snapshot whose key was not read.
    Removed(RecordRef<'static>),
    /// A record with an empty key.
    Anonymized(Anonymized<'static>),
}

impl Change {
    /// Adds it to the list of its kind.
    pub fn into_diff(self, diff: &mut Diff<'static>) {
        match self {
            Change::Added(r) => diff.added.push(r),
            Change::Changed(c) => diff.changed.push(c),
            Change::Removed(r) => diff.removed.push(r),
            Change::Anonymized(a) => diff.anonymized.push(a),
        }
    }
}

enum Slot {
    Ready(Change),
    /// A matched record whose fingerprint differs: `entry`'s values are needed.
    Changed {
        entry: u32,
        after: Record,
    },
    /// A removed record: `entry`'s values are needed.
    Removed {
        entry: u32,
    },
    /// Equal after all (fingerprints differ, no compared field does).
    Dropped,
}

/// The spans of the previous snapshot asked for, and where each waiting record's values are
/// in their bytes.
pub(crate) struct Spans {
    spans: Vec<(u64, u64)>,
    /// (slot, offset in the spans' bytes one after the other, length).
    places: Vec<(usize, usize, usize)>,
    total: usize,
}

impl Spans {
    pub fn list(&self) -> Vec<(u64, u64)> {
        self.spans.clone()
    }

    /// The spans' bytes out of the whole snapshot.
    pub fn gather(&self, held: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.total);
        for &(s, e) in &self.spans {
            let part = held.get(s as usize..e as usize).ok_or_else(|| {
                RecordsError::InvalidSnapshot("a record's values are out of its bytes".into())
            })?;
            out.extend_from_slice(part);
        }
        Ok(out)
    }
}

/// Changes in the order found; some wait for values.
#[derive(Default)]
pub(crate) struct Pending {
    slots: Vec<Slot>,
    waiting: usize,
    /// The spans last asked for and not yet supplied.
    pub asked: Option<Spans>,
}

impl Pending {
    pub fn ready(&mut self, change: Change) {
        self.slots.push(Slot::Ready(change));
    }

    pub fn changed(&mut self, entry: u32, after: Record) {
        self.slots.push(Slot::Changed { entry, after });
        self.waiting += 1;
    }

    pub fn removed(&mut self, entry: u32) {
        self.slots.push(Slot::Removed { entry });
        self.waiting += 1;
    }

    /// How many changes wait for values.
    pub fn waiting(&self) -> usize {
        self.waiting
    }

    /// Whether enough changes wait, or are held, to ask for the values now rather than after
    /// the next page.
    pub fn batch_full(&self) -> bool {
        self.waiting >= WAITING_BATCH || self.slots.len() >= HELD_BATCH
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Every change, once none waits (else nothing: the order is kept).
    pub fn drain_ready(&mut self) -> Vec<Change> {
        if self.waiting > 0 {
            return Vec::new();
        }
        self.slots
            .drain(..)
            .filter_map(|s| match s {
                Slot::Ready(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    /// Where the waiting records' values are: nearby spans merged, in snapshot order.
    pub fn spans(&self, index: &PreviousIndex) -> Spans {
        let mut wanted: Vec<(u64, u64, usize)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Slot::Changed { entry, .. } | Slot::Removed { entry } => {
                    let e = index.entry(*entry);
                    Some((e.values_at, e.values_at + u64::from(e.values_len), i))
                }
                _ => None,
            })
            .collect();
        wanted.sort_unstable();
        let mut spans: Vec<(u64, u64)> = Vec::new();
        let mut places = Vec::with_capacity(wanted.len());
        let mut total = 0usize;
        for (s, e, slot) in wanted {
            match spans.last_mut() {
                Some(last) if s <= last.1 + GAP => {
                    if e > last.1 {
                        total += (e - last.1) as usize;
                        last.1 = e;
                    }
                }
                _ => {
                    spans.push((s, e));
                    total += (e - s) as usize;
                }
            }
            let last = spans.last().expect("just pushed");
            let offset = total - (last.1 - s) as usize;
            places.push((slot, offset, (e - s) as usize));
        }
        Spans {
            spans,
            places,
            total,
        }
    }

    /// Completes the waiting changes with `bytes` (the spans' bytes one after the other).
    /// Gives, per completed change, `Some(true)` changed, `Some(false)` equal after all,
    /// `None` removed.
    pub fn resolve(
        &mut self,
        spans: &Spans,
        bytes: &[u8],
        previous: &ReadSnapshot,
        options: &DiffOptions,
    ) -> Result<Vec<Option<bool>>> {
        if bytes.len() != spans.total {
            return Err(RecordsError::InvalidSnapshot(format!(
                "{} bytes of it were asked for, {} came (did it change while it was read?)",
                spans.total,
                bytes.len()
            )));
        }
        let mut out = Vec::with_capacity(spans.places.len());
        for &(slot, offset, len) in &spans.places {
            let text = &bytes[offset..offset + len];
            let slot = &mut self.slots[slot];
            let entry = match slot {
                Slot::Changed { entry, .. } | Slot::Removed { entry } => *entry,
                _ => continue,
            };
            let before = rebuild(previous, entry, text)?;
            let key = previous.index.key(entry).to_string();
            let done = match std::mem::replace(slot, Slot::Dropped) {
                Slot::Changed { after, .. } => {
                    let fields = field_changes(&before, &after, options);
                    if fields.is_empty() {
                        out.push(Some(false));
                        Slot::Dropped
                    } else {
                        out.push(Some(true));
                        Slot::Ready(Change::Changed(Changed {
                            key,
                            before: Cow::Owned(before),
                            after: Cow::Owned(after),
                            fields,
                        }))
                    }
                }
                _ => {
                    out.push(None);
                    Slot::Ready(Change::Removed(Cow::Owned(before)))
                }
            };
            *slot = done;
            self.waiting -= 1;
        }
        Ok(out)
    }
}

/// A previous record rebuilt from its values' text.
fn rebuild(previous: &ReadSnapshot, entry: u32, text: &[u8]) -> Result<Record> {
    let values: Vec<Value> = serde_json::from_slice(text).map_err(|_| {
        RecordsError::InvalidSnapshot(format!(
            "the values of {} are not a JSON array (did it change while it was read?)",
            crate::error::quote(previous.index.key(entry))
        ))
    })?;
    let fields = &previous.fields;
    if values.len() > fields.len() {
        return Err(RecordsError::InvalidSnapshot(format!(
            "a record has {} values for {} fields",
            values.len(),
            fields.len()
        )));
    }
    Ok(fields
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.is_null())
        .map(|(f, v)| (f.clone(), v))
        .collect())
}
