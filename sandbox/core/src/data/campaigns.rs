//! Campaigns: generated per data owner, mixing active, archived and loosely typed ones.

use crate::data::rng::{tag, Draw};
use crate::data::tenant::{CrmType, SERVICES};
use crate::dates::Date;

/// A loose-typed value as the API gives it: a date string, `""`, or `null`.
#[derive(Clone, Debug, PartialEq)]
pub enum LooseDate {
    Date(Date),
    Empty,
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LooseBool {
    True,
    False,
    Empty,
}

#[derive(Clone, Debug)]
pub struct Campaign {
    pub id: u32,
    pub name: String,
    pub owner_id: u32,
    pub crm_type: CrmType,
    /// Index into [`SERVICES`].
    pub service: usize,
    pub is_active: LooseBool,
    pub start_date: LooseDate,
    pub end_date: LooseDate,
    pub archived_date: LooseDate,
    pub segments: Vec<&'static str>,
    /// The campaign's customers: indices `lo..lo+len` of its CRM.
    pub lo: u32,
    pub len: u32,
}

impl Campaign {
    pub fn service_name(&self) -> &'static str {
        SERVICES[self.service].1
    }
    pub fn service_id(&self) -> u32 {
        SERVICES[self.service].0
    }
    pub fn covers(&self, index: u32) -> bool {
        index >= self.lo && index - self.lo < self.len
    }
}

const SEGMENTS: &[&str] = &[
    "Existing customers",
    "Lapsed customers",
    "Leads Oslo",
    "Leads Vestland",
    "Nord-Norge",
    "Priority",
];

const CAMPAIGN_TOPICS: &[(&str, &str, &str)] = &[
    ("Product sales", "Strøm", "vinter"),
    ("Meetings", "Møtebooking", "bedrift"),
    ("Survey", "Kundetilfredshet", "høst"),
    ("Product sales", "Mobil mersalg", "Q4"),
];

pub fn build_campaign(seed: u64, owner: u32, k: u32, n: u32, today: Date) -> Campaign {
    let mut d = Draw::new(&[seed, tag::CAMPAIGN, owner as u64, k as u64]);
    let (service_name, topic, season) = CAMPAIGN_TOPICS[(k as usize - 1) % CAMPAIGN_TOPICS.len()];
    let service = SERVICES
        .iter()
        .position(|(_, s)| *s == service_name)
        .unwrap_or(0);
    let crm_type = if k % 2 == 1 {
        CrmType::B2C
    } else {
        CrmType::B2B
    };
    let (y, _, _) = today.ymd();
    let round = (k - 1) / CAMPAIGN_TOPICS.len() as u32;
    let name = if round == 0 {
        format!("{topic} {season} {y}")
    } else {
        format!("{topic} {season} {y} ({})", round + 1)
    };
    let (is_active, start_date, end_date, archived_date) = state(&mut d, k, today);
    let segment_count = 2 + d.below(3) as usize;
    let first_segment = d.below(SEGMENTS.len() as u64) as usize;
    let segments = (0..segment_count)
        .map(|s| SEGMENTS[(first_segment + s) % SEGMENTS.len()])
        .collect();
    let len = if n == 0 {
        0
    } else {
        ((n as u64 * (40 + d.below(31)) / 100) as u32).clamp(1, n)
    };
    let lo = d.below((n - len + 1) as u64) as u32;
    Campaign {
        id: owner * 100 + k,
        name,
        owner_id: owner,
        crm_type,
        service,
        is_active,
        start_date,
        end_date,
        archived_date,
        segments,
        lo,
        len,
    }
}

/// The `k`th campaign's `is_active` and its start, end and archived dates: by `k % 4`, active
/// with an end, active without one, archived, or with none of them set.
fn state(d: &mut Draw, k: u32, today: Date) -> (LooseBool, LooseDate, LooseDate, LooseDate) {
    let start = today.add_days(-(70 + d.range(0, 120)));
    match k % 4 {
        1 => (
            LooseBool::True,
            LooseDate::Date(start),
            LooseDate::Date(today.add_days(30 + d.range(0, 90))),
            LooseDate::Null,
        ),
        2 => (
            LooseBool::True,
            LooseDate::Date(start),
            LooseDate::Empty,
            LooseDate::Null,
        ),
        3 => {
            let archived = today.add_days(-d.range(1, 20));
            (
                LooseBool::False,
                LooseDate::Date(start),
                LooseDate::Date(archived),
                LooseDate::Date(archived),
            )
        }
        _ => (
            LooseBool::Empty,
            LooseDate::Empty,
            LooseDate::Empty,
            LooseDate::Null,
        ),
    }
}
