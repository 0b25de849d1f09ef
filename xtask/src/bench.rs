//! `cargo xtask bench`: the package against what a user would write by hand, in one run,
//! printed as tables (and saved to target/bench-results.md). Not a test: numbers, no verdicts.
//! `cargo xtask bench nightly` runs only the end-to-end nightly sync table; `cargo xtask bench
//! cli` only the command line's ndjson memory table; `cargo xtask bench sandbox` only the
//! sandbox's tables (the native server alone, its three edges side by side, the sizes);
//! `cargo xtask bench scale [--big]` only the nightly sync at 100,000 and 1,000,000 customers
//! (and 3,000,000 with `--big`), in Node then in headless Chromium; `cargo xtask bench
//! scale-browser` only its Chromium part.

use crate::build;
use crate::process::{cargo, root, run, step, Result};
use crate::sandbox::Running;
use crate::tools::{self, WASM_BINDGEN_VERSION};
use std::path::Path;
use std::process::{Command, Stdio};

fn node_output(args: &[&str]) -> Result<String> {
    node(args, Stdio::piped())
}

/// `node ARGS`, its stdout returned (and printed); stderr piped into the error, or inherited
/// (progress shown live).
fn node(args: &[&str], stderr: Stdio) -> Result<String> {
    println!("$ node {}", args.join(" "));
    let out = Command::new("node")
        .args(args)
        .current_dir(root())
        .stderr(stderr)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    Ok(text)
}

fn release_sandbox() -> Result<std::path::PathBuf> {
    step("building the sandbox in release mode");
    run(cargo()
        .args(["build", "--release", "-p", "cube-sandbox"])
        .current_dir(root()))?;
    Ok(root().join("target/release/cube-sandbox"))
}

/// 6. The nightly sync end to end (bench/nightly.mjs): its tables, in Node and in Chromium.
fn nightly(sandbox_bin: &Path, runs: &str) -> Result<String> {
    let root = root();
    let (bench_dir, pkg_dir) = (root.join("bench"), root.join("pkg"));
    let sandbox = Running::start_binary(
        sandbox_bin,
        &[
            "--customers",
            "100000",
            "--static-dir",
            &bench_dir.to_string_lossy(),
            "--pkg-dir",
            &pkg_dir.to_string_lossy(),
        ],
    )?;
    step("6. the nightly sync end to end: 100,000 customers, 1,000 edited (Node processes, then Chromium)");
    node(&["bench/nightly.mjs", &sandbox.url, runs], Stdio::inherit())
}

/// Section 7, the command line: peak RSS of `cube customers --format ndjson` at 10k, 100k
/// and 1M customers (bench/cli-memory.mjs), one CLI process per run.
fn cli_memory(sandbox_bin: &Path, runs: &str) -> Result<String> {
    let sandbox = Running::start_binary(sandbox_bin, &["--customers", "1000000"])?;
    step("7. the command line: ndjson of 10,000 / 100,000 / 1,000,000 customers, peak RSS");
    node(
        &["bench/cli-memory.mjs", &sandbox.url, runs],
        Stdio::inherit(),
    )
}

/// Section 9, the nightly sync at scale (bench/scale.mjs): the wire, the package's API, the
/// command line and hand-written JS, first / baseline / steady nights, at 100,000 and
/// 1,000,000 customers (3,000,000 with `big`). The script starts a sandbox of each size itself.
fn scale(sandbox_bin: &Path, runs: &str, big: bool) -> Result<String> {
    step(&format!(
        "9. the nightly sync at scale: 100,000 / 1,000,000{} customers, one process per run",
        if big { " / 3,000,000" } else { "" }
    ));
    let bin = sandbox_bin.to_string_lossy();
    let mut args = vec!["bench/scale.mjs", &bin, "100000,1000000", runs];
    if big {
        args.push("--big");
    }
    node(&args, Stdio::inherit())
}

/// Section 9b, the same nightly sync in headless Chromium (bench/scale-browser.mjs): baseline
/// and steady nights at 100,000 and 1,000,000 customers, the state and the report in OPFS;
/// time, wasm memory of each module (the target: ≤ 150 MB), JS heap, what was found. The
/// script starts a sandbox of each size itself (serving the page and pkg/).
fn scale_browser(sandbox_bin: &Path, runs: &str) -> Result<String> {
    step("9b. the nightly sync at scale in headless Chromium: 100,000 / 1,000,000 customers, state in OPFS");
    let bin = sandbox_bin.to_string_lossy();
    node(
        &["bench/scale-browser.mjs", &bin, "100000,1000000", runs],
        Stdio::inherit(),
    )
}

