//! The CRM's update files written by the streaming sync as it finds the changes
//! (`pager.sync(previous, { updates })`): a [`UpdateWriter`] fed each change `RawSync`
//! takes, its three files handed to JS in pieces.

use crate::errors::records_error;
use crate::helpers::UpdateSetup;
use cube_records::diff::DuplicateKey;
use cube_records::mapping::{UpdatePieces, UpdateWriter};
use cube_records::stream::Change;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// The update files of one sync.
pub(crate) struct SyncUpdates {
    writer: UpdateWriter,
}

/// `{updates, created, removed}` as byte arrays.
fn pieces_object(pieces: &UpdatePieces) -> Object {
    let o = Object::new();
    for (k, bytes) in [
        ("updates", &pieces.updates),
        ("created", &pieces.created),
        ("removed", &pieces.removed),
    ] {
        let _ = Reflect::set(&o, &k.into(), &Uint8Array::from(bytes.as_slice()).into());
    }
    o
}

impl SyncUpdates {
    /// Reads and checks `updateFile`'s options (JSON text): the mapping, format, custom
    /// fields and the CRM's records; the files' headers are written here.
    pub fn start(options: &str) -> Result<SyncUpdates, JsValue> {
        let u = UpdateSetup::read("sync", options)?;
        let writer = UpdateWriter::new(
            &u.mapping,
            &u.options,
            u.labels.as_ref(),
            u.crm_records.as_deref(),
        )
        .map_err(records_error)?;
        Ok(SyncUpdates { writer })
    }

    /// Writes the changes a sync took.
    pub fn write(&mut self, changes: &[Change]) -> Result<(), JsValue> {
        for c in changes {
            let written = match c {
                Change::Added(r) => self.writer.added(r),
                Change::Changed(c) => self.writer.changed(&c.key, &c.before, &c.after, &c.fields),
                Change::Removed(r) => self.writer.removed(r),
                Change::Anonymized(_) => {
                    self.writer.anonymized();
                    Ok(())
                }
            };
            written.map_err(records_error)?;
        }
        Ok(())
    }

    /// The files' bytes written since the last call: `{updates, created, removed}`.
    pub fn take(&mut self) -> JsValue {
        pieces_object(&self.writer.take()).into()
    }

    /// Ends the files: `{updates, created, removed, summary}`, the last bytes and the
    /// summary as JSON text.
    pub fn finish(self, duplicate_keys: &[DuplicateKey]) -> Result<JsValue, JsValue> {
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<String> = duplicate_keys
            .iter()
            .filter(|d| seen.insert(d.key.as_str()))
            .map(|d| d.key.clone())
            .collect();
        let (pieces, summary) = self.writer.finish(keys).map_err(records_error)?;
        let o = pieces_object(&pieces);
        // A summary of strings and numbers always serializes.
        let summary = serde_json::to_string(&summary).expect("the summary serializes");
        let _ = Reflect::set(&o, &"summary".into(), &summary.into());
        Ok(o.into())
    }
}
