//! The records module's allocator: Rust's usual wasm allocator (dlmalloc), but taking memory
//! from the engine in growing steps instead of one 64 KiB page at a time.
//!
//! A 100,000-record diff allocates hundreds of MiB in small pieces; each `memory.grow` costs
//! the engine time, so page-by-page growth made the first large call several times slower
//! than the next ones (BENCHMARKS.md §5, `cargo xtask bench`). Growing by at least half the current
//! memory makes that cost logarithmic. Used only by the records-only wasm build.
//!
//! It also remembers a failed allocation (the size asked for) before Rust's allocation-error
//! handler ends the call in an `unreachable` trap (`panic = "abort"`): the JS layer reads it
//! after the trap (`records_allocation_failure`) to tell `out_of_memory` from any other fault.
//! A test hook caps the bytes in use, so that tests run that real path without filling 4 GB.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::{Cell, UnsafeCell};
use dlmalloc::{Allocator, Dlmalloc};

const PAGE: usize = 65536;

/// One thread (wasm32 without threads): plain cells, never borrowed across a call.
struct Flags {
    /// The size of the last allocation refused since the module started; 0 when none.
    failed: Cell<usize>,
    /// Bytes allocated and not freed.
    live: Cell<usize>,
    /// At most this many bytes in use (the test hook); 0 for no cap but wasm32's.
    cap: Cell<usize>,
    /// The most bytes in use at once since the start or the last [`take_peak`].
    peak: Cell<usize>,
}

unsafe impl Sync for Flags {}

static FLAGS: Flags = Flags {
    failed: Cell::new(0),
    live: Cell::new(0),
    cap: Cell::new(0),
    peak: Cell::new(0),
};

/// Test hook: the most bytes in use at once since the last call (or the start); the count
/// starts again from the bytes in use now.
pub fn take_peak() -> usize {
    let peak = FLAGS.peak.get().max(FLAGS.live.get());
    FLAGS.peak.set(FLAGS.live.get());
    peak
}

fn set_live(bytes: usize) {
    FLAGS.live.set(bytes);
    if bytes > FLAGS.peak.get() {
        FLAGS.peak.set(bytes);
    }
}

/// The size of the allocation that failed (what ended the last call in a trap), or 0.
pub fn failed_allocation() -> usize {
    FLAGS.failed.get()
}

/// Test hook: refuse any allocation that would put more than `bytes` in use (0: no cap).
/// Returns the bytes in use now.
pub fn set_cap(bytes: usize) -> usize {
    FLAGS.cap.set(bytes);
    FLAGS.live.get()
}

/// Whether `more` bytes may be allocated (the test hook's cap).
fn allowed(more: usize) -> bool {
    let cap = FLAGS.cap.get();
    cap == 0 || FLAGS.live.get().saturating_add(more) <= cap
}

/// Counts an allocation of `size` bytes that succeeded, or notes the one that failed.
fn counted(ptr: *mut u8, size: usize) -> *mut u8 {
    if ptr.is_null() {
        FLAGS.failed.set(size.max(1));
    } else {
        set_live(FLAGS.live.get() + size);
    }
    ptr
}

struct GeometricPages;

unsafe impl Allocator for GeometricPages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let step = needed.max(wasm32::memory_size(0) / 2).max(16);
        for pages in [step, needed] {
            let previous = wasm32::memory_grow(0, pages);
            if previous != usize::MAX {
                return ((previous * PAGE) as *mut u8, pages * PAGE, 0);
            }
        }
        (core::ptr::null_mut(), 0, 0)
    }
    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }
    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }
    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }
    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        true
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Global(UnsafeCell<Dlmalloc<GeometricPages>>);

// wasm32 without threads: there is one thread, so no two calls overlap.
unsafe impl Sync for Global {}

unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = if allowed(layout.size()) {
            (*self.0.get()).malloc(layout.size(), layout.align())
        } else {
            core::ptr::null_mut()
        };
        counted(ptr, layout.size())
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = if allowed(layout.size()) {
            (*self.0.get()).calloc(layout.size(), layout.align())
        } else {
            core::ptr::null_mut()
        };
        counted(ptr, layout.size())
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        FLAGS.live.set(FLAGS.live.get() - layout.size());
        (*self.0.get()).free(ptr, layout.size(), layout.align())
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        let new = if allowed(new_size.saturating_sub(old)) {
            (*self.0.get()).realloc(ptr, old, layout.align(), new_size)
        } else {
            core::ptr::null_mut()
        };
        if new.is_null() {
            FLAGS.failed.set(new_size.max(1));
        } else {
            set_live(FLAGS.live.get() - old + new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Global = Global(UnsafeCell::new(Dlmalloc::new_with_allocator(
    GeometricPages,
)));
