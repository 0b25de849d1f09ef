//! `cargo xtask test`: every check the project has, in the order a failure is cheapest.

use crate::build;
use crate::process::{cargo, root, run, run_in_background, step, Result};
use crate::sandbox::{self, Running};
use crate::tap;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, FIREFOX};
use std::path::{Path, PathBuf};
use std::process::Command;

fn js_test_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(js_test_files(&path));
        } else if path.to_string_lossy().ends_with(".test.mjs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

pub fn run_all(args: &[String]) -> Result {
    let root = root();
    tools::setup(tools::Need::TEST)?;
    lint(&root)?;
    native_tests(&root)?;
    sandbox::build_binary()?;
    crate::openapi::check()?; // Schemathesis against the sandbox's openapi.json
    wasm_tests(&root)?;
    build::package()?;
    node_edge_tests(&root)?;
    type_tests(&root)?;
    js_tests(&root, allow_skips(args))?;
    println!("\nall tests passed");
    Ok(())
}

/// `cargo fmt --check`, then clippy for the native and wasm32 targets, warnings as errors.
fn lint(root: &Path) -> Result {
    step("format (cargo fmt --check)");
    run(cargo()
        .args(["fmt", "--all", "--", "--check"])
        .current_dir(root))?;
    step("lint (cargo clippy, native and wasm32, warnings are errors)");
    run(cargo()
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(root))?;
    run(cargo()
        .args([
            "clippy",
            "-p",
            "cube-integration",
            "-p",
            "cube-sandbox-wasm",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(root))
}

/// Every crate's native tests, and a stable compile of the fuzz targets.
fn native_tests(root: &Path) -> Result {
    step("native tests (cargo test --workspace)");
    run(cargo().args(["test", "--workspace"]).current_dir(root))?;

    step("fuzz targets compile (cargo check on stable; running them needs nightly)");
    run(cargo()
        .args([
            "check",
            "--manifest-path",
            "fuzz/Cargo.toml",
            "--bins",
            "--target-dir",
            "target/fuzz",
        ])
        .current_dir(root))
}

/// Credentials of the sandbox the wasm tests call, with æøå: Basic must be UTF-8 encoded
/// (btoa would fail).
const WASM_USER: &str = "ola.nordmann@example.no";
const WASM_PASSWORD: &str = "blåbær-syltetøy";
const WASM_TOKEN: &str = "wasm-test-token";

/// The wasm-bindgen tests in Node and headless Chromium, and the browser ones in headless
/// Firefox ESR beside them, against a sandbox started for them.
fn wasm_tests(root: &Path) -> Result {
    // The wasm tests' redirect test calls this route: a 302 to another origin.
    let sandbox = Running::start(&[
        "--username",
        WASM_USER,
        "--password",
        WASM_PASSWORD,
        "--token",
        WASM_TOKEN,
        "--fault",
        "redirect:1:/api/v1/client_access/",
    ])?;
    step(&format!(
        "wasm tests in Node and headless Chromium, and the browser tests in headless Firefox ESR beside them, against the sandbox at {}",
        sandbox.url
    ));
    // Firefox runs beside Node and Chromium (after cargo's build lock: the same binaries);
    // its output is printed when it ends.
    std::thread::scope(|scope| {
        let firefox = scope.spawn(|| {
            run_in_background(
                "wasm browser tests in headless Firefox ESR (geckodriver; tests/firefox-webdriver.json)",
                wasm_test_command(root, &sandbox, &["--test", "wasm_browser"])
                    .env_remove("CHROMEDRIVER")
                    .env("GECKODRIVER", "geckodriver")
                    .env(
                        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                        root.join("tests/firefox-webdriver.json"),
                    ),
            )
        });
        let node_and_chromium =
            run(wasm_test_command(root, &sandbox, &["--tests"]).env("CHROMEDRIVER", CHROMEDRIVER));
        let firefox = firefox
            .join()
            .unwrap_or_else(|_| Err("the Firefox wasm run panicked".into()));
        node_and_chromium.and(firefox)
    })
}

/// `cargo test` of `tests` on wasm32 against `sandbox`, through wasm-bindgen-test-runner.
fn wasm_test_command(root: &Path, sandbox: &Running, tests: &[&str]) -> Command {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "-p",
        "cube-integration",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .args(tests)
    .env("CUBE_SANDBOX_URL", &sandbox.url)
    .env("CUBE_SANDBOX_USER", WASM_USER)
    .env("CUBE_SANDBOX_PASSWORD", WASM_PASSWORD)
    .env("CUBE_SANDBOX_TOKEN", WASM_TOKEN)
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
    .current_dir(root);
    cmd
}

/// The native edge answered the sandbox's HTTP tests in `cargo test --workspace`; the Node
/// edge of the package just built must answer the same tests, and both edges the same
/// requests alike.
fn node_edge_tests(root: &Path) -> Result {
    step("the sandbox's HTTP tests through the Node edge (CUBE_SANDBOX_EDGE=node cargo test -p cube-sandbox --tests)");
    run(cargo()
        .args(["test", "-p", "cube-sandbox", "--tests"])
        .env("CUBE_SANDBOX_EDGE", "node")
        .current_dir(root))?;
    step("parity of the native and Node edges (cargo test -p cube-sandbox --test parity -- --ignored)");
    run(cargo()
        .args([
            "test",
            "-p",
            "cube-sandbox",
            "--test",
            "parity",
            "--",
            "--ignored",
        ])
        .current_dir(root))
}

/// `node --test` over every file of tests/js, then the skips check.
fn js_tests(root: &Path, skips_allowed: bool) -> Result {
    step("package tests in Node, headless Chromium (Playwright) and Firefox ESR (puppeteer-core), Deno, Bun and workerd (node --test)");
    let files = js_test_files(&root.join("tests/js"));
    if files.is_empty() {
        return Err("no JS test files found under tests/js".into());
    }
    // The readable report on stdout; a TAP copy to read the skips from.
    let tap_file = root.join("target/node-tests.tap");
    let _ = std::fs::remove_file(&tap_file);
    run(Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(["--test-reporter=spec", "--test-reporter-destination=stdout"])
        .arg("--test-reporter=tap")
        .arg(format!(
            "--test-reporter-destination={}",
            tap_file.display()
        ))
        .args(&files)
        .env("CUBE_SANDBOX_BIN", sandbox::binary())
        .env("CUBE_CHROMIUM", CHROMIUM)
        .env("CUBE_FIREFOX", FIREFOX)
        .current_dir(root))?;
    check_skips(&tap_file, skips_allowed)
}

/// The compilers the type tests run under, each from its own package: the devDependency
/// `typescript` (5.x, in JS) and `typescript7` (npm `typescript@7`, the native compiler, whose
/// binary comes in a platform package). Both name their command `tsc`, so
/// `node_modules/.bin/tsc` is whichever npm linked last: neither is run through it.
const TYPESCRIPTS: [(&str, &str); 2] = [
    ("5.", "node_modules/typescript/bin/tsc"),
    ("7.", "node_modules/typescript7/bin/tsc"),
];

/// tests/types as users' projects compile it: strict, and strict with
/// `exactOptionalPropertyTypes` (every optional option accepts `undefined`).
const TYPE_PROJECTS: [&str; 2] = [
    "tests/types/tsconfig.json",
    "tests/types/tsconfig.exact.json",
];

/// `tsc --noEmit` over tests/types (the typed usage, the misuse that must not compile, the
/// extension recipe, the optional options) under each compiler and each project.
fn type_tests(root: &Path) -> Result {
    for (major, tsc) in TYPESCRIPTS {
        let path = root.join(tsc);
        let version =
            crate::process::output(&path.to_string_lossy(), &["--version"]).unwrap_or_default();
        if !version.trim().starts_with(&format!("Version {major}")) {
            return Err(format!(
                "{tsc} --version said {:?}, not TypeScript {major}x: `npm ci` installs it (package.json devDependencies)",
                version.trim()
            ));
        }
        for project in TYPE_PROJECTS {
            step(&format!(
                "TypeScript {}: tsc --noEmit -p {project}",
                version.trim().trim_start_matches("Version ")
            ));
            run(Command::new(&path).args(["-p", project]).current_dir(root))?;
        }
    }
    Ok(())
}

/// `--allow-skips` or `CUBE_ALLOW_SKIPS=1`: a skipped test is reported, not a failure.
fn allow_skips(args: &[String]) -> bool {
    args.iter().any(|a| a == "--allow-skips")
        || std::env::var("CUBE_ALLOW_SKIPS").is_ok_and(|v| v == "1")
}

/// A skipped test did not run, so it proves nothing: fail unless skips are allowed.
fn check_skips(tap_file: &Path, allowed: bool) -> Result {
    let text = std::fs::read_to_string(tap_file)
        .map_err(|e| format!("no TAP report at {}: {e}", tap_file.display()))?;
    let skips = tap::skips(&text);
    if !skips.any() {
        return Ok(());
    }
    let count = skips.summary.max(skips.tests.len() as u64);
    println!("\n{count} test(s) skipped:");
    for name in &skips.tests {
        println!("  - {name}");
    }
    if allowed {
        println!("(allowed by --allow-skips / CUBE_ALLOW_SKIPS=1)");
        Ok(())
    } else {
        Err(format!(
            "{count} test(s) were skipped, so they proved nothing; install what they need \
             (see above), or pass --allow-skips (CUBE_ALLOW_SKIPS=1) to accept that"
        ))
    }
}
