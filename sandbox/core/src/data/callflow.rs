//! The call status of a customer in a campaign, in O(1) from (seed, campaign, customer).

use crate::data::names::AGENTS;
use crate::data::rng::{tag, Draw};
use crate::dates::Date;

/// Call states, as Cube names them.
pub const CALL_STATES: &[&str] = &[
    "Ready",
    "Callback",
    "Done",
    "Not reached",
    "Busy",
    "Do not call",
];

#[derive(Clone, Debug)]
pub struct LastChange {
    pub user: &'static str,
    /// `YYYY-MM-DD HH:MM`
    pub when: String,
    pub cause: &'static str,
    pub alternative: &'static str,
    pub comment: &'static str,
}

#[derive(Clone, Debug)]
pub struct CallStatus {
    pub state: &'static str,
    pub attempts: i64,
    pub segment: &'static str,
    /// `None` for customers nobody has called yet.
    pub last_change: Option<LastChange>,
}

/// The state alone (cheap: used to filter on `call_state`).
pub fn state_of(seed: u64, campaign_id: u32, index: u32) -> &'static str {
    let mut d = Draw::new(&[seed, tag::CALLFLOW, campaign_id as u64, index as u64]);
    pick_state(&mut d)
}

fn pick_state(d: &mut Draw) -> &'static str {
    match d.below(100) {
        0..=34 => "Ready",
        35..=49 => "Callback",
        50..=74 => "Done",
        75..=89 => "Not reached",
        90..=95 => "Busy",
        _ => "Do not call",
    }
}

pub fn status(
    seed: u64,
    campaign_id: u32,
    index: u32,
    segments: &[&'static str],
    today: Date,
) -> CallStatus {
    let mut d = Draw::new(&[seed, tag::CALLFLOW, campaign_id as u64, index as u64]);
    let state = pick_state(&mut d);
    let segment = if segments.is_empty() {
        ""
    } else {
        *d.pick(segments)
    };
    let never_called = state == "Ready" && d.chance(70);
    if never_called {
        return CallStatus {
            state,
            attempts: 0,
            segment,
            last_change: None,
        };
    }
    let attempts = match state {
        "Done" | "Do not call" => d.range(1, 3),
        _ => d.range(1, 6),
    };
    let when = today.add_days(-d.range(0, 59));
    let (cause, comment) = match state {
        "Callback" => ("Callback scheduled", "Ring tilbake etter lunsj"),
        "Done" => ("Call outcome registered", ""),
        "Not reached" => ("No answer", ""),
        "Busy" => ("Line busy", ""),
        "Do not call" => ("Reserved against telemarketing", "Reservert"),
        _ => ("Returned to queue", ""),
    };
    CallStatus {
        state,
        attempts,
        segment,
        last_change: Some(LastChange {
            user: d.pick(AGENTS).0,
            when: format!("{when} {:02}:{:02}", d.range(8, 19), d.range(0, 59)),
            cause,
            alternative: if d.chance(20) { "Phone 2" } else { "" },
            comment,
        }),
    }
}