/// The native sandbox alone (sandbox-bench, 4 clients, 3 s per endpoint), as a report section.
fn sandbox_alone() -> Result<String> {
    step("0. the sandbox alone: 500-record pages/s (it must never be the bottleneck)");
    let out = Command::new(root().join("target/release/sandbox-bench"))
        .args(["--seconds", "3", "--clients", "4"])
        .output()
        .map_err(|e| format!("sandbox-bench: {e}"))?;
    let sandbox_table = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{sandbox_table}");
    Ok(format!(
        "\n### The sandbox alone (sandbox-bench, 4 clients)\n\n```\n{}```\n",
        sandbox_table
    ))
}

/// Section 8, the sandbox's edges (bench/sandbox-edges.mjs): one client reading 200 pages of
/// 500 from the native server, `npx cube-integration sandbox` and `createSandbox()`.
fn sandbox_edges(native_url: &str, runs: &str) -> Result<String> {
    step("8. the sandbox's edges: native server, Node http edge, in-process createSandbox()");
    node_output(&["bench/sandbox-edges.mjs", native_url, runs])
}

/// The report's first lines: the machine, the tools, the date.
fn header() -> String {
    format!(
        "## Benchmarks\n\nmachine: {} cores, {}; node {}; wasm-bindgen {WASM_BINDGEN_VERSION}; date: {}\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| m.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())).map(|kb| format!("{} GiB RAM", kb.parse::<u64>().unwrap_or(0) / 1024 / 1024)).unwrap_or_default(),
        crate::process::output("node", &["--version"]).unwrap_or_default().trim(),
        crate::process::output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default().trim(),
    )
}

fn save(report: &str, file: &str) -> Result {
    let path = root().join("target").join(file);
    std::fs::write(&path, report).map_err(|e| e.to_string())?;
    println!("\nsaved to {}", path.display());
    Ok(())
}

pub fn run_all(args: &[String]) -> Result {
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "5".into());
    match args.first().map(String::as_str) {
        Some("cli") => only_cli(&runs),
        Some(only @ ("scale" | "scale-browser")) => {
            // Fewer runs by default: a run at 1,000,000 customers takes up to minutes.
            let runs = if args.iter().any(|a| a == "--runs") {
                runs
            } else {
                "3".into()
            };
            only_scale(
                &runs,
                only == "scale-browser",
                args.iter().any(|a| a == "--big"),
            )
        }
        Some("sandbox") => only_sandbox(&runs),
        only => {
            tools::setup(tools::Need::ALL)?; // Chromium too: the nightly sync has browser rows
            build::package()?;
            if only == Some("nightly") {
                let report = header() + &nightly(&release_sandbox()?, &runs)?;
                return save(&report, "bench-nightly.md");
            }
            every_section(&runs)
        }
    }
}

/// `cargo xtask bench cli`: section 7 alone.
fn only_cli(runs: &str) -> Result {
    tools::setup(tools::Need::BUILD)?;
    build::package()?;
    let report = header() + &cli_memory(&release_sandbox()?, runs)?;
    save(&report, "bench-cli.md")
}

/// `cargo xtask bench scale [--big]` (sections 9 and 9b) or `scale-browser` (9b alone).
fn only_scale(runs: &str, browser_only: bool, big: bool) -> Result {
    tools::setup(tools::Need::ALL)?; // Chromium: the scale section has browser rows
    build::package()?;
    let sandbox_bin = release_sandbox()?;
    if browser_only {
        let report = header() + &scale_browser(&sandbox_bin, runs)?;
        return save(&report, "bench-scale-browser.md");
    }
    let report = header() + &scale(&sandbox_bin, runs, big)? + &scale_browser(&sandbox_bin, runs)?;
    save(&report, "bench-scale.md")
}

/// `cargo xtask bench sandbox`: the sandbox alone, its edges, the sizes.
fn only_sandbox(runs: &str) -> Result {
    tools::setup(tools::Need::BUILD)?;
    build::package()?;
    let sandbox_bin = release_sandbox()?;
    let mut report = header() + &sandbox_alone()?;
    let sandbox = Running::start_binary(&sandbox_bin, &["--customers", "100000"])?;
    report += &sandbox_edges(&sandbox.url, runs)?;
    drop(sandbox);
    report += &published_size(
        "4. published size (the sandbox module and the tarball with and without it)",
    )?;
    save(&report, "bench-sandbox.md")
}

/// Section 4, the published size (bench/size.mjs), under the step title `title`.
fn published_size(title: &str) -> Result<String> {
    step(title);
    node_output(&["bench/size.mjs", &root().join("pkg").to_string_lossy()])
}

