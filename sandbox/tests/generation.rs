//! The generated tenant: id round trips, O(1) lookups, shares, determinism.

use cube_sandbox::data::customers::{customer_id, generate, index_of};
use cube_sandbox::data::tenant::{CrmType, Tenant};
use cube_sandbox::dates::Date;
use cube_sandbox::Config;

fn tenant(customers: u32) -> Tenant {
    let config = Config {
        customers,
        ..Config::default()
    };
    Tenant::build(&config.generation(), Date::parse_iso("2026-11-28").unwrap())
}

#[test]
fn customer_ids_round_trip_and_keep_leading_zeros() {
    let t = tenant(50_000);
    let crm = t.crm(2, CrmType::B2B).unwrap();
    let mut padded = 0;
    let mut anonymized = 0;
    for i in 0..50_000 {
        let c = generate(&t, crm, i);
        if c.anonymized {
            anonymized += 1;
            assert_eq!(c.id, "");
            assert_eq!(c.name, "Anonymized");
            assert_eq!(index_of(&t, crm, &customer_id(&t, crm, i)), None);
            continue;
        }
        assert_eq!(index_of(&t, crm, &c.id), Some(i), "{}", c.id);
        if c.id.starts_with('0') {
            padded += 1;
            let unpadded = c.id.trim_start_matches('0');
            assert_ne!(index_of(&t, crm, unpadded), Some(i));
        }
    }
    assert!((8_000..12_000).contains(&padded), "{padded}");
    assert!((600..1_400).contains(&anonymized), "{anonymized}");
    assert_eq!(index_of(&t, crm, "100000"), None);
    assert_eq!(index_of(&t, crm, "150001"), None, "past the end");
    assert_eq!(index_of(&t, crm, "abc"), None);
}

#[test]
fn huge_crms_cost_nothing_up_front() {
    // The contract is O(1) per customer, nothing generated up front. Building 50 million of
    // anything (even at 1 µs each) takes far over a minute, so 20 s only fails an eager
    // tenant, never a lazy one on a busy machine running other tests in a debug build.
    let started = std::time::Instant::now();
    let t = tenant(50_000_000);
    let crm = t.crm(3, CrmType::B2C).unwrap();
    let last = generate(&t, crm, 49_999_999);
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    if !last.anonymized {
        assert_eq!(index_of(&t, crm, &last.id), Some(49_999_999));
    }
}

#[test]
fn campaigns_are_found_by_id() {
    let t = tenant(2000);
    assert_eq!(t.campaigns.len(), 12);
    for c in &t.campaigns {
        assert_eq!(t.campaign(c.id).map(|k| k.id), Some(c.id));
        assert!(c.lo + c.len <= 2000 && c.len >= 800 && c.len <= 1400);
    }
    for missing in [0, 1, 100, 105, 199, 401, 10_001] {
        assert!(t.campaign(missing).is_none(), "{missing}");
    }
    let of_2: Vec<u32> = t.campaigns_of(2).map(|c| c.id).collect();
    assert_eq!(of_2, [201, 202, 203, 204]);
    assert_eq!(t.campaigns_of(9).count(), 0);
}

#[test]
fn generation_is_deterministic() {
    let a = tenant(100);
    let b = tenant(100);
    let crm_a = a.crm(1, CrmType::B2C).unwrap();
    let crm_b = b.crm(1, CrmType::B2C).unwrap();
    for i in 0..100 {
        let (x, y) = (generate(&a, crm_a, i), generate(&b, crm_b, i));
        assert_eq!(
            (x.id, x.name, x.phones, x.custom),
            (y.id, y.name, y.phones, y.custom)
        );
    }
}
