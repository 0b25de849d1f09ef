//! The fault configuration: global latency and a list of rules, as JSON
//! (`POST /_sandbox/faults`) or built from `--fault` flags.

use serde::{Deserialize, Serialize};

/// Where the sandbox sends `next`/`previous` links with the `foreign_next` fault.
pub const DEFAULT_FOREIGN_ORIGIN: &str = "http://internal.cube.local:8000";
/// `endless_body` stops by itself after at most this long.
pub const MAX_ENDLESS_SECONDS: u64 = 120;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultConfig {
    /// Seeds the draws for `rate` and jitter, so a sequential run repeats.
    #[serde(default)]
    pub seed: u64,
    /// Added to every API request.
    #[serde(default)]
    pub latency_ms: u64,
    /// Plus a uniform random 0..=jitterMs.
    #[serde(default)]
    pub jitter_ms: u64,
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Path prefix, e.g. `/api/v1/data_owners/`; omitted = every API route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Probability that a matching request gets the fault.
    #[serde(default = "one")]
    pub rate: f64,
    /// Inject into at most this many requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Let the first N matching requests through untouched.
    #[serde(default)]
    pub skip: u64,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> f64 {
    1.0
}

/// The members every rule takes, whatever its kind (its options come on top).
pub const RULE_MEMBERS: &[&str] = &["kind", "route", "rate", "times", "skip"];
/// What `GET /_sandbox/faults` adds to each rule: taken back and ignored (the counters of a
/// new configuration start at zero), so a configuration read can be posted again as it is.
const COUNTERS: &[&str] = &["matched", "injected"];

impl FaultRule {
    /// One rule from JSON, refusing a member that no rule of its kind reads: a misspelt
    /// option (`{"kind": "delay", "ms": 5000}`) would otherwise change nothing without a word.
    /// The error names the member and lists the ones the kind takes. (The kind's options are
    /// flattened into the rule, which serde's `deny_unknown_fields` cannot check.)
    pub fn from_json(value: serde_json::Value) -> Result<FaultRule, String> {
        let given: Vec<String> = match &value {
            serde_json::Value::Object(members) => members.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let rule: FaultRule = serde_json::from_value(value).map_err(|e| e.to_string())?;
        let options = rule.kind.options();
        let known =
            |k: &str| RULE_MEMBERS.contains(&k) || options.contains(&k) || COUNTERS.contains(&k);
        match given.iter().find(|k| !known(k.as_str())) {
            Some(unknown) => Err(format!(
                "a {kind} rule has no option '{unknown}'; a {kind} rule takes {}",
                RULE_MEMBERS
                    .iter()
                    .chain(options)
                    .map(|m| format!("'{m}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                kind = rule.kind.name(),
            )),
            None => Ok(rule),
        }
    }
}

impl FaultConfig {
    /// The configuration from JSON (`POST /_sandbox/faults`): every member and every rule's
    /// member must be one the sandbox reads, and the values must be valid.
    pub fn from_json(value: serde_json::Value) -> Result<FaultConfig, String> {
        // serde would read an array's items as the members by position, and the rules in it
        // would be dropped below without a word: a configuration is an object.
        if value.is_array() {
            return Err(
                "invalid type: array, expected an object {\"seed\", \"latencyMs\", \"jitterMs\", \"rules\"}"
                    .into(),
            );
        }
        let mut value = value;
        let rules = match value.get_mut("rules") {
            Some(serde_json::Value::Array(rules)) => std::mem::take(rules),
            _ => Vec::new(),
        };
        let mut config: FaultConfig = serde_json::from_value(value).map_err(|e| {
            let message = e.to_string();
            // The newcomer's mistake: one rule posted as the whole configuration.
            if message.starts_with("unknown field `kind`") {
                format!("{message} (a rule goes inside \"rules\": [{{\"kind\": …}}])")
            } else {
                message
            }
        })?;
        config.rules = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| FaultRule::from_json(rule).map_err(|e| format!("rules[{i}]: {e}")))
            .collect::<Result<_, _>>()?;
        config.validate()?;
        Ok(config)
    }
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum StatusBody {
    /// DRF style `{"detail": ...}`.
    #[default]
    Json,
    /// A proxy's HTML error page.
    Html,
    Empty,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeVariant {
    /// `"results": {...}` (an object instead of an array).
    #[default]
    Object,
    /// No `results` key at all.
    Missing,
    /// A bare array instead of the envelope.
    Array,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum FaultKind {
    /// An error status instead of the answer.
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        #[serde(default)]
        retry_after_date: bool,
        #[serde(default)]
        body: StatusBody,
    },
    /// Headers and part of the body, then the connection drops.
    Reset {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep_bytes: Option<usize>,
    },
    /// 200 with a cut JSON body and a Content-Length that matches the cut.
    Truncate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        keep_bytes: Option<usize>,
    },
    /// 200 with a `text/html` login page.
    Html {},
    /// A redirect (`status`, 3xx) to the same path and query on another origin, as an old
    /// host name, an http→https hop or a login proxy answers.
    Redirect {
        #[serde(default = "default_redirect_status")]
        status: u16,
        #[serde(default = "default_origin")]
        location: String,
    },
    /// The real body, sent slowly.
    Dribble {
        #[serde(default = "default_chunk_bytes")]
        chunk_bytes: usize,
        #[serde(default = "default_chunk_delay")]
        chunk_delay_ms: u64,
    },
    /// `next`/`previous` on another origin.
    ForeignNext {
        #[serde(default = "default_origin")]
        origin: String,
    },
    /// `next` points to the same page.
    NextLoop {},
    /// `count` multiplied by `factor`.
    LyingCount {
        #[serde(default = "default_factor")]
        factor: f64,
    },
    /// The envelope is broken.
    BadEnvelope {
        #[serde(default)]
        variant: EnvelopeVariant,
    },
    /// One record with a huge string field.
    HugeRecord {
        #[serde(default = "default_huge")]
        bytes: usize,
    },
    /// Invalid UTF-8 bytes inside a string.
    InvalidUtf8 {},
    /// A body that never ends (stops by itself after `maxSeconds`, at most 120).
    EndlessBody {
        #[serde(default = "default_endless_chunk")]
        chunk_bytes: usize,
        #[serde(default = "default_endless_delay")]
        chunk_delay_ms: u64,
        #[serde(default = "default_endless_seconds")]
        max_seconds: u64,
    },
    /// Extra latency on the matching route.
    Delay {
        #[serde(default)]
        latency_ms: u64,
        #[serde(default)]
        jitter_ms: u64,
    },
}

fn default_chunk_bytes() -> usize {
    64
}
fn default_chunk_delay() -> u64 {
    50
}
fn default_origin() -> String {
    DEFAULT_FOREIGN_ORIGIN.into()
}
fn default_redirect_status() -> u16 {
    302
}
fn default_factor() -> f64 {
    2.0
}
fn default_huge() -> usize {
    10 * 1024 * 1024
}
fn default_endless_chunk() -> usize {
    4096
}
fn default_endless_delay() -> u64 {
    20
}
fn default_endless_seconds() -> u64 {
    MAX_ENDLESS_SECONDS
}

impl FaultKind {
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Status { .. } => "status",
            FaultKind::Reset { .. } => "reset",
            FaultKind::Truncate { .. } => "truncate",
            FaultKind::Html {} => "html",
            FaultKind::Redirect { .. } => "redirect",
            FaultKind::Dribble { .. } => "dribble",
            FaultKind::ForeignNext { .. } => "foreign_next",
            FaultKind::NextLoop {} => "next_loop",
            FaultKind::LyingCount { .. } => "lying_count",
            FaultKind::BadEnvelope { .. } => "bad_envelope",
            FaultKind::HugeRecord { .. } => "huge_record",
            FaultKind::InvalidUtf8 {} => "invalid_utf8",
            FaultKind::EndlessBody { .. } => "endless_body",
            FaultKind::Delay { .. } => "delay",
        }
    }

    /// The options a rule of this kind reads, as named in JSON (`RULE_MEMBERS` come on top).
    pub fn options(&self) -> &'static [&'static str] {
        match self {
            FaultKind::Status { .. } => &["status", "retryAfter", "retryAfterDate", "body"],
            FaultKind::Reset { .. } | FaultKind::Truncate { .. } => &["keepBytes"],
            FaultKind::Html {} | FaultKind::NextLoop {} | FaultKind::InvalidUtf8 {} => &[],
            FaultKind::Redirect { .. } => &["status", "location"],
            FaultKind::Dribble { .. } => &["chunkBytes", "chunkDelayMs"],
            FaultKind::ForeignNext { .. } => &["origin"],
            FaultKind::LyingCount { .. } => &["factor"],
            FaultKind::BadEnvelope { .. } => &["variant"],
            FaultKind::HugeRecord { .. } => &["bytes"],
            FaultKind::EndlessBody { .. } => &["chunkBytes", "chunkDelayMs", "maxSeconds"],
            FaultKind::Delay { .. } => &["latencyMs", "jitterMs"],
        }
    }

    /// Kinds that change the pagination envelope: they only match paginated lists.
    pub fn is_envelope(&self) -> bool {
        matches!(
            self,
            FaultKind::ForeignNext { .. }
                | FaultKind::NextLoop {}
                | FaultKind::LyingCount { .. }
                | FaultKind::BadEnvelope { .. }
                | FaultKind::HugeRecord { .. }
                | FaultKind::InvalidUtf8 {}
        )
    }
}

impl FaultConfig {
    /// Checks values serde cannot: ranges and limits.
    pub fn validate(&self) -> Result<(), String> {
        for (i, rule) in self.rules.iter().enumerate() {
            let at = |m: String| format!("rules[{i}] ({}): {m}", rule.kind.name());
            if !(0.0..=1.0).contains(&rule.rate) {
                return Err(at(format!("rate {} is not between 0 and 1", rule.rate)));
            }
            if let Some(route) = &rule.route {
                if !route.starts_with('/') {
                    return Err(at(format!("route '{route}' must start with '/'")));
                }
            }
            match &rule.kind {
                FaultKind::Status { status, .. } if !(200..=599).contains(status) => {
                    return Err(at(format!("status {status} is not between 200 and 599")))
                }
                FaultKind::Redirect { status, .. } if !(300..=399).contains(status) => {
                    return Err(at(format!("status {status} is not between 300 and 399")))
                }
                FaultKind::Dribble { chunk_bytes: 0, .. }
                | FaultKind::EndlessBody { chunk_bytes: 0, .. } => {
                    return Err(at("chunkBytes must be at least 1".into()))
                }
                FaultKind::EndlessBody { max_seconds, .. }
                    if *max_seconds > MAX_ENDLESS_SECONDS =>
                {
                    return Err(at(format!("maxSeconds is at most {MAX_ENDLESS_SECONDS}")))
                }
                FaultKind::HugeRecord { bytes } if *bytes > 512 * 1024 * 1024 => {
                    return Err(at("bytes is at most 512 MiB".into()))
                }
                FaultKind::LyingCount { factor } if !factor.is_finite() || *factor < 0.0 => {
                    return Err(at("factor must be a non-negative number".into()))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every kind with every option given: what a rule of that kind reads.
    fn every_kind_with_every_option() -> Vec<FaultKind> {
        vec![
            FaultKind::Status {
                status: 503,
                retry_after: Some(1),
                retry_after_date: true,
                body: StatusBody::Html,
            },
            FaultKind::Reset {
                keep_bytes: Some(1),
            },
            FaultKind::Truncate {
                keep_bytes: Some(1),
            },
            FaultKind::Html {},
            FaultKind::Redirect {
                status: 301,
                location: "http://a".into(),
            },
            FaultKind::Dribble {
                chunk_bytes: 1,
                chunk_delay_ms: 1,
            },
            FaultKind::ForeignNext {
                origin: "http://a".into(),
            },
            FaultKind::NextLoop {},
            FaultKind::LyingCount { factor: 3.0 },
            FaultKind::BadEnvelope {
                variant: EnvelopeVariant::Array,
            },
            FaultKind::HugeRecord { bytes: 1 },
            FaultKind::InvalidUtf8 {},
            FaultKind::EndlessBody {
                chunk_bytes: 1,
                chunk_delay_ms: 1,
                max_seconds: 1,
            },
            FaultKind::Delay {
                latency_ms: 1,
                jitter_ms: 1,
            },
        ]
    }

    #[test]
    fn the_options_table_is_what_serde_reads() {
        for kind in every_kind_with_every_option() {
            let rule = FaultRule {
                route: Some("/api/".into()),
                rate: 0.5,
                times: Some(2),
                skip: 1,
                kind: kind.clone(),
            };
            let value = serde_json::to_value(&rule).unwrap();
            let mut written: Vec<&str> = value
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut table: Vec<&str> = RULE_MEMBERS.iter().chain(kind.options()).copied().collect();
            written.sort_unstable();
            table.sort_unstable();
            assert_eq!(written, table, "{}", kind.name());
            // and each of them is taken back.
            assert_eq!(FaultRule::from_json(value), Ok(rule), "{}", kind.name());
        }
    }

    #[test]
    fn an_unknown_option_is_named_with_the_ones_the_kind_takes() {
        let e = FaultRule::from_json(json!({"kind": "delay", "ms": 5000})).unwrap_err();
        assert_eq!(
            e,
            "a delay rule has no option 'ms'; a delay rule takes 'kind', 'route', 'rate', \
             'times', 'skip', 'latencyMs', 'jitterMs'"
        );
        // Also when its value is null: the name is what is wrong.
        assert!(FaultRule::from_json(json!({"kind": "html", "ms": null})).is_err());
        // An option of another kind is no option of this one.
        let e = FaultRule::from_json(json!({"kind": "html", "status": 500})).unwrap_err();
        assert!(e.starts_with("a html rule has no option 'status'"), "{e}");
    }

    #[test]
    fn a_rule_as_read_back_is_taken_again() {
        let rule = json!({"kind": "status", "status": 503, "rate": 1.0, "skip": 0,
            "retryAfterDate": false, "body": "json", "matched": 4, "injected": 2});
        assert!(FaultRule::from_json(rule).is_ok());
    }

    #[test]
    fn a_rule_posted_as_the_configuration_says_where_rules_go() {
        let e = FaultConfig::from_json(json!({"kind": "delay", "ms": 5000})).unwrap_err();
        assert!(
            e.starts_with(
                "unknown field `kind`, expected one of `seed`, `latencyMs`, `jitterMs`, `rules`"
            ),
            "{e}"
        );
        assert!(e.contains("\"rules\""), "{e}");
    }

    /// One rule in an otherwise empty configuration.
    fn one_rule(rate: f64, route: Option<&str>, kind: FaultKind) -> FaultConfig {
        FaultConfig {
            seed: 0,
            latency_ms: 0,
            jitter_ms: 0,
            rules: vec![FaultRule {
                route: route.map(Into::into),
                rate,
                times: None,
                skip: 0,
                kind,
            }],
        }
    }

    #[test]
    fn validate_turns_down_each_value_out_of_range_and_takes_its_edges() {
        let html = || FaultKind::Html {};
        let status = |status| FaultKind::Status {
            status,
            retry_after: None,
            retry_after_date: false,
            body: StatusBody::default(),
        };
        let redirect = |status| FaultKind::Redirect {
            status,
            location: "http://a".into(),
        };
        let dribble = |chunk_bytes| FaultKind::Dribble {
            chunk_bytes,
            chunk_delay_ms: 1,
        };
        let endless = |chunk_bytes, max_seconds| FaultKind::EndlessBody {
            chunk_bytes,
            chunk_delay_ms: 1,
            max_seconds,
        };
        let huge = |bytes| FaultKind::HugeRecord { bytes };
        let lying = |factor| FaultKind::LyingCount { factor };
        const MIB: usize = 1024 * 1024;

        for (rate, route, kind) in [
            (0.0, None, html()),
            (1.0, Some("/api/"), html()),
            (1.0, None, status(200)),
            (1.0, None, status(599)),
            (1.0, None, redirect(300)),
            (1.0, None, redirect(399)),
            (1.0, None, dribble(1)),
            (1.0, None, endless(1, MAX_ENDLESS_SECONDS)),
            (1.0, None, huge(512 * MIB)),
            (1.0, None, lying(0.0)),
        ] {
            let name = format!("{kind:?}");
            assert_eq!(one_rule(rate, route, kind).validate(), Ok(()), "{name}");
        }

        for (rate, route, kind, error) in [
            (1.5, None, html(), "(html): rate 1.5 is not between 0 and 1"),
            (
                -0.5,
                None,
                html(),
                "(html): rate -0.5 is not between 0 and 1",
            ),
            (
                1.0,
                Some("api/"),
                html(),
                "(html): route 'api/' must start with '/'",
            ),
            (
                1.0,
                None,
                status(199),
                "(status): status 199 is not between 200 and 599",
            ),
            (
                1.0,
                None,
                status(600),
                "(status): status 600 is not between 200 and 599",
            ),
            (
                1.0,
                None,
                redirect(299),
                "(redirect): status 299 is not between 300 and 399",
            ),
            (
                1.0,
                None,
                redirect(400),
                "(redirect): status 400 is not between 300 and 399",
            ),
            (
                1.0,
                None,
                dribble(0),
                "(dribble): chunkBytes must be at least 1",
            ),
            (
                1.0,
                None,
                endless(0, 1),
                "(endless_body): chunkBytes must be at least 1",
            ),
            (
                1.0,
                None,
                endless(1, MAX_ENDLESS_SECONDS + 1),
                "(endless_body): maxSeconds is at most 120",
            ),
            (
                1.0,
                None,
                huge(512 * MIB + 1),
                "(huge_record): bytes is at most 512 MiB",
            ),
            (
                1.0,
                None,
                lying(-1.0),
                "(lying_count): factor must be a non-negative number",
            ),
            (
                1.0,
                None,
                lying(f64::NAN),
                "(lying_count): factor must be a non-negative number",
            ),
            (
                1.0,
                None,
                lying(f64::INFINITY),
                "(lying_count): factor must be a non-negative number",
            ),
        ] {
            assert_eq!(
                one_rule(rate, route, kind).validate(),
                Err(format!("rules[0] {error}"))
            );
        }
    }

    #[test]
    fn an_option_left_out_takes_its_default() {
        let kind = |rule| FaultRule::from_json(rule).unwrap().kind;
        let origin = || DEFAULT_FOREIGN_ORIGIN.to_string();
        assert_eq!(
            kind(json!({"kind": "redirect"})),
            FaultKind::Redirect {
                status: 302,
                location: origin()
            }
        );
        assert_eq!(
            kind(json!({"kind": "dribble"})),
            FaultKind::Dribble {
                chunk_bytes: 64,
                chunk_delay_ms: 50
            }
        );
        assert_eq!(
            kind(json!({"kind": "foreign_next"})),
            FaultKind::ForeignNext { origin: origin() }
        );
        assert_eq!(
            kind(json!({"kind": "lying_count"})),
            FaultKind::LyingCount { factor: 2.0 }
        );
        assert_eq!(
            kind(json!({"kind": "huge_record"})),
            FaultKind::HugeRecord {
                bytes: 10 * 1024 * 1024
            }
        );
        assert_eq!(
            kind(json!({"kind": "endless_body"})),
            FaultKind::EndlessBody {
                chunk_bytes: 4096,
                chunk_delay_ms: 20,
                max_seconds: MAX_ENDLESS_SECONDS
            }
        );
    }

    #[test]
    fn the_rules_of_a_configuration_are_read() {
        let config = FaultConfig::from_json(json!({"seed": 7, "rules": [{"kind": "html"}]}));
        let config = config.unwrap();
        assert_eq!(config.seed, 7);
        assert_eq!(config.rules.len(), 1);
        assert_eq!(config.rules[0].kind, FaultKind::Html {});
    }
}
