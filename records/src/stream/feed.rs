//! Reading a stored snapshot piece by piece into a [`PreviousIndex`], so that a snapshot of
//! any size is read with only its index in memory.
//!
//! A version-2 snapshot as the streaming sync writes it has one record per line: the header
//! ends its first line with `"records":[`, each record is a line, and the last line starts
//! with `]` and holds `fields`, `count` and `checksum`. Such a snapshot is read a line at a
//! time. Anything else (version 1, or a version 2 reformatted by hand or a tool) is
//! gathered whole and read as before: it holds its bytes until the index is built.

use super::checksum::Checksum;
use super::index::PreviousIndex;
use super::previous::{EntrySeed, StoredSnapshot};
use super::source::is_origin;
use super::writer::final_checksum;
use crate::diff::DiffOptions;
use crate::error::{RecordsError, Result};
use crate::snapshot::{SnapshotStore, SNAPSHOT_VERSION};
use serde::de::DeserializeSeed;
use serde::Deserialize;
use std::borrow::Cow;

const RECORDS_OPEN: &str = "\"records\":[";

fn bad(why: impl Into<String>) -> RecordsError {
    RecordsError::InvalidSnapshot(why.into())
}

/// The members before `records`.
#[derive(Deserialize)]
pub(super) struct Header {
    pub version: u64,
    pub key: Option<String>,
    pub loose: Option<bool>,
    #[serde(rename = "ignoreFields")]
    pub ignore_fields: Option<Vec<String>>,
    pub store: Option<SnapshotStore>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
}

/// The members after `records`.
#[derive(Deserialize)]
struct Footer {
    fields: Option<Vec<String>>,
    count: Option<u64>,
    checksum: Option<String>,
}

/// What the header says: the snapshot's options and where it came from.
pub(crate) struct About {
    pub options: DiffOptions,
    pub store: SnapshotStore,
    pub source: Option<String>,
    pub origin: Option<String>,
}

enum Stage {
    /// The first line is being read.
    Header,
    /// Record lines, then the last line.
    Records,
    /// After the last line: only white space may follow.
    Done,
    /// Not line by line: every byte is kept and read at the end.
    Whole(Vec<u8>),
}

/// A snapshot being read.
pub(crate) struct SnapshotFeed {
    stage: Stage,
    /// The start of a line not yet complete.
    partial: Vec<u8>,
    /// Where `partial` starts in the snapshot.
    offset: u64,
    about: Option<About>,
    index: PreviousIndex,
    sum: Checksum,
    count: u64,
    fields: Vec<String>,
    key_scratch: String,
}

/// A read snapshot.
pub(crate) struct ReadSnapshot {
    pub about: About,
    pub index: PreviousIndex,
    pub fields: Vec<String>,
    /// Its bytes, when they had to be read whole (kept: the values are read from them).
    pub held: Option<Vec<u8>>,
}

impl SnapshotFeed {
    pub fn new() -> Self {
        SnapshotFeed {
            stage: Stage::Header,
            partial: Vec::new(),
            offset: 0,
            about: None,
            index: PreviousIndex::new(),
            sum: Checksum::default(),
            count: 0,
            fields: Vec::new(),
            key_scratch: String::new(),
        }
    }

    /// What the header said, once it is read.
    pub fn about(&self) -> Option<&About> {
        self.about.as_ref()
    }