/// `cargo xtask bench`: every section, the package already built.
fn every_section(runs: &str) -> Result {
    let engine = bench_engine()?;
    let sandbox_bin = release_sandbox()?;

    let mut report = header();
    report += &sandbox_alone()?;
    {
        let sandbox = Running::start_binary(&sandbox_bin, &["--customers", "100000"])?;
        step("1. full sync of 100,000 customers");
        report += &node_output(&["bench/sync.mjs", &sandbox.url, runs])?;
        step("2. per-page cost: bytes → JS records");
        report += &node_output(&["bench/parse.mjs", &sandbox.url, &engine.to_string_lossy()])?;
        report += &sandbox_edges(&sandbox.url, runs)?;
    }
    report += &memory(&sandbox_bin, runs)?;
    report += &round_trip()?;
    report += &nightly(&sandbox_bin, runs)?;
    report += &cli_memory(&sandbox_bin, runs)?;
    report += &published_size("4. published size")?;
    save(&report, "bench-results.md")
}

/// The benchmark engine (feature `bench`: both parse strategies) as a Node module: its
/// `engine.js`.
fn bench_engine() -> Result<std::path::PathBuf> {
    let root = root();
    step("building the benchmark engine (feature `bench`: both parse strategies)");
    run(cargo()
        .args([
            "build",
            "--lib",
            "-p",
            "cube-integration",
            "--features",
            "bench",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--target-dir",
            "target/bench",
        ])
        .current_dir(&root))?;
    let engine_dir = root.join("target/bench/pkg");
    run(Command::new("wasm-bindgen")
        .args(["--target", "nodejs", "--out-name", "engine", "--out-dir"])
        .arg(&engine_dir)
        .arg(root.join("target/bench/wasm32-unknown-unknown/wasm-release/cube_integration.wasm")))?;
    std::fs::write(
        engine_dir.join("package.json"),
        "{ \"type\": \"commonjs\" }\n",
    )
    .map_err(|e| e.to_string())?;
    Ok(engine_dir.join("engine.js"))
}

/// A number member of a benchmark script's JSON output line (`key` with its quotes and colon).
fn number_after(out: &str, key: &str) -> f64 {
    out.split(key)
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// Section 3, memory (bench/memory.mjs): peak RSS reading 200,000 customers in each mode, one
/// process per run.
fn memory(sandbox_bin: &Path, runs: &str) -> Result<String> {
    let sandbox = Running::start_binary(sandbox_bin, &["--customers", "200000"])?;
    step("3. memory: streaming vs toArray over 200,000 customers (one process per run)");
    let n: usize = runs.parse().unwrap_or(5);
    let mut rows = format!("\n### Peak RSS reading 200,000 customers (Node, one process per run, {n} runs)\n\n| mode | records | RSS before (MB) | median growth (MB) | range (MB) |\n|---|---|---|---|---|\n");
    for mode in ["stream", "toArray", "plain-stream", "plain-parallel-stream"] {
        let mut growth = Vec::new();
        let (mut count, mut before) = (f64::NAN, f64::NAN);
        for _ in 0..n {
            let out = node_output(&["--expose-gc", "bench/memory.mjs", &sandbox.url, mode])?;
            count = number_after(&out, "\"count\":");
            before = number_after(&out, "\"baselineMB\":");
            growth.push(number_after(&out, "\"peakMB\":") - before);
        }
        growth.sort_by(f64::total_cmp);
        rows += &format!(
            "| {mode} | {count} | {before:.0} | {:.0} | {:.0}–{:.0} |\n",
            growth[growth.len() / 2],
            growth[0],
            growth[growth.len() - 1]
        );
    }
    println!("{rows}");
    Ok(rows)
}

/// Section 5, the round trip at 100,000 records (bench/roundtrip.mjs), one process per mode.
fn round_trip() -> Result<String> {
    step("5. the round trip at 100,000 records: package vs a plain JS diff; .xlsx and CSV");
    let mut rows = String::from("\n### Round trip at 100,000 records × 20 fields (Node, one process each)\n\n| what | ms | result | peak RSS growth (MB) |\n|---|---|---|---|\n");
    for mode in ["diff-package", "diff-js", "sync", "xlsx", "csv"] {
        let out = node_output(&["--expose-gc", "bench/roundtrip.mjs", mode])?;
        let field = |k: &str| {
            out.split(&format!("\"{k}\":"))
                .nth(1)
                .and_then(|r| r.split([',', '}']).next())
                .unwrap_or("?")
                .trim_matches('"')
                .to_string()
        };
        rows += &format!(
            "| {mode} | {} | {} | {} |\n",
            field("ms"),
            field("summary"),
            field("rssGrowthMB")
        );
    }
    println!("{rows}");
    Ok(rows)
}
