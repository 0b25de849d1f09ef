//! `RawSync`: the streaming sync for JS. It lives in the records module and reads the pages
//! itself (same transport, retries and rules as a list read), handing each page's JSON text
//! to the sync engine; only progress and, at the end, the changes cross into JS.
//!
//! A page is read by the async `next()` and pushed into the engine by the synchronous
//! `push()`: the engine's allocations, the large ones, then run in a call from JS, where a
//! trap (memory exhausted) reaches the caller, and not in the futures queue's microtask, where
//! it would be an uncaught exception and leave the `next()` promise unsettled.

use crate::errors::{invalid, records_error, sync_error};
use crate::options;
use crate::sync_updates::SyncUpdates;
use cube_integration::errors::{quote_json, CubeError, ErrorCode};
use cube_integration::js::{list_spec, progress, session};
use cube_integration::transport::{CallSignal, Page, PageStream, PageText, TextPages};
use cube_records::diff::{Anonymized, Changed, DuplicateKey, RecordRef};
use cube_records::stream::Change;
use cube_records::{
    ChangeSheetOptions, Diff, DiffOptions, RecordsError, ReportFormat, ReportWriter, SnapshotStore,
    SyncCounts, SyncMode, SyncSource, SyncStream,
};
use js_sys::{Object, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The options of `Pager.sync()`; anything else is refused by name.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SyncOptions {
    key: Option<serde_json::Value>,
    loose: Option<serde_json::Value>,
    ignore_fields: Option<serde_json::Value>,
    store: Option<serde_json::Value>,
    allow_other_origin: Option<serde_json::Value>,
    baseline: Option<serde_json::Value>,
}

/// The options read and checked.
struct Parsed {
    diff: DiffOptions,
    store: SnapshotStore,
    /// `previous` may come from another origin (the same Cube under another name).
    allow_other_origin: bool,
    /// A baseline run: the snapshot as usual, the changes as counts only.
    baseline: bool,
}

/// The field that matches records when the options name none: `customer_id` for the legacy
/// lists, whose records carry no `crm__customer_id` (with that key every record would read as
/// anonymized and nothing would be kept), `crm__customer_id` for every other list.
fn default_key(method: &str) -> Option<&'static str> {
    match method {
        "legacyCustomers" | "legacyResponses" => Some("customer_id"),
        _ => None,
    }
}

fn parse_options(json: &str, default_key: Option<&str>) -> Result<Parsed, JsValue> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    if !value.is_object() {
        return Err(invalid(
            "options",
            "sync(): options must be an object such as { ignoreFields: [...] }".into(),
        ));
    }
    let o: SyncOptions = serde_json::from_value(value)
        .map_err(|e| options::refusal("sync", e, options::Extra::None))?;
    Ok(Parsed {
        diff: diff_options(&o, default_key)?,
        store: match &o.store {
            None | Some(serde_json::Value::Null) => SnapshotStore::Values,
            Some(v) => v
                .as_str()
                .and_then(SnapshotStore::from_name)
                .ok_or_else(|| wrong("store", "\"values\" or \"fingerprints\"", v))?,
        },
        allow_other_origin: flag("allowOtherOrigin", &o.allow_other_origin)?.unwrap_or(false),
        baseline: flag("baseline", &o.baseline)?.unwrap_or(false),
    })
}

/// The options that decide what differs: `key` (`default_key` when not given), `loose`,
/// `ignoreFields`.
fn diff_options(o: &SyncOptions, default_key: Option<&str>) -> Result<DiffOptions, JsValue> {
    let mut diff = DiffOptions::default();
    if let Some(key) = default_key {
        diff.key = key.to_string();
    }
    match &o.key {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(k)) => diff.key = k.clone(),
        Some(other) => return Err(wrong("key", "a field name", other)),
    }
    if let Some(loose) = flag("loose", &o.loose)? {
        diff.loose = loose;
    }
    match &o.ignore_fields {
        None | Some(serde_json::Value::Null) => {}
        Some(v) => {
            diff.ignore_fields = serde_json::from_value(v.clone())
                .map_err(|_| wrong("ignoreFields", "an array of field names", v))?
        }
    }
    Ok(diff)
}

