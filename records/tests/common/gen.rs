//! A deterministic generator of Cube-like CRM records (shared by tests and the bench).

#![allow(dead_code)]

use cube_records::Record;
use serde_json::{json, Value};

/// xorshift64*: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FIRST: [&str; 8] = [
    "Ola", "Kari", "Åse", "Øystein", "Per", "Ærlig", "Liv", "Bjørn",
];
const LAST: [&str; 6] = ["Nordmann", "Ødegård", "Hansen", "Bakke", "Strøm", "Aas"];
const CITIES: [&str; 5] = ["Oslo", "Bergen", "Tromsø", "Ålesund", "Bodø"];

/// One record with 20 fields; `i` decides its id (`000042`).
pub fn record(i: u64, rng: &mut Rng) -> Record {
    let first = FIRST[rng.below(8) as usize];
    let last = LAST[rng.below(6) as usize];
    let mut r = json!({
        "crm__customer_id": format!("{i:06}"),
        "crm__standard_info__name": format!("{first} {last}"),
        "crm__standard_info__phone_1": format!("+47 9{:07}", rng.below(10_000_000)),
        "crm__standard_info__phone_2": if rng.below(3) == 0 { Value::from(format!("22{:06}", rng.below(1_000_000))) } else { Value::from("") },
        "crm__standard_info__phone_3": "",
        "crm__standard_info__email": format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase(), i),
        "crm__change_log__updated": format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        "crm__change_log__updated_by": "agent@example.com",
        "crm__change_log__update_method": "Import new",
    });
    let obj = r.as_object_mut().unwrap();
    for n in 0..11u64 {
        let v = match n % 4 {
            0 => Value::from(format!("Storgata {}", rng.below(200))),
            1 => Value::from(rng.below(100_000)),
            2 => Value::from(CITIES[rng.below(5) as usize]),
            _ => Value::from(""),
        };
        obj.insert(format!("crm__custom_info__{}", 64 + n), v);
    }
    obj.clone()
}

/// `n` records with ids `0..n`.
pub fn generate(n: u64, seed: u64) -> Vec<Record> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| record(i, &mut rng)).collect()
}

/// What [`mutate`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Expected {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// The "next sync" of `before`: every 50th record removed, every 7th changed (one field),
/// every 11th retyped loosely (`"…"` ↔ number, `""` ↔ `null`: no change when loose), and
/// one new record per 100.
pub fn mutate(before: &[Record], seed: u64) -> (Vec<Record>, Expected) {
    let mut rng = Rng::new(seed);
    let mut after = Vec::with_capacity(before.len() + before.len() / 100);
    let mut e = Expected::default();
    for (i, r) in before.iter().enumerate() {
        if i % 50 == 0 {
            e.removed += 1;
            continue;
        }
        let mut r = r.clone();
        if i % 7 == 0 {
            r.insert(
                "crm__standard_info__email".into(),
                Value::from(format!("changed{i}@example.com")),
            );
            e.changed += 1;
        } else {
            e.unchanged += 1;
        }
        if i % 11 == 0 {
            let n = r["crm__custom_info__65"].as_u64().unwrap();
            r.insert("crm__custom_info__65".into(), Value::from(n.to_string()));
            r.insert("crm__custom_info__67".into(), Value::Null);
        }
        after.push(r);
    }
    let n = before.len() as u64;
    for j in 0..n / 100 {
        after.push(record(n + j, &mut rng));
        e.added += 1;
    }
    (after, e)
}
