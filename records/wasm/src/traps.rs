//! What the JS layer reads after a wasm trap in the records module, and the test hook that
//! makes one happen. A trap cannot be caught inside wasm: the module's allocator notes a
//! failed allocation first (see `allocator.rs`), and the JS layer asks for it to tell
//! `out_of_memory` from `internal`, then throws the instance away.

use crate::allocator;
use wasm_bindgen::prelude::*;

/// The size in bytes of the allocation that failed in this instance, or 0 when none did.
/// Called after a trap: it reads one number and allocates nothing.
#[wasm_bindgen]
pub fn records_allocation_failure() -> f64 {
    allocator::failed_allocation() as f64
}

/// Test hook, not part of the package's API: the allocator refuses any allocation that would
/// put more than `bytes` in use (0 lifts the cap), so that an allocation fails on the real
/// path. Returns the bytes in use now. A fresh instance starts without a cap.
#[wasm_bindgen(js_name = "__test_set_allocation_limit")]
pub fn test_set_allocation_limit(bytes: f64) -> f64 {
    allocator::set_cap(bytes.max(0.0) as usize) as f64
}

/// Test hook, not part of the package's API: the most bytes this instance had in use at once
/// since the last call (or its start); the count then starts again from the bytes in use now.
/// The memory tests read what a sync held at its peak with it.
#[wasm_bindgen(js_name = "__test_take_peak_bytes")]
pub fn test_take_peak_bytes() -> f64 {
    allocator::take_peak() as f64
}
