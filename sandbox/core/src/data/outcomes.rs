//! Call outcomes and product registrations: outcome j of a campaign is computed in O(1)
//! and outcomes are ordered in time by j, so a date range is a range of j.

use std::ops::Range;

use crate::data::names::AGENTS;
use crate::data::rng::{tag, Draw};
use crate::data::tenant::Campaign;
use crate::dates::Date;

/// Outcomes are spread over this many days up to and including today.
pub const SPAN_DAYS: i64 = 60;

#[derive(Clone, Debug)]
pub struct Product {
    pub code: &'static str,
    pub title: &'static str,
    pub price: f64,
    pub delivery: &'static str,
}

pub const PRODUCTS: &[(&str, &str, f64)] = &[
    ("STROM-FAST12", "Fastpris strøm 12 mnd", 499.0),
    ("STROM-SPOT", "Spotpris med påslag", 39.5),
    ("MOBIL-10GB", "Mobilabonnement 10 GB", 299.0),
    ("FIBER-500", "Fiber 500/500", 699.0),
    ("ALARM-BASIS", "Boligalarm basis", 349.5),
];

#[derive(Clone, Debug)]
pub struct Outcome {
    pub j: u32,
    /// Index of the customer in the campaign's CRM.
    pub customer: u32,
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    pub outcome_type: &'static str,
    pub subtype: &'static str,
    pub comment: &'static str,
    pub submitted_by: &'static str,
    pub team: &'static str,
    pub segment: &'static str,
    /// (label, value) pairs: `call_outcome__extra__<label>`.
    pub extra: Vec<(&'static str, String)>,
    pub product: Option<Product>,
}

impl Outcome {
    /// `YYYY-MM-DD HH:MM`
    pub fn submitted_when(&self) -> String {
        format!("{} {:02}:{:02}", self.date, self.hour, self.minute)
    }

    /// ISO 8601 with Oslo's offset, e.g. `2020-02-12T10:27:06.477+0100`.
    pub fn submitted_timestamp(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}.{:03}+0{}00",
            self.date,
            self.hour,
            self.minute,
            self.second,
            self.millis,
            crate::dates::oslo_offset_hours(self.date)
        )
    }

    /// Sort key: time of day within the whole span.
    pub fn sort_key(&self) -> (Date, u32, u32, u32) {
        (
            self.date,
            self.hour * 60 + self.minute,
            self.second,
            self.millis,
        )
    }
}

fn first_of_day(day: i64, n: u32) -> u32 {
    ((day * n as i64 + SPAN_DAYS - 1) / SPAN_DAYS) as u32
}

/// Outcomes of a campaign between two dates (inclusive): a range of j.
pub fn range_between(today: Date, n: u32, from: Date, to: Date) -> Range<u32> {
    let start = today.add_days(-(SPAN_DAYS - 1));
    let lo_day = (from.0 - start.0).clamp(0, SPAN_DAYS);
    let hi_day = (to.0 - start.0 + 1).clamp(0, SPAN_DAYS);
    if hi_day <= lo_day {
        return 0..0;
    }
    first_of_day(lo_day, n)..first_of_day(hi_day, n)
}

