//! The options object of a round-trip helper, checked here and nowhere else: unknown options
//! are refused by name (the crate's option types deny unknown fields), `customFields` becomes
//! [`Labels`], `store` a [`SnapshotStore`]. `onWarning` (a function) is handed over by the JS
//! layer beside the JSON, where it is not (`JSON.stringify` leaves functions out).

use crate::errors::invalid;
use cube_integration::errors::{excerpt, quote, quote_json};
use cube_records::{Labels, SnapshotStore};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

/// Keys a helper takes besides its crate options type.
#[derive(Clone, Copy)]
pub enum Extra {
    None,
    /// `customFields`: label custom-field columns and rows.
    Labels,
    /// `customFields`, and `onWarning` of the `.xlsx` writers.
    Sheet,
    /// `store`: what the array sync's snapshot keeps.
    Store,
    /// `customFields`, `onWarning` and `mapping` (`importSheet`).
    SheetMapping,
    /// `mapping`, `customFields` and `crmRecords` (`updateFile`).
    Update,
}

impl Extra {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Extra::None => &[],
            Extra::Labels => &["customFields"],
            Extra::Sheet => &["customFields", "onWarning"],
            Extra::Store => &["store"],
            Extra::SheetMapping => &["customFields", "onWarning", "mapping"],
            Extra::Update => &["mapping", "customFields", "crmRecords"],
        }
    }
}

pub struct HelperOptions<T> {
    pub options: T,
    pub labels: Option<Labels>,
    pub store: SnapshotStore,
    /// `mapping` as given (a preset's name or a mapping object), when taken and given.
    pub mapping: Option<Value>,
    /// `crmRecords` as given, when taken and given.
    pub crm_records: Option<Value>,
}

/// `fn_name(): unknown option "x"; expected a, b` from serde's "unknown field" error.
pub fn refusal(fn_name: &str, e: serde_json::Error, extra: Extra) -> JsValue {
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected = rest
            .split_once("expected ")
            .map(|(_, list)| list.trim_start_matches("one of ").replace('`', ""))
            .unwrap_or_default();
        let mut all: Vec<&str> = expected.split(", ").filter(|s| !s.is_empty()).collect();
        all.extend(extra.keys());
        return invalid(
            name,
            format!(
                "{fn_name}(): unknown option {}; expected {}",
                quote(name),
                all.join(", ")
            ),
        );
    }
    invalid(
        "options",
        format!("{fn_name}(): options: {}", excerpt(&text)),
    )
}

/// The option whose value `T` refuses (each option read alone, as the options' fields all
/// have defaults), named as `param`: `format: 'pdf'` is `param: 'format'`.
fn member_refusal<T: DeserializeOwned>(fn_name: &str, map: &Map<String, Value>) -> Option<JsValue> {
    map.iter().find_map(|(k, v)| {
        let alone = Value::Object(Map::from_iter([(k.clone(), v.clone())]));
        let e = serde_json::from_value::<T>(alone).err()?;
        if e.to_string().starts_with("unknown field") {
            return None;
        }
        Some(invalid(
            k,
            format!("{fn_name}(): {}: {}", k, excerpt(&e.to_string())),
        ))
    })
}

/// Read the options JSON of `fn_name` (`{}` when none were given).
pub fn read<T: DeserializeOwned>(
    fn_name: &str,
    json: &str,
    extra: Extra,
) -> Result<HelperOptions<T>, JsValue> {
    let not_object = || invalid("options", format!("{fn_name}(): options must be an object"));
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(json) else {
        return Err(not_object());
    };
    let mut taken = Map::new();
    for key in extra.keys() {
        if let Some(v) = map.remove(*key) {
            taken.insert(key.to_string(), v);
        }
    }
    let options = match serde_json::from_value(Value::Object(map.clone())) {
        Ok(o) => o,
        Err(e) => {
            return Err(
                member_refusal::<T>(fn_name, &map).unwrap_or_else(|| refusal(fn_name, e, extra))
            )
        }
    };
    let labels = match taken.get("customFields") {
        None | Some(Value::Null) => None,
        Some(value) => Some(Labels::from_custom_fields(value).map_err(|e| {
            let e = excerpt(&e.to_string());
            invalid("customFields", format!("{fn_name}(): customFields: {e}"))
        })?),
    };
    let store = match taken.get("store") {
        None | Some(Value::Null) => SnapshotStore::Values,
        Some(v) => v
            .as_str()
            .and_then(SnapshotStore::from_name)
            .ok_or_else(|| {
                invalid(
                    "store",
                    format!(
                        "store must be \"values\" or \"fingerprints\", got {}",
                        quote_json(v)
                    ),
                )
            })?,
    };
    let given = |key: &str| taken.get(key).filter(|v| !v.is_null()).cloned();
    Ok(HelperOptions {
        options,
        labels,
        store,
        mapping: given("mapping"),
        crm_records: given("crmRecords"),
    })
}
