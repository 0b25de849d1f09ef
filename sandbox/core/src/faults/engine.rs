//! Decides, per API request, the latency and which fault (if any) to inject. Draws come
//! from a seeded stream, so the same sequence of requests gets the same faults.

use serde_json::{json, Value};

use crate::data::rng::Draw;
use crate::faults::rules::{FaultConfig, FaultKind};

#[derive(Clone, Copy, Debug, Default)]
struct Counter {
    matched: u64,
    injected: u64,
}

pub struct Engine {
    config: FaultConfig,
    draw: Draw,
    counters: Vec<Counter>,
}

pub struct Decision {
    pub delay_ms: u64,
    pub fault: Option<FaultKind>,
}

impl Engine {
    pub fn new(config: FaultConfig) -> Self {
        Engine {
            draw: Draw::new(&[config.seed, 0xFA17]),
            counters: vec![Counter::default(); config.rules.len()],
            config,
        }
    }

    pub fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// `paginated`: the path is a paginated list (envelope kinds only match those).
    pub fn decide(&mut self, path: &str, paginated: bool) -> Decision {
        let mut delay_ms = self.config.latency_ms + self.jitter(self.config.jitter_ms);
        for (i, rule) in self.config.rules.iter().enumerate() {
            if rule.route.as_deref().is_some_and(|r| !path.starts_with(r)) {
                continue;
            }
            if rule.kind.is_envelope() && !paginated {
                continue;
            }
            let counter = &mut self.counters[i];
            counter.matched += 1;
            if counter.matched <= rule.skip {
                continue;
            }
            if rule.times.is_some_and(|t| counter.injected >= t) {
                continue;
            }
            if rule.rate < 1.0 && self.draw.unit() >= rule.rate {
                continue;
            }
            self.counters[i].injected += 1;
            let kind = rule.kind.clone();
            if let FaultKind::Delay {
                latency_ms,
                jitter_ms,
            } = kind
            {
                delay_ms += latency_ms + self.jitter(jitter_ms);
            }
            return Decision {
                delay_ms,
                fault: Some(kind),
            };
        }
        Decision {
            delay_ms,
            fault: None,
        }
    }

    fn jitter(&mut self, max: u64) -> u64 {
        if max == 0 {
            0
        } else {
            self.draw.below(max + 1)
        }
    }

    /// The configuration with per-rule counters (`matched`, `injected`).
    pub fn snapshot(&self) -> Value {
        let mut value = serde_json::to_value(&self.config).unwrap_or_else(|_| json!({}));
        if let Some(rules) = value.get_mut("rules").and_then(Value::as_array_mut) {
            for (rule, c) in rules.iter_mut().zip(&self.counters) {
                rule["matched"] = json!(c.matched);
                rule["injected"] = json!(c.injected);
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::flag::parse;

    fn engine(rules: &[&str]) -> Engine {
        Engine::new(FaultConfig {
            seed: 7,
            rules: rules.iter().map(|r| parse(r).unwrap()).collect(),
            ..FaultConfig::default()
        })
    }

    #[test]
    fn skip_times_and_routes() {
        let mut e =
            engine(&[r#"{"kind":"status","status":500,"skip":1,"times":2,"route":"/api/v1/"}"#]);
        let hits: Vec<bool> = (0..5)
            .map(|_| e.decide("/api/v1/campaigns", false).fault.is_some())
            .collect();
        assert_eq!(hits, [false, true, true, false, false]);
        assert!(e.decide("/account/who_am_i", false).fault.is_none());
    }

    #[test]
    fn rates_repeat_with_the_seed() {
        let run = || {
            let mut e = engine(&["status=503:0.3"]);
            (0..200)
                .map(|_| e.decide("/x", false).fault.is_some())
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let hits = a.iter().filter(|h| **h).count();
        assert!((40..80).contains(&hits), "{hits}");
    }

    #[test]
    fn envelope_kinds_need_a_paginated_route() {
        let mut e = engine(&["next_loop"]);
        assert!(e.decide("/api/v1/campaigns", false).fault.is_none());
        assert!(e.decide("/api/v1/call_outcomes/", true).fault.is_some());
    }
}
