//! A records error as the `CubeError` JS gets: always `invalid_argument`, naming the input or
//! option to change. The one map from [`RecordsError`] to [`CubeError`], for every export.

use cube_integration::errors::{excerpt, CubeError};
use cube_records::RecordsError;

/// Which call an error came from: that decides how it names what to change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Call {
    /// A round-trip helper, or the report or update files a sync writes (they take a
    /// helper's options): the option or input by its own name, the snapshot as `snapshot`.
    Helper,
    /// The streaming sync's engine (`Pager.sync()`): `sync(): ` before an option's message;
    /// any other error is about `previous`, with what to pass instead.
    Sync,
}

/// What to pass when a sync's previous snapshot cannot be used.
const ADVICE: &str =
    "pass the snapshot the last sync of this same list returned, or null to start over";

/// The `CubeError` of a records error raised in `call`.
pub fn cube_error(e: RecordsError, call: Call) -> CubeError {
    let text = excerpt(&e.to_string());
    let named = |text: String| match call {
        Call::Helper => text,
        Call::Sync => format!("sync(): {text}"),
    };
    let (param, message) = match (&e, call) {
        (
            RecordsError::SnapshotMismatch {
                option: "source",
                snapshot,
                requested,
            },
            Call::Sync,
        ) => (
            "previous",
            format!("sync(): previous is the snapshot of another list: it was made by {snapshot}, this sync reads {requested}; {ADVICE}"),
        ),
        (
            RecordsError::InvalidOption { option, .. }
            | RecordsError::SnapshotMismatch { option, .. },
            _,
        ) => (*option, named(text)),
        (RecordsError::OtherOrigin { snapshot, requested }, Call::Sync) => (
            "previous",
            format!("sync(): previous was made against {snapshot}; this client talks to {requested}. If that is the same Cube under another name (or the sandbox on another port), pass {{ allowOtherOrigin: true }}; else pass null to start over"),
        ),
        (_, Call::Sync) => (
            "previous",
            format!("sync(): previous is not usable: {text}; {ADVICE}"),
        ),
        (RecordsError::InvalidMapping { path, .. }, Call::Helper) => (path.as_str(), text),
        (
            RecordsError::UnsupportedSnapshotVersion { .. }
            | RecordsError::InvalidSnapshot(_)
            | RecordsError::OtherOrigin { .. },
            Call::Helper,
        ) => ("snapshot", text),
        (RecordsError::UnknownColumn { .. }, Call::Helper) => ("columns", text),
        (RecordsError::InvalidCustomFields(_), Call::Helper) => ("customFields", text),
        (RecordsError::InvalidDate(_), Call::Helper) => ("since", text),
        (RecordsError::TooLarge(_) | RecordsError::CellTooLong { .. }, Call::Helper) => {
            ("records", text)
        }
        (RecordsError::InvalidCsv(_), Call::Helper) => ("csv", text),
    };
    CubeError::invalid_argument(param, message)
}

/// An `invalid_argument` error naming `param`, as exports return it.
#[cfg(target_arch = "wasm32")]
pub fn invalid(param: &str, message: String) -> wasm_bindgen::JsValue {
    CubeError::invalid_argument(param, message).into()
}

/// [`cube_error`] of a helper, as exports return it.
#[cfg(target_arch = "wasm32")]
pub fn records_error(e: RecordsError) -> wasm_bindgen::JsValue {
    cube_error(e, Call::Helper).into()
}

/// [`cube_error`] of the streaming sync's engine, as `RawSync` returns it.
#[cfg(target_arch = "wasm32")]
pub fn sync_error(e: RecordsError) -> wasm_bindgen::JsValue {
    cube_error(e, Call::Sync).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cube_integration::ErrorCode;

    fn param_and_message(e: RecordsError, call: Call) -> (String, String) {
        let e = cube_error(e, call);
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        (e.param.clone().unwrap(), e.message.clone())
    }

    fn option() -> RecordsError {
        RecordsError::InvalidOption {
            option: "key",
            reason: "must not be empty".into(),
        }
    }

    #[test]
    fn an_option_keeps_its_name_and_a_sync_says_so() {
        let (param, helper) = param_and_message(option(), Call::Helper);
        assert_eq!(param, "key");
        let (param, sync) = param_and_message(option(), Call::Sync);
        assert_eq!(param, "key");
        assert_eq!(sync, format!("sync(): {helper}"));
    }

    #[test]
    fn a_snapshot_is_the_helpers_snapshot_and_the_syncs_previous() {
        let bad = || RecordsError::InvalidSnapshot("no header".into());
        assert_eq!(param_and_message(bad(), Call::Helper).0, "snapshot");
        let (param, message) = param_and_message(bad(), Call::Sync);
        assert_eq!(param, "previous");
        assert!(
            message.starts_with("sync(): previous is not usable: "),
            "{message}"
        );
        assert!(message.ends_with(ADVICE), "{message}");
    }

    #[test]
    fn another_lists_snapshot_names_both_lists() {
        let mismatch = RecordsError::SnapshotMismatch {
            option: "source",
            snapshot: "\"GET /a\"".into(),
            requested: "\"GET /b\"".into(),
        };
        let (param, message) = param_and_message(mismatch, Call::Sync);
        assert_eq!(param, "previous");
        assert!(
            message.contains("made by \"GET /a\", this sync reads \"GET /b\""),
            "{message}"
        );
    }

    #[test]
    fn another_origin_says_how_to_allow_it() {
        let other = || RecordsError::OtherOrigin {
            snapshot: "https://a.example".into(),
            requested: "https://b.example".into(),
        };
        let (param, message) = param_and_message(other(), Call::Sync);
        assert_eq!(param, "previous");
        assert!(message.contains("allowOtherOrigin: true"), "{message}");
        assert_eq!(param_and_message(other(), Call::Helper).0, "snapshot");
    }

    #[test]
    fn a_helper_names_its_input() {
        let cases = [
            (RecordsError::InvalidCsv("ragged".into()), "csv"),
            (RecordsError::InvalidDate("2024-13-01".into()), "since"),
            (RecordsError::TooLarge("columns".into()), "records"),
            (
                RecordsError::InvalidMapping {
                    path: "mapping.fields[3].cube".into(),
                    reason: "unknown field".into(),
                },
                "mapping.fields[3].cube",
            ),
        ];
        for (e, param) in cases {
            assert_eq!(param_and_message(e, Call::Helper).0, param);
        }
    }
}
