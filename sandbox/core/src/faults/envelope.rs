//! Envelope faults: wrong links, a lying count, a broken envelope, a huge or
//! non-UTF-8 record.

use std::borrow::Cow;

use crate::envelope::{Envelope, Shape};
use crate::faults::rules::{EnvelopeVariant, FaultKind};
use crate::record::{Record, Val};

/// The field that `huge_record` and `invalid_utf8` change (every list record has it).
const TARGET_FIELD: &str = "crm__standard_info__name";

pub fn apply(kind: &FaultKind, env: &mut Envelope<'_>) {
    match kind {
        FaultKind::ForeignNext { origin } => {
            let own = env.origin.clone();
            let swap = |link: &mut Option<String>| {
                if let Some(l) = link {
                    if let Some(rest) = l.strip_prefix(&own) {
                        *l = format!("{}{rest}", origin.trim_end_matches('/'));
                    }
                }
            };
            swap(&mut env.next);
            swap(&mut env.previous);
        }
        FaultKind::NextLoop {} => env.next = Some(env.this_page.clone()),
        FaultKind::LyingCount { factor } => {
            env.count = (env.count as f64 * factor).round() as u64;
        }
        FaultKind::BadEnvelope { variant } => {
            env.shape = match variant {
                EnvelopeVariant::Object => Shape::ResultsObject,
                EnvelopeVariant::Missing => Shape::ResultsMissing,
                EnvelopeVariant::Array => Shape::BareArray,
            }
        }
        FaultKind::HugeRecord { bytes } => {
            set_target(env, Val::Str(Cow::Owned("x".repeat(*bytes))));
        }
        FaultKind::InvalidUtf8 {} => {
            // "Bjørnstad" with ø as Latin-1 (0xF8): what a mis-encoded import looks like.
            set_target(env, Val::RawBytes(b"Bj\xF8rnstad \xC3\x28".to_vec()));
        }
        _ => {}
    }
}

fn set_target<'a>(env: &mut Envelope<'a>, value: Val<'a>) {
    if env.results.is_empty() {
        let mut r = Record::default();
        r.put("crm__customer_id", "");
        r.put(TARGET_FIELD, value);
        env.results.push(r);
        return;
    }
    let first = &mut env.results[0];
    match first.get_mut(TARGET_FIELD) {
        Some(v) => *v = value,
        None => first.put(TARGET_FIELD, value),
    }
}