/// Outcome j of a campaign (`n` outcomes in all). `None` when the campaign has no customers.
pub fn outcome(seed: u64, today: Date, campaign: &Campaign, n: u32, j: u32) -> Option<Outcome> {
    if campaign.len == 0 {
        return None;
    }
    let mut d = Draw::new(&[seed, tag::OUTCOME, campaign.id as u64, j as u64]);
    let day = j as i64 * SPAN_DAYS / n as i64;
    let first = first_of_day(day, n);
    let per_day = first_of_day(day + 1, n) - first;
    let slot = 720 / per_day.max(1);
    let minute_of_day = 8 * 60 + (j - first) * slot + d.below(slot.max(1) as u64) as u32;
    let (agent, team) = *d.pick(AGENTS);
    let service = campaign.service_name();
    let (outcome_type, subtype, comment) = pick_type(&mut d, service);
    let extra = extra(&mut d, today, service, outcome_type);
    let product = product(&mut d, outcome_type);
    Some(Outcome {
        j,
        customer: campaign.lo + d.below(campaign.len as u64) as u32,
        date: today.add_days(day - (SPAN_DAYS - 1)),
        hour: minute_of_day / 60,
        minute: minute_of_day % 60,
        second: d.below(60) as u32,
        millis: d.below(1000) as u32,
        outcome_type,
        subtype,
        comment,
        submitted_by: agent,
        team,
        segment: if campaign.segments.is_empty() {
            ""
        } else {
            d.pick_copy(&campaign.segments)
        },
        extra,
        product,
    })
}

/// The service's own field of an outcome: the contract length of a sale, the date of a
/// booked meeting, a completed survey's satisfaction.
fn extra(
    d: &mut Draw,
    today: Date,
    service: &str,
    outcome_type: &str,
) -> Vec<(&'static str, String)> {
    match service {
        "Product sales" => vec![(
            "Contract length",
            d.pick(&["12 months", "24 months", ""]).to_string(),
        )],
        "Meetings" => vec![(
            "Meeting date",
            if outcome_type == "Meeting booked" {
                today.add_days(d.range(1, 30)).to_string()
            } else {
                String::new()
            },
        )],
        _ => vec![(
            "Satisfaction",
            if outcome_type == "Completed" {
                d.range(1, 10).to_string()
            } else {
                String::new()
            },
        )],
    }
}

/// The product a sale registers; none for another outcome.
fn product(d: &mut Draw, outcome_type: &str) -> Option<Product> {
    (outcome_type == "Sale").then(|| {
        let (code, title, price) = *d.pick(PRODUCTS);
        Product {
            code,
            title,
            price,
            delivery: d.pick_copy(&["Post", "E-post", "Hentes"]),
        }
    })
}

fn pick_type(d: &mut Draw, service: &str) -> (&'static str, &'static str, &'static str) {
    let roll = d.below(100);
    let not_reached = *d.pick(&["No answer", "Busy", "Voicemail"]);
    match service {
        "Product sales" => match roll {
            0..=34 => (
                "Sale",
                *d.pick(&["New customer", "Upgrade"]),
                "Kunden var fornøyd",
            ),
            35..=64 => (
                "No sale",
                *d.pick(&["Too expensive", "Has a contract", "Not interested"]),
                "",
            ),
            65..=84 => ("Not reached", not_reached, ""),
            _ => ("Callback", "Call later", "Ring igjen på fredag"),
        },
        "Meetings" => match roll {
            0..=29 => (
                "Meeting booked",
                *d.pick(&["Physical meeting", "Video meeting"]),
                "Møte avtalt",
            ),
            30..=64 => ("No meeting", "Not interested", ""),
            65..=84 => ("Not reached", not_reached, ""),
            _ => ("Callback", "Call later", ""),
        },
        _ => match roll {
            0..=49 => ("Completed", *d.pick(&["Full", "Partial"]), ""),
            50..=69 => ("Refused", "Not interested", ""),
            _ => ("Not reached", not_reached, ""),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_ranges_partition_the_outcomes() {
        let today = Date::parse_iso("2026-11-28").unwrap();
        let n = 300;
        let all = range_between(today, n, today.add_days(-100), today);
        assert_eq!(all, 0..n);
        let mut covered = 0;
        for day in 0..SPAN_DAYS {
            let date = today.add_days(day - (SPAN_DAYS - 1));
            let r = range_between(today, n, date, date);
            assert_eq!(r.start, covered);
            covered = r.end;
        }
        assert_eq!(covered, n);
        assert_eq!(
            range_between(today, n, today.add_days(1), today.add_days(5)),
            0..0
        );
    }
}