    /// Reads the next bytes of the snapshot.
    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<()> {
        loop {
            if let Stage::Whole(all) = &mut self.stage {
                all.extend_from_slice(chunk);
                return Ok(());
            }
            let Some(nl) = chunk.iter().position(|&b| b == b'\n') else {
                break;
            };
            let at = self.offset;
            let line: Cow<'_, [u8]> = if self.partial.is_empty() {
                Cow::Borrowed(&chunk[..nl])
            } else {
                self.partial.extend_from_slice(&chunk[..nl]);
                Cow::Owned(std::mem::take(&mut self.partial))
            };
            self.line(&line, at)?;
            self.offset = at + line.len() as u64 + 1;
            chunk = &chunk[nl + 1..];
        }
        self.partial.extend_from_slice(chunk);
        if matches!(self.stage, Stage::Header) && self.partial.len() > 1 << 20 {
            // No line break in the first megabyte: not a line-per-record snapshot.
            self.stage = Stage::Whole(std::mem::take(&mut self.partial));
        }
        Ok(())
    }

    fn line(&mut self, line: &[u8], at: u64) -> Result<()> {
        match self.stage {
            Stage::Header => {
                let header = std::str::from_utf8(line).ok().and_then(read_header);
                match header {
                    Some(h) => {
                        self.about = Some(about(h)?);
                        self.stage = Stage::Records;
                    }
                    None => {
                        let mut all = line.to_vec();
                        all.push(b'\n');
                        self.stage = Stage::Whole(all);
                    }
                }
                Ok(())
            }
            Stage::Records => {
                let text = std::str::from_utf8(line).map_err(|e| {
                    bad(format!(
                        "not UTF-8 text (at byte {})",
                        at + e.valid_up_to() as u64
                    ))
                })?;
                if text.starts_with(']') {
                    self.footer(text)?;
                    self.stage = Stage::Done;
                    return Ok(());
                }
                self.record(text, at)
            }
            Stage::Done if line.iter().all(u8::is_ascii_whitespace) => Ok(()),
            Stage::Done => Err(bad("it goes on after its end (two snapshots joined?)")),
            Stage::Whole(_) => unreachable!("a whole snapshot is not read by lines"),
        }
    }

    fn record(&mut self, text: &str, at: u64) -> Result<()> {
        let text = text.strip_suffix(',').unwrap_or(text);
        let index = self.count as usize;
        self.key_scratch.clear();
        let seed = EntrySeed {
            index,
            base: text.as_ptr() as usize,
            keys: &mut self.key_scratch,
            sum: &mut self.sum,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let entry = seed
            .deserialize(&mut de)
            .and_then(|e| de.end().map(|_| e))
            .map_err(|e| bad(format!("line {} (records[{index}]): {e}", index + 2)))?;
        let values = entry.values.map(|v| (at + v.start as u64, v.len() as u32));
        self.index
            .insert(&self.key_scratch, entry.fingerprint, values)
            .map_err(bad)?;
        self.count += 1;
        Ok(())
    }

    fn footer(&mut self, text: &str) -> Result<()> {
        let members = text
            .strip_prefix("],")
            .ok_or_else(|| bad("\"records\" must be followed by \"fields\""))?;
        let footer: Footer = serde_json::from_str(&format!("{{{members}"))
            .map_err(|e| bad(format!("its last line is not the end of a snapshot: {e}")))?;
        self.fields = footer
            .fields
            .ok_or_else(|| bad("\"fields\" must be an array of strings"))?;
        let about = self.about.as_ref().expect("the header is read first");
        let said = footer
            .checksum
            .filter(|h| h.len() == 16)
            .and_then(|h| u64::from_str_radix(&h, 16).ok());
        check_end(
            about,
            &self.sum,
            self.count,
            footer.count,
            &self.fields,
            said,
        )
    }

    /// The snapshot, once every byte was fed.
    pub fn end(mut self) -> Result<ReadSnapshot> {
        if !self.partial.is_empty() {
            let rest = std::mem::take(&mut self.partial);
            match &mut self.stage {
                Stage::Whole(all) => all.extend_from_slice(&rest),
                // A last line without its line break; a record cut off is not one.
                Stage::Records if !rest.starts_with(b"]") => {
                    return Err(bad("it ends too early (a cut-off copy?)"));
                }
                _ => {
                    let at = self.offset;
                    self.line(&rest, at)?;
                }
            }
        }
        match self.stage {
            Stage::Whole(bytes) => {
                let stored = StoredSnapshot::read(bytes)?;
                let mut index = PreviousIndex::new();
                stored.index_into(&mut index)?;
                Ok(ReadSnapshot {
                    about: stored.about,
                    index,
                    fields: stored.fields,
                    held: Some(stored.text.into_bytes()),
                })
            }
            Stage::Done => Ok(ReadSnapshot {
                about: self.about.expect("the header is read first"),
                index: self.index,
                fields: self.fields,
                held: None,
            }),
            Stage::Header if self.offset == 0 => Err(bad("it is empty (is this a sync snapshot?)")),
            _ => Err(bad("it ends too early (a cut-off copy?)")),
        }
    }
}

/// The header line `{…,"records":[` as its members, when it is one.
fn read_header(line: &str) -> Option<Header> {
    let head = line.strip_suffix(RECORDS_OPEN)?;
    let head = head.strip_suffix(',')?;
    if !head.starts_with('{') {
        return None;
    }
    let header: Header = serde_json::from_str(&format!("{head}}}")).ok()?;
    (header.version == super::STREAM_SNAPSHOT_VERSION).then_some(header)
}

/// What a snapshot's header says, checked (a version 1 snapshot stores values: it has no
/// `store`).
pub(super) fn about(h: Header) -> Result<About> {
    let key = h
        .key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| bad("\"key\" must be a non-empty string"))?;
    let loose = h
        .loose
        .ok_or_else(|| bad("\"loose\" must be true or false"))?;
    let ignore_fields = h
        .ignore_fields
        .ok_or_else(|| bad("\"ignoreFields\" must be an array of strings"))?;
    let store = match h.store {
        Some(store) => store,
        None if h.version == SNAPSHOT_VERSION => SnapshotStore::Values,
        None => return Err(bad("\"store\" is missing")),
    };
    if h.origin.as_deref().is_some_and(|o| !is_origin(o)) {
        return Err(bad("\"origin\" must be scheme://host[:port] or null"));
    }
    Ok(About {
        options: DiffOptions {
            key,
            loose,
            ignore_fields,
        },
        store,
        source: h.source,
        origin: h.origin,
    })
}

/// The end of a version 2 snapshot: the count it says (`said_count`) and its checksum
/// (`said_sum`) against the `count` records read, mixed into `sum`, and its `fields`.
pub(super) fn check_end(
    about: &About,
    sum: &Checksum,
    count: u64,
    said_count: Option<u64>,
    fields: &[String],
    said_sum: Option<u64>,
) -> Result<()> {
    if said_count != Some(count) {
        return Err(bad(format!(
            "it holds {count} records but says {} (a damaged copy?)",
            said_count.map_or("nothing".to_string(), |c| c.to_string())
        )));
    }
    let expected = final_checksum(
        &about.options,
        about.store,
        about.source.as_deref(),
        about.origin.as_deref(),
        sum,
        count,
        fields,
    );
    if said_sum != Some(expected) {
        return Err(bad(
            "its checksum does not match its contents: it was damaged or edited",
        ));
    }
    Ok(())
}