/// A `true`/`false` option: `None` when not given (or `null`).
fn flag(name: &str, value: &Option<serde_json::Value>) -> Result<Option<bool>, JsValue> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(wrong(name, "true or false", other)),
    }
}

/// The error of an option `name` given as something other than `want`.
fn wrong(name: &str, want: &str, got: &serde_json::Value) -> JsValue {
    invalid(
        name,
        format!("sync(): {name} must be {want}, got {}", quote_json(got)),
    )
}

/// A whole sync's `changes` as JS gets them (the array `sync()`): the diff's members,
/// `counts`, and `baseline: true` when the lists were left empty on purpose.
#[derive(Serialize)]
pub(crate) struct SyncReport<'d> {
    #[serde(flatten)]
    pub changes: &'d Diff<'static>,
    pub counts: SyncCounts,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baseline: bool,
}

/// What a sync says at its end, besides the changes handed out on the way: the counts,
/// the duplicated keys, `unchanged`, and `baseline: true` for a baseline run.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    duplicate_keys: Vec<DuplicateKey>,
    unchanged: usize,
    counts: SyncCounts,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baseline: bool,
}

/// A batch of changes as JS gets it: the lists of a `changes` object, each in the order found.
#[derive(Serialize)]
struct Batch<'d> {
    added: &'d [RecordRef<'static>],
    removed: &'d [RecordRef<'static>],
    changed: &'d [Changed<'static>],
    anonymized: &'d [Anonymized<'static>],
}

/// The streaming sync for JS. The order of calls (pager.js drives it):
///
/// 1. `new RawSync(…)` checks everything but the previous snapshot;
/// 2. `feedPrevious(bytes)` for each piece of it, then `endPrevious()` (or `noPrevious()`):
///    its options, read and origin are checked before any request;
/// 3. per page: `next()` (reads it), `push()` (compares it), then `wanted()` until it gives
///    `undefined` — each list of byte spans `[start, end, …]` is answered by `supply(bytes)` —
///    and `takeChanges()` / `takeSnapshot()`;
/// 4. `endPages()`, the same `wanted()` loop for the removed records, and `finish()`.
#[wasm_bindgen]
pub struct RawSync {
    stream: PageStream<TextPages>,
    engine: Rc<RefCell<Option<SyncStream>>>,
    /// Pages read into the engine.
    pages: Rc<Cell<u32>>,
    baseline: bool,
    /// The page `next()` read, until `push()` hands it to the engine.
    read: Rc<RefCell<Option<Page<PageText>>>>,
    /// The changes report, written as changes are taken (`startReport`).
    report: RefCell<Option<ReportWriter>>,
    /// The CRM's update files, written as changes are taken (`startUpdates`).
    updates: RefCell<Option<SyncUpdates>>,
    /// The list's method (`customers`, …): only customers have update files.
    method: String,
    /// The sync's key and ignored fields: the report's, unless it names its own.
    diff: DiffOptions,
}

impl RawSync {
    fn with_engine<T>(
        &self,
        f: impl FnOnce(&mut SyncStream) -> Result<T, RecordsError>,
    ) -> Result<T, JsValue> {
        let mut engine = self.engine.borrow_mut();
        let engine = engine
            .as_mut()
            .ok_or_else(|| invalid("sync", "this sync has already finished".into()))?;
        f(engine).map_err(sync_error)
    }
}

