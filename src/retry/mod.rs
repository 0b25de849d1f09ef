//! What to retry and how long to wait: exponential backoff with jitter, `Retry-After`
//! honoured up to a cap. Pure decisions (the caller supplies the clock and the random
//! number), so every rule is unit-tested without a network.

mod http_date;
mod retry_after;

pub use retry_after::parse_retry_after;

use crate::config::limits_whole_number as whole_number;
use crate::errors::CubeError;

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff step; doubled each retry.
    pub base_delay_ms: u32,
    /// Largest backoff step.
    pub max_delay_ms: u32,
    /// A `Retry-After` longer than this is not waited for: the error is returned with
    /// `retry_after_ms` so the caller can schedule the work.
    pub max_retry_after_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay_ms: 300,
            max_delay_ms: 10_000,
            max_retry_after_ms: 60_000,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Wait this many milliseconds (backoff, or the server's `Retry-After`), then retry.
    RetryIn(u64),
    /// Stop: the error is not transient, or the retry budget is spent.
    GiveUp,
}

impl RetryPolicy {
    pub fn new(
        max_retries: Option<f64>,
        base_delay_ms: Option<f64>,
        max_retry_after_ms: Option<f64>,
    ) -> Result<RetryPolicy, CubeError> {
        let d = RetryPolicy::default();
        let base = whole_number("retryDelayMs", base_delay_ms, d.base_delay_ms, 0, 600_000)?;
        Ok(RetryPolicy {
            max_retries: whole_number("maxRetries", max_retries, d.max_retries, 0, 100)?,
            base_delay_ms: base,
            max_delay_ms: d.max_delay_ms.max(base),
            max_retry_after_ms: whole_number(
                "maxRetryAfterMs",
                max_retry_after_ms,
                d.max_retry_after_ms,
                0,
                86_400_000,
            )?,
        })
    }

    /// Backoff before retry number `retry` (0-based), with "equal jitter": half fixed, half
    /// random, so parallel clients spread out yet never retry at once. `random` in [0, 1).
    pub fn backoff_ms(&self, retry: u32, random: f64) -> u64 {
        let step = u64::from(self.base_delay_ms).saturating_mul(1u64 << retry.min(20));
        let step = step.min(u64::from(self.max_delay_ms));
        let half = step / 2;
        half + (random.clamp(0.0, 1.0) * (step - half) as f64) as u64
    }

    /// Whether to try again after `error` on attempt `attempt` (0 = first), and after how long.
    /// `retry_after` is the raw `Retry-After` header; `now_ms` the Unix time in ms.
    pub fn decide(
        &self,
        error: &CubeError,
        attempt: u32,
        retry_after: Option<&str>,
        now_ms: f64,
        random: f64,
        idempotent: bool,
    ) -> Decision {
        if !error.transient || attempt >= self.max_retries {
            return Decision::GiveUp;
        }
        // A non-idempotent request (legacy create) is retried only when the server said it did
        // not process it.
        if !idempotent && !matches!(error.status, Some(429) | Some(503)) {
            return Decision::GiveUp;
        }
        let backoff = self.backoff_ms(attempt, random);
        match retry_after.and_then(|h| parse_retry_after(h, now_ms)) {
            Some(wait) if wait > u64::from(self.max_retry_after_ms) => Decision::GiveUp,
            Some(wait) => Decision::RetryIn(wait.max(backoff.min(1_000))),
            None => Decision::RetryIn(backoff),
        }
    }
}

#[cfg(test)]
mod tests;
