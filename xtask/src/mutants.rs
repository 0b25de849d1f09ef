//! `cargo xtask mutants`: cargo-mutants over a few chosen files, one file at a time, within a
//! time budget; a table of the outcomes (and the missed mutants), saved to target/mutants.md.
//! Not part of `cargo xtask test`: a measure of the tests, no verdict.
//!
//! Each file runs `cargo mutants --in-place` on its own crate's library tests, so the builds
//! reuse target/ (a copy of the tree would build every dependency again): the mutated file is
//! changed on disk while it runs, and put back after each mutant.

use crate::process::{cargo, root, step, Result};
use crate::tools;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Small, pure files with unit tests of their own beside them.
const DEFAULT_FILES: &[&str] = &[
    "dates/src/lib.rs",
    "records/src/mapping/phone.rs",
    "src/errors/quote.rs",
    "sandbox/core/src/faults/rules.rs",
];

struct Options {
    files: Vec<String>,
    minutes: u64,
    timeout: String,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        files: vec![],
        minutes: 30,
        timeout: "60".into(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--file" => options.files.push(value()?),
            "--minutes" => {
                options.minutes = value()?
                    .parse()
                    .map_err(|_| "--minutes takes a whole number of minutes")?
            }
            "--timeout" => options.timeout = value()?,
            other => return Err(format!("mutants: unknown argument {other}")),
        }
    }
    if options.files.is_empty() {
        options.files = DEFAULT_FILES.iter().map(|f| f.to_string()).collect();
    }
    Ok(options)
}

/// The package owning `file`: the `name` of the nearest Cargo.toml above it with a [package].
fn package_of(root: &Path, file: &str) -> Result<String> {
    let mut dir = root.join(file);
    while dir.pop() && dir.starts_with(root) {
        let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let mut in_package = false;
        for line in manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_package = line == "[package]";
            } else if let (true, Some(rest)) = (in_package, line.strip_prefix("name")) {
                if let Some(name) = rest.trim_start().strip_prefix('=') {
                    return Ok(name.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    Err(format!("{file}: no crate found above it"))
}

#[derive(Default)]
struct Counts {
    caught: u64,
    missed: u64,
    timeout: u64,
    unviable: u64,
}

impl Counts {
    fn tested(&self) -> u64 {
        self.caught + self.missed + self.timeout + self.unviable
    }

    fn score(&self) -> String {
        match self.caught + self.missed {
            0 => "–".into(),
            n => format!("{:.0}%", 100.0 * self.caught as f64 / n as f64),
        }
    }
}

/// The number after the last `"key":` in outcomes.json: the totals come after the list of
/// outcomes, whose entries have no such keys.
fn count(json: &str, key: &str) -> u64 {
    let needle = format!("\"{key}\":");
    json.rfind(&needle)
        .map(|at| &json[at + needle.len()..])
        .map(|rest| {
            rest.trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

struct FileResult {
    file: String,
    counts: Counts,
    missed: Vec<String>,
    timeouts: Vec<String>,
    seconds: f64,
}

fn run_file(root: &Path, file: &str, timeout: &str) -> Result<FileResult> {
    if !root.join(file).is_file() {
        return Err(format!("{file}: no such file"));
    }
    let package = package_of(root, file)?;
    let out: PathBuf = root.join("target/mutants").join(file.replace('/', "_"));
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    step(&format!("mutants: {file} (crate {package})"));
    let started = Instant::now();
    let mut cmd = cargo();
    cmd.args(["mutants", "--package", &package, "--file", file])
        // --in-place runs one mutant at a time (it refuses --jobs).
        .args(["--timeout", timeout, "--no-shuffle", "--in-place"])
        .arg("--output")
        .arg(&out)
        .args(["--", "--lib"])
        .current_dir(root);
    println!("$ {}", format!("{cmd:?}").replace('"', ""));
    // Exit codes: 0 all caught, 2 some missed, 3 some timed out; 4 the tests fail unmutated.
    let status = cmd.status().map_err(|e| format!("cargo mutants: {e}"))?;
    if status.code() == Some(4) {
        return Err(format!(
            "{file}: the tests of {package} fail without a mutation"
        ));
    }
    let dir = out.join("mutants.out");
    let json = std::fs::read_to_string(dir.join("outcomes.json"))
        .map_err(|e| format!("{file}: cargo mutants ({status}) left no outcomes.json: {e}"))?;
    let lines = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    };
    Ok(FileResult {
        file: file.to_string(),
        counts: Counts {
            caught: count(&json, "caught"),
            missed: count(&json, "missed"),
            timeout: count(&json, "timeout"),
            unviable: count(&json, "unviable"),
        },
        missed: lines("missed.txt"),
        timeouts: lines("timeout.txt"),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn report(results: &[FileResult], skipped: &[String], command: &str) -> String {
    let mut md = format!(
        "# cargo-mutants {}\n\n`{command}`\n\n\
         | file | tested | caught | missed | timeout | unviable | score | time |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
        tools::CARGO_MUTANTS_VERSION
    );
    for r in results {
        let c = &r.counts;
        md += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.0} s |\n",
            r.file,
            c.tested(),
            c.caught,
            c.missed,
            c.timeout,
            c.unviable,
            c.score(),
            r.seconds
        );
    }
    md += "\nscore = caught ÷ (caught + missed)\n";
    if !skipped.is_empty() {
        md += &format!("\nNot run (budget spent): {}\n", skipped.join(", "));
    }
    for r in results {
        if r.missed.is_empty() && r.timeouts.is_empty() {
            continue;
        }
        md += &format!("\n## {}\n\n", r.file);
        for m in &r.missed {
            md += &format!("- missed: {m}\n");
        }
        for t in &r.timeouts {
            md += &format!("- timeout: {t}\n");
        }
    }
    md
}

pub fn run_all(args: &[String]) -> Result {
    let options = parse(args)?;
    let root = root();
    tools::cargo_mutants()?;
    let budget = Duration::from_secs(options.minutes * 60);
    let started = Instant::now();
    let (mut results, mut skipped) = (vec![], vec![]);
    for file in &options.files {
        if started.elapsed() >= budget {
            skipped.push(file.clone());
            continue;
        }
        results.push(run_file(&root, file, &options.timeout)?);
    }
    let command = format!(
        "cargo xtask mutants {}",
        options
            .files
            .iter()
            .map(|f| format!("--file {f}"))
            .chain([
                format!("--minutes {}", options.minutes),
                format!("--timeout {}", options.timeout),
            ])
            .collect::<Vec<_>>()
            .join(" ")
    );
    let md = report(&results, &skipped, &command);
    step("mutants: outcomes (also in target/mutants.md)");
    println!("{md}");
    let path = root.join("target/mutants.md");
    std::fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))
}