#[wasm_bindgen]
impl RawSync {
    /// Checks the client options, list, parameters and options before any request; the
    /// previous snapshot follows (`feedPrevious`), the first page is requested by `next()`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client: JsValue,
        method: &str,
        params: JsValue,
        options: &str,
        signal: JsValue,
    ) -> Result<RawSync, JsValue> {
        let session = Rc::new(session(&client)?);
        let spec = list_spec(method, &params)?;
        if spec.start_page != 1 {
            return Err(invalid(
                "page",
                "sync() reads the whole list: leave out `page` (a sync that starts later would report every earlier record as removed)".into(),
            ));
        }
        let o = parse_options(options, default_key(method))?;
        // The list read and, apart, the origin it is read from (never user-info or the path
        // prefix): a snapshot of another Cube is refused unless the caller says it is the
        // same one under another name (or the sandbox on another port).
        let read = format!("{} {}", spec.http_method, spec.path_and_query);
        let origin = session.config.base.origin();
        let source = SyncSource {
            read: Some(&read),
            origin: Some(&origin),
            allow_other_origin: o.allow_other_origin,
        };
        let mode = SyncMode {
            counts_only: o.baseline,
        };
        let diff = o.diff.clone();
        let engine = SyncStream::start(o.diff, o.store, source, mode).map_err(sync_error)?;
        let stream = PageStream::new(session, &spec, None, CallSignal::from_js(signal));
        Ok(RawSync {
            stream,
            engine: Rc::new(RefCell::new(Some(engine))),
            pages: Rc::new(Cell::new(0)),
            baseline: o.baseline,
            read: Rc::new(RefCell::new(None)),
            report: RefCell::new(None),
            updates: RefCell::new(None),
            method: method.to_string(),
            diff,
        })
    }

    /// Writes the changes report as changes are taken: `format` `xlsx`, `csv` or `ndjson`,
    /// `options` those of `changeSheet` (sheet name, delimiter, BOM, formula guard,
    /// `customFields`; the key and ignored fields default to the sync's); with
    /// `cut_long_cells`, a cell too long for Excel is cut and listed in `finish()`'s
    /// `warnings`, else refused. Checked here, before any request.
    #[wasm_bindgen(js_name = startReport)]
    pub fn start_report(
        &self,
        format: &str,
        options: &str,
        cut_long_cells: bool,
    ) -> Result<(), JsValue> {
        if self.baseline {
            return Err(invalid(
                "report",
                "sync(): a baseline run writes no report: leave out `report` (or `baseline`)"
                    .into(),
            ));
        }
        let format = match format {
            "xlsx" => ReportFormat::Xlsx,
            "csv" => ReportFormat::Csv,
            "ndjson" => ReportFormat::Ndjson,
            other => {
                return Err(invalid(
                    "format",
                    format!(
                        "sync(): report.format must be \"xlsx\", \"csv\" or \"ndjson\", got {}",
                        quote_json(&serde_json::Value::String(other.to_string()))
                    ),
                ))
            }
        };
        let o = options::read::<ChangeSheetOptions>("sync", options, options::Extra::Sheet)?;
        let mut sheet = o.options;
        if sheet.key.is_none() {
            sheet.key = Some(self.diff.key.clone());
        }
        if sheet.ignore_fields.is_empty() {
            sheet.ignore_fields = self.diff.ignore_fields.clone();
        }
        let writer =
            ReportWriter::new(&sheet, o.labels, format, cut_long_cells).map_err(records_error)?;
        *self.report.borrow_mut() = Some(writer);
        Ok(())
    }

    /// The report's bytes written since the last call.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&self) -> Uint8Array {
        let piece = self
            .report
            .borrow_mut()
            .as_mut()
            .map(ReportWriter::take)
            .unwrap_or_default();
        Uint8Array::from(piece.as_slice())
    }

    /// Writes the CRM's update files as changes are taken: `options` those of `updateFile`
    /// (mapping, format, `customFields`, `crmRecords`). Checked here, before any request.
    #[wasm_bindgen(js_name = startUpdates)]
    pub fn start_updates(&self, options: &str) -> Result<(), JsValue> {
        if self.baseline {
            return Err(invalid(
                "updates",
                "sync(): a baseline run writes no update files: leave out `updates` (or `baseline`)"
                    .into(),
            ));
        }
        if self.method != "customers" {
            return Err(invalid(
                "updates",
                format!(
                    "sync(): update files are made from the customers list, not {}",
                    self.method
                ),
            ));
        }
        *self.updates.borrow_mut() = Some(SyncUpdates::start(options)?);
        Ok(())
    }

    /// The update files' bytes written since the last call: `{updates, created, removed}`.
    #[wasm_bindgen(js_name = takeUpdates)]
    pub fn take_updates(&self) -> JsValue {
        match self.updates.borrow_mut().as_mut() {
            Some(u) => u.take(),
            None => JsValue::UNDEFINED,
        }
    }

    /// The next bytes of the previous snapshot.
    #[wasm_bindgen(js_name = feedPrevious)]
    pub fn feed_previous(&self, bytes: &[u8]) -> Result<(), JsValue> {
        self.with_engine(|e| e.feed_previous(bytes))
    }

    /// The previous snapshot is read to its end.
    #[wasm_bindgen(js_name = endPrevious)]
    pub fn end_previous(&self) -> Result<(), JsValue> {
        self.with_engine(|e| e.end_previous())
    }

    /// There is no previous snapshot (a first sync).
    #[wasm_bindgen(js_name = noPrevious)]
    pub fn no_previous(&self) -> Result<(), JsValue> {
        self.with_engine(|e| {
            e.no_previous();
            Ok(())
        })
    }

    /// Reads the next page: `{ page, total, loaded }`, or `null` when every page is read
    /// (then call `endPages()`). Call `push()` before the next `next()`.
    pub fn next(&self) -> Promise {
        let (stream, read) = (self.stream.clone(), self.read.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let Some(page) = stream.next().await? else {
                return Ok(JsValue::NULL);
            };
            let progress = progress(&page);
            *read.borrow_mut() = Some(page);
            Ok(progress.into())
        })
    }

    /// The new snapshot's bytes written since the last call (whole records). `finish()` then
    /// gives the rest.
    #[wasm_bindgen(js_name = takeSnapshot)]
    pub fn take_snapshot(&self) -> Result<Uint8Array, JsValue> {
        let piece = self.with_engine(|e| Ok(e.take_snapshot()))?;
        Ok(Uint8Array::from(piece.as_slice()))
    }

    /// Puts the page `next()` read into the sync (nothing when there is none).
    pub fn push(&self) -> Result<(), JsValue> {
        let Some(page) = self.read.borrow_mut().take() else {
            return Ok(());
        };
        let mut engine = self.engine.borrow_mut();
        let engine = engine
            .as_mut()
            .ok_or_else(|| invalid("sync", "this sync has already finished".into()))?;
        engine
            .push_checked_texts(page.records.records())
            .map_err(|e| {
                self.stream.cancel();
                JsValue::from(CubeError::new(
                    ErrorCode::InvalidResponse,
                    format!("page {} could not be read as records: {e}", page.page),
                ))
            })?;
        self.pages.set(self.pages.get() + 1);
        Ok(())
    }

    /// The byte spans of the previous snapshot the sync needs next, `[start, end, start,
    /// end, …]` (answer with `supply`); an empty list when it had what it needed (take the
    /// changes); `undefined` when nothing more is needed now.
    pub fn wanted(&self) -> Result<Option<Vec<f64>>, JsValue> {
        let spans = self.with_engine(|e| e.wanted())?;
        Ok(spans.map(|s| {
            s.into_iter()
                .flat_map(|(a, b)| [a as f64, b as f64])
                .collect()
        }))
    }

    /// The bytes of the spans `wanted()` named, one after the other.
    pub fn supply(&self, bytes: &[u8]) -> Result<(), JsValue> {
        self.with_engine(|e| e.supply(bytes))
    }

    /// Every page is read: the removed records follow (the `wanted()` loop).
    #[wasm_bindgen(js_name = endPages)]
    pub fn end_pages(&self) -> Result<(), JsValue> {
        self.with_engine(|e| e.end_pages())
    }

    /// The changes found since the last call: written to the report (if any), and as JSON
    /// text (`{added, removed, changed, anonymized}`) when `want` (else `undefined`, as when
    /// there are none).
    #[wasm_bindgen(js_name = takeChanges)]
    pub fn take_changes(&self, want: bool) -> Result<Option<String>, JsValue> {
        let changes = self.with_engine(|e| Ok(e.take_changes()))?;
        if let Some(report) = self.report.borrow_mut().as_mut() {
            for c in &changes {
                let written = match c {
                    Change::Added(r) => report.added(r),
                    Change::Changed(c) => report.changed(&c.key, &c.before, &c.after, &c.fields),
                    Change::Removed(r) => report.removed(r),
                    Change::Anonymized(_) => Ok(()),
                };
                written.map_err(records_error)?;
            }
        }
        if let Some(updates) = self.updates.borrow_mut().as_mut() {
            updates.write(&changes)?;
        }
        if changes.is_empty() || !want {
            return Ok(None);
        }
        let mut diff = Diff::default();
        for c in changes {
            c.into_diff(&mut diff);
        }
        let batch = Batch {
            added: &diff.added,
            removed: &diff.removed,
            changed: &diff.changed,
            anonymized: &diff.anonymized,
        };
        serde_json::to_string(&batch)
            .map(Some)
            .map_err(|e| invalid("records", format!("the changes could not be written: {e}")))
    }

    /// The end, once `wanted()` gave `undefined` after `endPages()`: `{ summary, snapshot,
    /// records, pages }`, where `summary` is JSON text (see [`Summary`]) and `snapshot` the
    /// new snapshot's last bytes.
    pub fn finish(&self) -> Result<JsValue, JsValue> {
        let engine = self
            .engine
            .borrow_mut()
            .take()
            .ok_or_else(|| invalid("sync", "this sync has already finished".into()))?;
        let records = engine.len();
        // `rest` lists the duplicated keys (none in a baseline run) and any change not taken.
        let (rest, counts, snapshot) = engine.finish_counted().map_err(sync_error)?;
        if !(rest.added.is_empty() && rest.changed.is_empty() && rest.removed.is_empty()) {
            return Err(invalid(
                "sync",
                "finish() was called before every change was taken".into(),
            ));
        }
        let updates = match self.updates.borrow_mut().take() {
            Some(u) => Some(u.finish(&rest.duplicate_keys)?),
            None => None,
        };
        let summary = Summary {
            duplicate_keys: rest.duplicate_keys,
            unchanged: counts.unchanged,
            counts,
            baseline: self.baseline,
        };
        let summary = serde_json::to_string(&summary)
            .map_err(|e| invalid("records", format!("the changes could not be written: {e}")))?;
        let bytes = Uint8Array::from(snapshot.as_slice());
        drop(snapshot);
        let o = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&o, &k.into(), &v);
        };
        if let Some(report) = self.report.borrow_mut().take() {
            let warnings: js_sys::Array = report
                .truncated()
                .iter()
                .map(crate::helpers::warning)
                .collect();
            let tail = report.finish().map_err(records_error)?;
            set("report", Uint8Array::from(tail.as_slice()).into());
            set("warnings", warnings.into());
        }
        if let Some(updates) = updates {
            set("updates", updates);
        }
        set("summary", summary.into());
        set("snapshot", bytes.into());
        set("records", JsValue::from(records as f64));
        set("pages", JsValue::from(self.pages.get()));
        Ok(o.into())
    }

    /// Stops the sync: requests in flight are aborted; no snapshot is made.
    pub fn cancel(&self) {
        self.stream.cancel();
        self.read.borrow_mut().take();
        self.engine.borrow_mut().take();
    }
}
