//! The round-trip helpers (crate `cube-records`) for JS. Records cross the boundary as JSON
//! text both ways (the engine's `JSON.stringify`/`JSON.parse` are the fastest converters);
//! files come back as bytes. Every records error is an `invalid_argument` naming its input
//! ([`crate::errors`]).
//! The `.xlsx` writers take the caller's `onWarning`: given, a cell too long for `.xlsx` is
//! cut and each cut reported to it once the file is written; not given, it is refused.

use crate::errors::{invalid, records_error};
use crate::options::{read, Extra};
use crate::sync::SyncReport;
use cube_records::{
    self as records, ChangeSheetOptions, ChangesInput, CsvOptions, CsvReadOptions, DiffOptions,
    ImportSheetOptions, Labels, LongCells, Mapping, Record, RecordsError, SyncSource, SyncStream,
    TextRecord, TruncatedCell, UpdateFileOptions, XlsxOptions,
};
use js_sys::{Function, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

fn parse_records(json: &str, param: &str) -> Result<Vec<Record>, JsValue> {
    records::parse_records(json)
        .map_err(|_| invalid(param, format!("{param} must be an array of record objects")))
}

fn labels(custom_fields: Option<String>) -> Result<Option<Labels>, JsValue> {
    let Some(json) = custom_fields else {
        return Ok(None);
    };
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|_| {
        invalid(
            "customFields",
            "customFields must be the array customFields() returns".into(),
        )
    })?;
    Labels::from_custom_fields(&value)
        .map(Some)
        .map_err(records_error)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| invalid("records", e.to_string()))
}

fn parse_text_records<'a>(json: &'a str, param: &str) -> Result<Vec<TextRecord<'a>>, JsValue> {
    records::parse_text_records(json)
        .map_err(|_| invalid(param, format!("{param} must be an array of record objects")))
}

#[wasm_bindgen]
pub fn records_diff(before: &str, after: &str, options: &str) -> Result<String, JsValue> {
    // Records borrow from their JSON text and a value is decoded only when it differs:
    // faster and lighter than decoding every record into a map (BENCHMARKS.md §5).
    let (before, after) = (
        parse_text_records(before, "before")?,
        parse_text_records(after, "after")?,
    );
    let o = read::<DiffOptions>("diff", options, Extra::None)?;
    to_json(&records::diff(&before, &after, &o.options).map_err(records_error)?)
}

/// The array sync: the streaming sync's engine fed one array. `previous` is the snapshot's
/// bytes (version 1 or 2); the result is `{"changes":…,"snapshot":…}` as JSON text.
#[wasm_bindgen]
pub fn records_sync(
    previous: Option<Vec<u8>>,
    current: &str,
    options: &str,
) -> Result<String, JsValue> {
    let o = read::<DiffOptions>("sync", options, Extra::Store)?;
    // No read and no origin: a snapshot from any list or Cube is accepted (nothing to check).
    let mut stream = SyncStream::new(previous, o.options, o.store, SyncSource::default())
        .map_err(records_error)?;
    stream.push_json(current).map_err(|_| {
        invalid(
            "records",
            "records must be an array of record objects".into(),
        )
    })?;
    let (changes, counts, snapshot) = stream.finish_counted().map_err(records_error)?;
    let changes = SyncReport {
        changes: &changes,
        counts,
        baseline: false,
    };
    let snapshot = String::from_utf8(snapshot).map_err(|e| invalid("snapshot", e.to_string()))?;
    Ok(format!(
        "{{\"changes\":{},\"snapshot\":{}}}",
        to_json(&changes)?,
        snapshot.trim_end()
    ))
}

#[wasm_bindgen]
pub fn records_changed_since(records_json: &str, since: &str) -> Result<String, JsValue> {
    let all = parse_records(records_json, "records")?;
    to_json(&records::changed_since(&all, since).map_err(records_error)?)
}

fn relabel(
    records_json: &str,
    custom_fields: String,
    each: impl Fn(&Labels, &Record) -> Record,
) -> Result<String, JsValue> {
    let all = parse_records(records_json, "records")?;
    let labels = labels(Some(custom_fields))?.expect("given");
    to_json(&all.iter().map(|r| each(&labels, r)).collect::<Vec<_>>())
}

/// `crm__custom_info__N` keys replaced by their labels.
#[wasm_bindgen]
pub fn records_label(records_json: &str, custom_fields: String) -> Result<String, JsValue> {
    relabel(records_json, custom_fields, Labels::label_record)
}

