//! The `--fault` flag grammar:
//!
//! ```text
//! --fault KIND[=VALUE][:RATE[:ROUTE_PREFIX]]
//! --fault '{"kind": "...", ...}'            (one rule as JSON, any option)
//! ```
//!
//! VALUE sets the kind's main option: `status=503`, `truncate=100` (keepBytes),
//! `reset=100` (keepBytes), `dribble=50` (chunkDelayMs), `lying_count=3` (factor),
//! `huge_record=1000000` (bytes), `bad_envelope=missing` (variant), `delay=200`
//! (latencyMs), `endless_body=10` (maxSeconds), `redirect=301` (status). RATE defaults to 1. Examples:
//! `status=503:0.1`, `status=429:1:/api/v1/call_outcomes/`, `reset:0.5`, `html`.

use serde_json::{json, Map, Value};

use crate::faults::rules::FaultRule;

pub fn parse(spec: &str) -> Result<FaultRule, String> {
    let spec = spec.trim();
    if spec.starts_with('{') {
        let value: Value =
            serde_json::from_str(spec).map_err(|e| format!("fault JSON '{spec}': {e}"))?;
        return FaultRule::from_json(value).map_err(|e| format!("fault JSON '{spec}': {e}"));
    }
    let mut parts = spec.splitn(3, ':');
    let head = parts.next().unwrap_or("");
    let rate = parts.next();
    let route = parts.next();
    let (kind, value) = match head.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (head, None),
    };
    let mut rule = Map::new();
    rule.insert("kind".into(), json!(kind));
    if let Some(v) = value {
        let (option, parsed): (&str, Value) = match kind {
            "status" => ("status", number(v)?),
            "reset" | "truncate" => ("keepBytes", number(v)?),
            "dribble" => ("chunkDelayMs", number(v)?),
            "lying_count" => ("factor", number(v)?),
            "huge_record" => ("bytes", number(v)?),
            "bad_envelope" => ("variant", json!(v)),
            "delay" => ("latencyMs", number(v)?),
            "endless_body" => ("maxSeconds", number(v)?),
            "foreign_next" => ("origin", json!(v)),
            "redirect" => ("status", number(v)?),
            _ => return Err(format!("fault '{spec}': kind '{kind}' takes no =VALUE")),
        };
        rule.insert(option.into(), parsed);
    } else if kind == "status" {
        return Err(format!(
            "fault '{spec}': status needs a code, e.g. status=503"
        ));
    }
    if let Some(r) = rate.filter(|r| !r.is_empty()) {
        let r: f64 = r
            .parse()
            .map_err(|_| format!("fault '{spec}': rate '{r}' is not a number"))?;
        rule.insert("rate".into(), json!(r));
    }
    if let Some(route) = route {
        rule.insert("route".into(), json!(route));
    }
    serde_json::from_value(Value::Object(rule)).map_err(|e| format!("fault '{spec}': {e}"))
}

fn number(v: &str) -> Result<Value, String> {
    if let Ok(n) = v.parse::<u64>() {
        return Ok(json!(n));
    }
    v.parse::<f64>()
        .map(|f| json!(f))
        .map_err(|_| format!("'{v}' is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::rules::FaultKind;

    #[test]
    fn parses_the_short_grammar() {
        let r = parse("status=503:0.1").unwrap();
        assert_eq!(r.rate, 0.1);
        assert!(matches!(r.kind, FaultKind::Status { status: 503, .. }));
        let r = parse("status=429:1:/api/v1/call_outcomes/").unwrap();
        assert_eq!(r.route.as_deref(), Some("/api/v1/call_outcomes/"));
        let r = parse("html").unwrap();
        assert_eq!(r.rate, 1.0);
        assert!(matches!(r.kind, FaultKind::Html {}));
        assert!(matches!(
            parse("redirect=301").unwrap().kind,
            FaultKind::Redirect { status: 301, .. }
        ));
        assert!(
            matches!(parse("lying_count=3").unwrap().kind, FaultKind::LyingCount { factor } if factor == 3.0)
        );
        assert!(parse("nonsense").is_err());
        assert!(parse("status").is_err());
        assert!(parse("status=503:often").is_err());
    }

    #[test]
    fn parses_json_rules() {
        let r =
            parse(r#"{"kind":"foreign_next","origin":"http://10.0.0.1:8000","times":2}"#).unwrap();
        assert_eq!(r.times, Some(2));
        assert!(
            matches!(r.kind, FaultKind::ForeignNext { ref origin } if origin == "http://10.0.0.1:8000")
        );
    }
}
