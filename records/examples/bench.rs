//! Benchmark (not a test): diff of two 100k-record sets, sync through a JSON snapshot,
//! CSV and XLSX of 100k rows. Prints time and peak heap memory (counting allocator).
//!
//! `cargo run -p cube-records --release --example bench [-- N]`

#[path = "../tests/common/gen.rs"]
mod gen;

use cube_records::{
    diff, parse_records, parse_text_records, sync, to_csv, to_xlsx, CsvOptions, Diff, DiffOptions,
    LongCells, Record, Snapshot, SnapshotStore, SyncSource, SyncStream, XlsxOptions,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// Runs `f`, returns its result and prints time, peak heap above the start, and a note.
fn measure<T>(name: &str, f: impl FnOnce() -> T, note: impl FnOnce(&T) -> String) -> T {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let t = Instant::now();
    let out = f();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let peak = PEAK.load(Relaxed) - base;
    println!(
        "| {name:<38} | {ms:>9.1} | {:>13.1} | {:<30} |",
        mib(peak),
        note(&out)
    );
    out
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let base = LIVE.load(Relaxed);
    let before = gen::generate(n, 42);
    let (after, _) = gen::mutate(&before, 7);
    println!(
        "{n} records × 20 fields; the two inputs take {:.1} MiB of heap\n",
        mib(LIVE.load(Relaxed) - base)
    );
    println!(
        "| {:<38} | {:>9} | {:>13} | {:<30} |",
        "step", "time (ms)", "peak +MiB", "result"
    );
    println!("|{:-<40}|{:->11}|{:->15}|{:-<32}|", "", "", "", "");
    diffs(&before, &after);
    reads(&before, &after);
    array_sync(&before, &after);
    streaming_sync(&before, &after);
    files(&after);
}

/// `+added -removed ~changed =unchanged`.
fn counts<R: Clone>(d: &Diff<'_, R>) -> String {
    format!(
        "+{} -{} ~{} ={}",
        d.added.len(),
        d.removed.len(),
        d.changed.len(),
        d.unchanged
    )
}

/// `+added -removed ~changed`.
fn changes<R: Clone>(d: &Diff<'_, R>) -> String {
    format!(
        "+{} -{} ~{}",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    )
}

/// The diff of decoded records, loose and strict.
fn diffs(before: &[Record], after: &[Record]) {
    let opts = DiffOptions::default();
    measure(
        "diff (loose)",
        || diff(before, after, &opts).unwrap(),
        counts,
    );
    let strict = DiffOptions {
        loose: false,
        ..DiffOptions::default()
    };
    measure(
        "diff (strict)",
        || diff(before, after, &strict).unwrap(),
        counts,
    );
}

/// What the JS entry point does: read both inputs from JSON text (decoded, or raw), then
/// diff.
fn reads(before: &[Record], after: &[Record]) {
    let opts = DiffOptions::default();
    let (btext, atext) = (
        serde_json::to_string(before).unwrap(),
        serde_json::to_string(after).unwrap(),
    );
    let decoded = measure(
        "read both as decoded maps",
        || {
            (
                parse_records(&btext).unwrap(),
                parse_records(&atext).unwrap(),
            )
        },
        |_| String::new(),
    );
    drop(decoded);
    let raw = measure(
        "read both as raw records",
        || {
            (
                parse_text_records(&btext).unwrap(),
                parse_text_records(&atext).unwrap(),
            )
        },
        |_| String::new(),
    );
    measure(
        "diff of raw records (loose)",
        || diff(&raw.0, &raw.1, &opts).unwrap(),
        |d| format!("~{}", d.changed.len()),
    );
}

/// The array sync through a snapshot and its JSON text.
fn array_sync(before: &[Record], after: &[Record]) {
    let opts = DiffOptions::default();
    let (_, snap) = measure(
        "sync, first run (snapshot)",
        || sync(None, before, &opts).unwrap(),
        |_| String::new(),
    );
    let json = measure(
        "snapshot to JSON text",
        || serde_json::to_string(&snap).unwrap(),
        |j| format!("{:.1} MiB JSON", mib(j.len())),
    );
    drop(snap);
    let snap: Snapshot = measure(
        "snapshot from JSON text",
        || serde_json::from_str(&json).unwrap(),
        |_| String::new(),
    );
    measure(
        "sync, next run (diff vs snapshot)",
        || sync(Some(snap), after, &opts).unwrap(),
        |(d, _)| changes(d),
    );
}

/// The streaming sync: pages of 500 as JSON text (as they come from the wire).
fn streaming_sync(before: &[Record], after: &[Record]) {
    let opts = DiffOptions::default();
    let pages = |records: &[Record]| -> Vec<String> {
        records
            .chunks(500)
            .map(|c| serde_json::to_string(c).unwrap())
            .collect()
    };
    let (first_pages, next_pages) = (pages(before), pages(after));
    let stream = |previous: Option<Vec<u8>>, pages: &[String]| {
        let mut s = SyncStream::new(
            previous,
            opts.clone(),
            SnapshotStore::Values,
            SyncSource::default(),
        )
        .unwrap();
        for p in pages {
            s.push_json(p).unwrap();
        }
        s.finish().unwrap()
    };
    let (_, first) = measure(
        "streaming sync, first run",
        || stream(None, &first_pages),
        |(_, b)| format!("{:.1} MiB snapshot", mib(b.len())),
    );
    measure(
        "  of which: read the pages (raw)",
        || {
            next_pages
                .iter()
                .map(|p| parse_text_records(p).unwrap().len())
                .sum::<usize>()
        },
        |n| format!("{n} records"),
    );
    measure(
        "streaming sync, next run",
        || stream(Some(first.clone()), &next_pages),
        |(d, _)| changes(d),
    );
}

/// CSV and XLSX of `records`.
fn files(records: &[Record]) {
    measure(
        "csv (; + BOM)",
        || {
            to_csv(
                records,
                &CsvOptions {
                    delimiter: ';',
                    bom: true,
                    columns: None,
                    formula_guard: true,
                },
                None,
            )
            .unwrap()
        },
        |b| format!("{:.1} MiB", mib(b.len())),
    );
    measure(
        "xlsx",
        || to_xlsx(records, &XlsxOptions::default(), None, LongCells::Refuse).unwrap(),
        |b| format!("{:.1} MiB", mib(b.len())),
    );
}
