//! Numeric options with their defaults and bounds.

use crate::errors::CubeError;

#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Per attempt, response body included.
    pub timeout_ms: u32,
    /// Pages in flight at once in a multi-page read.
    pub concurrency: u32,
    /// Largest response body accepted.
    pub max_response_bytes: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_ms: 30_000,
            concurrency: 6,
            max_response_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A whole number option within `min..=max`; `None` keeps the default.
pub fn whole_number(
    name: &str,
    value: Option<f64>,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, CubeError> {
    let Some(v) = value else { return Ok(default) };
    if !v.is_finite() || v.fract() != 0.0 || v < f64::from(min) || v > f64::from(max) {
        return Err(CubeError::invalid_argument(
            name,
            format!("{name} must be a whole number from {min} to {max}, got {v}"),
        ));
    }
    Ok(v as u32)
}

impl Limits {
    pub fn new(
        timeout_ms: Option<f64>,
        concurrency: Option<f64>,
        max_response_bytes: Option<f64>,
    ) -> Result<Limits, CubeError> {
        let d = Limits::default();
        Ok(Limits {
            timeout_ms: whole_number("timeoutMs", timeout_ms, d.timeout_ms, 1, 3_600_000)?,
            concurrency: whole_number("concurrency", concurrency, d.concurrency, 1, 64)?,
            max_response_bytes: whole_number(
                "maxResponseBytes",
                max_response_bytes,
                d.max_response_bytes,
                1024,
                1 << 30,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(Limits::new(None, None, None).unwrap(), Limits::default());
        assert_eq!(
            Limits::new(Some(500.0), Some(2.0), None)
                .unwrap()
                .concurrency,
            2
        );
        for (t, c) in [
            (Some(0.0), None),
            (Some(1.5), None),
            (Some(f64::NAN), None),
            (None, Some(0.0)),
            (None, Some(65.0)),
        ] {
            let e = Limits::new(t, c, None).unwrap_err();
            assert!(e.param.is_some());
        }
        let e = Limits::new(None, Some(-1.0), None).unwrap_err();
        assert_eq!(e.param.as_deref(), Some("concurrency"));
        assert!(e.message.contains("concurrency"));
    }
}
