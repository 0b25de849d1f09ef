//! `cargo xtask test`: every check the project has, in the order a failure is cheapest.

use crate::build;
use crate::process::{cargo, root, run, step, Result};
use crate::sandbox::{self, Running};
use crate::tools::{self, CHROMEDRIVER, CHROMIUM};
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

pub fn run_all(_args: &[String]) -> Result {
    let root = root();
    tools::setup(tools::Need::ALL)?;

    step("format (cargo fmt --check)");
    run(cargo()
        .args(["fmt", "--all", "--", "--check"])
        .current_dir(&root))?;
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
        .current_dir(&root))?;
    run(cargo()
        .args([
            "clippy",
            "-p",
            "cube-integration",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&root))?;

    step("native tests (cargo test --workspace)");
    run(cargo().args(["test", "--workspace"]).current_dir(&root))?;

    sandbox::build_binary()?;
    crate::openapi::check()?; // Schemathesis against the sandbox's openapi.json
    {
        // Credentials with æøå: Basic must be UTF-8 encoded (btoa would fail).
        let (user, password, token) = (
            "ola.nordmann@example.no",
            "blåbær-syltetøy",
            "wasm-test-token",
        );
        let sandbox =
            Running::start(&["--username", user, "--password", password, "--token", token])?;
        step(&format!(
            "wasm tests in Node and headless Chromium against the sandbox at {}",
            sandbox.url
        ));
        run(cargo()
            .args([
                "test",
                "-p",
                "cube-integration",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
            ])
            .env("CUBE_SANDBOX_URL", &sandbox.url)
            .env("CUBE_SANDBOX_USER", user)
            .env("CUBE_SANDBOX_PASSWORD", password)
            .env("CUBE_SANDBOX_TOKEN", token)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .current_dir(&root))?;
    }

    build::package()?;

    step("TypeScript: tsc --noEmit over the typed usage example");
    run(Command::new(root.join("node_modules/.bin/tsc"))
        .args(["-p", "tests/types"])
        .current_dir(&root))?;

    step("package tests in Node and headless Chromium (node --test, Playwright)");
    let files = js_test_files(&root.join("tests/js"));
    if files.is_empty() {
        return Err("no JS test files found under tests/js".into());
    }
    run(Command::new("node")
        .arg("--test")
        .arg("--test-concurrency=1")
        .args(&files)
        .env("CUBE_SANDBOX_BIN", sandbox::binary())
        .env("CUBE_CHROMIUM", CHROMIUM)
        .current_dir(&root))?;
    println!("\nall tests passed");
    Ok(())
}