/// Labels turned back into `crm__custom_info__N` keys.
#[wasm_bindgen]
pub fn records_unlabel(records_json: &str, custom_fields: String) -> Result<String, JsValue> {
    relabel(records_json, custom_fields, Labels::unlabel)
}

#[wasm_bindgen]
pub fn records_customer_views(
    records_json: &str,
    custom_fields: Option<String>,
) -> Result<String, JsValue> {
    let all = parse_records(records_json, "records")?;
    let labels = labels(custom_fields)?;
    let views: Vec<_> = all
        .iter()
        .map(|r| records::customer_view(r, labels.as_ref()))
        .collect();
    to_json(&views)
}

/// A file from records: the shared steps of the CSV, XLSX and import-sheet exports.
fn file<O: DeserializeOwned>(
    fn_name: &str,
    extra: Extra,
    records_json: &str,
    options: &str,
    write: impl FnOnce(&[TextRecord<'_>], &O, Option<&Labels>) -> Result<Vec<u8>, RecordsError>,
) -> Result<Vec<u8>, JsValue> {
    let o = read::<O>(fn_name, options, extra)?;
    let all = parse_text_records(records_json, "records")?;
    write(&all, &o.options, o.labels.as_ref()).map_err(records_error)
}

/// The warning object `onWarning` receives for a cut cell.
pub(crate) fn warning(cut: &TruncatedCell) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    set("code", TruncatedCell::CODE.into());
    set("row", cut.row.into());
    set("column", cut.column.as_str().into());
    set("header", cut.header.as_str().into());
    if !cut.sheet.is_empty() {
        set("sheet", cut.sheet.as_str().into());
    }
    set("length", (cut.length as f64).into());
    set("message", cut.to_string().into());
    o.into()
}

/// An `.xlsx` write: without `on_warning` a long cell is refused; with it, cut, and each cut
/// reported once the file is written (a throwing callback fails the call).
fn sheet(
    on_warning: Option<Function>,
    write: impl FnOnce(LongCells<'_>) -> Result<Vec<u8>, JsValue>,
) -> Result<Vec<u8>, JsValue> {
    let Some(on_warning) = on_warning else {
        return write(LongCells::Refuse);
    };
    let mut cut = Vec::new();
    let bytes = write(LongCells::Cut(&mut cut))?;
    for c in &cut {
        on_warning.call1(&JsValue::UNDEFINED, &warning(c))?;
    }
    Ok(bytes)
}

#[wasm_bindgen]
pub fn records_to_csv(records_json: &str, options: &str) -> Result<Vec<u8>, JsValue> {
    file::<CsvOptions>("toCsv", Extra::Labels, records_json, options, |r, o, l| {
        records::to_csv(r, o, l)
    })
}

#[wasm_bindgen]
pub fn records_to_xlsx(
    records_json: &str,
    options: &str,
    on_warning: Option<Function>,
) -> Result<Vec<u8>, JsValue> {
    sheet(on_warning, |long| {
        file::<XlsxOptions>("toXlsx", Extra::Sheet, records_json, options, |r, o, l| {
            records::to_xlsx(r, o, l, long)
        })
    })
}

#[wasm_bindgen]
pub fn records_import_sheet(
    records_json: &str,
    options: &str,
    on_warning: Option<Function>,
) -> Result<Vec<u8>, JsValue> {
    sheet(on_warning, |long| {
        let o = read::<ImportSheetOptions>("importSheet", options, Extra::SheetMapping)?;
        let Some(given) = &o.mapping else {
            let all = parse_text_records(records_json, "records")?;
            return records::import_sheet(&all, &o.options, o.labels.as_ref(), long)
                .map_err(records_error);
        };
        if !o.options.columns.is_empty() {
            return Err(invalid(
                "columns",
                "importSheet(): give columns or mapping, not both (the mapping names the columns)"
                    .into(),
            ));
        }
        let mapping = Mapping::from_given(given).map_err(records_error)?;
        let all = parse_records(records_json, "records")?;
        let (cube, columns) =
            records::import_records(&all, &mapping, o.labels.as_ref()).map_err(records_error)?;
        let mut options = o.options;
        // Every column is text: postal codes keep their zeros, ids and phones their form.
        options.text_fields = columns.iter().map(|c| c.field.clone()).collect();
        options.columns = columns;
        records::import_sheet(&cube, &options, None, long).map_err(records_error)
    })
}

/// What `updateFile` and a sync's `updates` are given, read and checked: the mapping, the
/// format, the custom fields' labels and the CRM's own records.
pub(crate) struct UpdateSetup {
    pub mapping: Mapping,
    pub options: UpdateFileOptions,
    pub labels: Option<Labels>,
    pub crm_records: Option<Vec<Record>>,
}

impl UpdateSetup {
    /// Reads `options` (JSON text) for `fn_name` (`updateFile`, `sync`).
    pub(crate) fn read(fn_name: &str, options: &str) -> Result<UpdateSetup, JsValue> {
        let o = read::<UpdateFileOptions>(fn_name, options, Extra::Update)?;
        let Some(given) = &o.mapping else {
            let names: Vec<String> = records::mapping::PRESETS
                .iter()
                .map(|(n, _)| format!("\"{n}\""))
                .collect();
            return Err(invalid(
                "mapping",
                format!(
                    "{fn_name}(): mapping is required: a preset's name ({}) or a mapping object",
                    names.join(", ")
                ),
            ));
        };
        let mapping = Mapping::from_given(given).map_err(records_error)?;
        let crm_records: Option<Vec<Record>> = match &o.crm_records {
            None => None,
            Some(v) => Some(serde_json::from_value(v.clone()).map_err(|_| {
                invalid(
                    "crmRecords",
                    format!(
                        "{fn_name}(): crmRecords must be an array of records (readCsv()'s records)"
                    ),
                )
            })?),
        };
        Ok(UpdateSetup {
            mapping,
            options: o.options,
            labels: o.labels,
            crm_records,
        })
    }
}

/// Cube's changes as the CRM's update files: `{updates, created, removed, summary}` (the
/// files as bytes, the summary as JSON text), see `cube_records::mapping::update_file`.
#[wasm_bindgen]
pub fn records_update_file(changes_json: &str, options: &str) -> Result<JsValue, JsValue> {
    let u = UpdateSetup::read("updateFile", options)?;
    let changes = changes_input(changes_json)?;
    let files = records::update_file(
        &changes,
        &u.mapping,
        &u.options,
        u.labels.as_ref(),
        u.crm_records.as_deref(),
    )
    .map_err(records_error)?;
    let out = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&out, &k.into(), &v).map(|_| ());
    set("updates", Uint8Array::from(&files.updates[..]).into())?;
    set("created", Uint8Array::from(&files.created[..]).into())?;
    set("removed", Uint8Array::from(&files.removed[..]).into())?;
    set("summary", to_json(&files.summary)?.into())?;
    Ok(out.into())
}

/// A preset mapping's document as JSON text.
#[wasm_bindgen]
pub fn records_mapping_preset(name: &str) -> Result<String, JsValue> {
    match records::mapping::preset_json(name) {
        Some(json) => Ok(json.to_string()),
        None => Err(records_error(Mapping::preset(name).unwrap_err())),
    }
}

fn changes_input(json: &str) -> Result<ChangesInput, JsValue> {
    serde_json::from_str(json).map_err(|_| {
        invalid(
            "changes",
            "changes must be the `changes` object a sync or diff returned".into(),
        )
    })
}

/// The changes report's rows: one per changed field (see `cube_records::change_sheet`).
#[wasm_bindgen]
pub fn records_change_rows(changes_json: &str, options: &str) -> Result<String, JsValue> {
    let o = read::<ChangeSheetOptions>("changeRows", options, Extra::Labels)?;
    let changes = changes_input(changes_json)?;
    to_json(&records::change_rows(
        &changes,
        o.labels.as_ref(),
        &o.options,
    ))
}

/// The changes report as an `.xlsx` or CSV file.
#[wasm_bindgen]
pub fn records_change_sheet(
    changes_json: &str,
    options: &str,
    on_warning: Option<Function>,
) -> Result<Vec<u8>, JsValue> {
    sheet(on_warning, |long| {
        let o = read::<ChangeSheetOptions>("changeSheet", options, Extra::Sheet)?;
        let changes = changes_input(changes_json)?;
        records::change_sheet(&changes, o.labels.as_ref(), &o.options, long).map_err(records_error)
    })
}

/// A CSV file read into records (every value a string): `{"delimiter", "headers",
/// "records"}` as JSON text. `options`: `{"delimiter"?}` (detected when missing).
#[wasm_bindgen]
pub fn records_read_csv(bytes: &[u8], options: &str) -> Result<String, JsValue> {
    let o = read::<CsvReadOptions>("readCsv", options, Extra::None)?;
    let table = records::read_csv(bytes, &o.options).map_err(records_error)?;
    Ok(format!(
        "{{\"delimiter\":{},\"headers\":{},\"records\":{}}}",
        to_json(&table.delimiter)?,
        to_json(&table.headers)?,
        to_json(&table.records())?
    ))
}
