//! `POST /_sandbox/edits` `{"count"?: N, "dataOwnerId"?, "crmType"?, "seed"?}`: simulated
//! Cube users edit N customers; `{"set": [{"customerId", "dataOwnerId", "crmType",
//! "fields"}]}`: the values given, as Cube users' edits (`data::targeted`). Answers
//! `{"edited": [...]}`.

use serde_json::{json, Value};

use crate::data::edits::{apply, EditRequest};
use crate::data::targeted;
use crate::data::tenant::CrmType;
use crate::state::State;

/// No body, `null` and `{}` edit one customer; a member the sandbox does not read is refused
/// (serde names it and lists the ones it takes).
pub fn edit(state: &State, body: &[u8]) -> Result<Value, String> {
    let req: Option<EditRequest> = if body.is_empty() {
        None
    } else {
        serde_json::from_slice(body).map_err(|e| format!("edits: {e}"))?
    };
    let req = req.unwrap_or_default();
    if let Some(set) = &req.set {
        let given: Vec<&str> = [
            ("count", req.count.is_some()),
            ("dataOwnerId", req.data_owner_id.is_some()),
            ("crmType", req.crm_type.is_some()),
            ("seed", req.seed.is_some()),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
        if let Some(name) = given.first() {
            return Err(format!(
                "edits: {name} is for simulated edits, and set makes the edits it lists: send \
                 one or the other (each entry of set names its dataOwnerId and crmType)"
            ));
        }
        let mut store = state.store.write().expect("store lock");
        let edited = targeted::set(&state.tenant, &mut store, set)?;
        return Ok(json!({ "edited": edited }));
    }
    let count = req.count.unwrap_or(1);
    let crm_type = match req.crm_type.as_deref() {
        None => None,
        Some(s) => Some(
            CrmType::parse(s).ok_or_else(|| format!("edits: crmType '{s}' is not B2C or B2B"))?,
        ),
    };
    if let Some(id) = req.data_owner_id {
        if state.tenant.owner(id).is_none() {
            return Err(format!("edits: no data owner {id}"));
        }
    }
    if count > 100_000 {
        return Err("edits: count is at most 100000".to_string());
    }
    let mut store = state.store.write().expect("store lock");
    let edited = apply(
        &state.tenant,
        &mut store,
        count,
        req.data_owner_id,
        crm_type,
        req.seed,
    );
    Ok(json!({ "edited": edited }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn state() -> State {
        let mut config = Config::for_tests();
        config.customers = 50;
        State::new(config, 0)
    }

    #[test]
    fn set_goes_alone_and_unknown_members_are_named_with_set_among_those_taken() {
        let sb = state();
        for member in [
            "\"count\": 2",
            "\"seed\": 1",
            "\"dataOwnerId\": 1",
            "\"crmType\": \"B2C\"",
        ] {
            let body = format!("{{{member}, \"set\": []}}");
            let err = edit(&sb, body.as_bytes()).unwrap_err();
            let name = member.split('"').nth(1).unwrap();
            assert!(
                err.starts_with(&format!("edits: {name} is for simulated edits, and set")),
                "{err}"
            );
        }
        let err = edit(&sb, br#"{"sets": []}"#).unwrap_err();
        assert!(
            err.starts_with(
                "edits: unknown field `sets`, expected one of `count`, `dataOwnerId`, \
                 `crmType`, `seed`, `set`"
            ),
            "{err}"
        );
        let err = edit(&sb, br#"{"set": [{"customerId": "000001", "dataOwnerId": 1, "crmType": "B2C", "fields": {}, "note": 1}]}"#).unwrap_err();
        assert!(err.contains("unknown field `note`, expected one of `customerId`, `dataOwnerId`, `crmType`, `fields`"), "{err}");
        assert!(sb.store.read().unwrap().patches.is_empty());
        // An empty set edits nothing; without set, count still defaults to one.
        assert_eq!(edit(&sb, br#"{"set": []}"#).unwrap(), json!({"edited": []}));
        assert!(sb.store.read().unwrap().patches.is_empty());
        assert_eq!(
            edit(&sb, b"{}").unwrap()["edited"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
