//! Writing a snapshot (format version 2) record by record, straight to its JSON text.

use super::checksum::Checksum;
use super::source::SyncSource;
use crate::diff::{DiffOptions, Fields};
use crate::same_text::same_text;
use crate::snapshot::SnapshotStore;
use crate::text_record::TextRecord;
use std::collections::HashSet;

/// Appends `s` as a JSON string.
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// The checksum over a snapshot's options, source, origin, records and fields. An unknown
/// origin (`null`, or no member: a snapshot written before it existed) adds nothing, so those
/// older snapshots keep their checksum.
pub(crate) fn final_checksum(
    options: &DiffOptions,
    store: SnapshotStore,
    source: Option<&str>,
    origin: Option<&str>,
    records: &Checksum,
    count: u64,
    fields: &[String],
) -> u64 {
    let mut sum = Checksum::default();
    sum.add(options.key.as_bytes());
    sum.add_u64(u64::from(options.loose));
    for f in &options.ignore_fields {
        sum.add(f.as_bytes());
    }
    sum.add_u64(u64::from(store == SnapshotStore::Values));
    sum.add(source.unwrap_or("").as_bytes());
    sum.add_u64(u64::from(source.is_some()));
    if let Some(origin) = origin {
        sum.add(origin.as_bytes());
    }
    sum.add_u64(records.value());
    sum.add_u64(count);
    for f in fields {
        sum.add(f.as_bytes());
    }
    sum.value()
}

/// A snapshot being written: the header at once, then one line per record, then the fields
/// (known only at the end) and the checksum.
pub(crate) struct SnapshotWriter {
    out: String,
    options: DiffOptions,
    store: SnapshotStore,
    source: Option<String>,
    origin: Option<String>,
    fields: Vec<String>,
    known: HashSet<String>,
    sum: Checksum,
    count: u64,
}

impl SnapshotWriter {
    /// Starts a snapshot of `source`'s read and origin.
    pub fn new(options: &DiffOptions, store: SnapshotStore, source: &SyncSource<'_>) -> Self {
        let mut out = String::with_capacity(256);
        out.push_str("{\"version\":2,\"key\":");
        push_json_string(&mut out, &options.key);
        out.push_str(if options.loose {
            ",\"loose\":true"
        } else {
            ",\"loose\":false"
        });
        out.push_str(",\"ignoreFields\":[");
        for (i, f) in options.ignore_fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(&mut out, f);
        }
        out.push_str("],\"store\":");
        out.push_str(match store {
            SnapshotStore::Values => "\"values\"",
            SnapshotStore::Fingerprints => "\"fingerprints\"",
        });
        let mut nullable = |name: &str, value: Option<&str>| {
            out.push_str(name);
            match value {
                Some(s) => push_json_string(&mut out, s),
                None => out.push_str("null"),
            }
        };
        nullable(",\"source\":", source.read);
        nullable(",\"origin\":", source.origin);
        out.push_str(",\"records\":[");
        SnapshotWriter {
            out,
            options: options.clone(),
            store,
            source: source.read.map(str::to_string),
            origin: source.origin.map(str::to_string),
            fields: Vec::new(),
            known: HashSet::new(),
            sum: Checksum::default(),
            count: 0,
        }
    }

    /// Appends a record with a non-empty key.
    pub fn record(&mut self, key: &str, fingerprint: u64, r: &TextRecord<'_>) {
        if self.count > 0 {
            self.out.push(',');
        }
        self.count += 1;
        self.out.push_str("\n[");
        push_json_string(&mut self.out, key);
        self.out.push_str(",\"");
        for shift in (0..16).rev() {
            let digit = (fingerprint >> (shift * 4)) & 0xf;
            self.out
                .push(char::from(b"0123456789abcdef"[digit as usize]));
        }
        self.out.push('"');
        self.sum.add(key.as_bytes());
        self.sum.add_u64(fingerprint);
        if self.store == SnapshotStore::Values {
            self.out.push(',');
            let start = self.out.len();
            self.values(r);
            self.sum.add(&self.out.as_bytes()[start..]);
        }
        self.out.push(']');
    }

    /// The record's values in `fields` order, `null` for missing, trailing `null`s cut (the
    /// same list as [`crate::Snapshot`] stores, written as the input's JSON text).
    fn values(&mut self, r: &TextRecord<'_>) {
        let o = &self.options;
        // Every compared field, in first-seen order (a field first seen later goes last, so
        // the values written before stay in place: their missing tail is `null`).
        let compared = || r.iter().filter(|(f, _)| !o.ignored(f));
        let mut aligned = true;
        for (i, (f, _)) in compared().enumerate() {
            if !self.fields.get(i).is_some_and(|known| same_text(known, f)) {
                aligned = false;
                if !self.known.contains(f) {
                    self.known.insert(f.to_string());
                    self.fields.push(f.to_string());
                }
            }
        }
        let out = &mut self.out;
        let open = out.len();
        out.push('[');
        let mut end = out.len();
        let mut put = |text: Option<&str>| {
            if out.len() > open + 1 {
                out.push(',');
            }
            match text {
                Some(t) if t != "null" => {
                    out.push_str(t);
                    end = out.len();
                }
                _ => out.push_str("null"),
            }
        };
        if aligned {
            compared().for_each(|(_, v)| put(Some(v)));
        } else {
            for f in &self.fields {
                put(r.field(f));
            }
        }
        out.truncate(end);
        out.push(']');
    }

    /// The text written since the last call (or the start): whole records only, so that the
    /// pieces, one after the other and then [`SnapshotWriter::finish`]'s, are the snapshot.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Closes the snapshot: its bytes (those not yet taken).
    pub fn finish(mut self) -> Vec<u8> {
        let sum = final_checksum(
            &self.options,
            self.store,
            self.source.as_deref(),
            self.origin.as_deref(),
            &self.sum,
            self.count,
            &self.fields,
        );
        let out = &mut self.out;
        out.push_str("\n],\"fields\":[");
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(out, f);
        }
        out.push_str(&format!(
            "],\"count\":{},\"checksum\":\"{sum:016x}\"}}\n",
            self.count
        ));
        self.out.into_bytes()
    }
}
