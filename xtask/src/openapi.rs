//! The OpenAPI property-based run: Schemathesis (from PyPI, pinned, in a venv under target/)
//! generates requests from the sandbox's own `/openapi.json` and runs every check on the
//! answers. Any finding fails the step: spec and server must agree.

use crate::process::{output, root, run, step, Result};
use crate::sandbox::{self, Running};
use std::path::PathBuf;
use std::process::Command;

pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Fixed, so a run repeats; a finding names its seed too.
const SEED: &str = "1";
/// Test cases per operation and phase: about a minute on an idle 2-core machine.
const MAX_EXAMPLES: &str = "50";

fn venv() -> PathBuf {
    root().join("target/schemathesis")
}

fn schemathesis() -> PathBuf {
    venv().join("bin/schemathesis")
}

/// Installs Schemathesis into `target/schemathesis` (a Python venv) unless it is there.
fn install() -> Result {
    let bin = schemathesis();
    let have = output(&bin.to_string_lossy(), &["--version"]).unwrap_or_default();
    if have.trim().ends_with(SCHEMATHESIS_VERSION) {
        return Ok(());
    }
    step(&format!(
        "installing Schemathesis {SCHEMATHESIS_VERSION} from PyPI into target/schemathesis (a Python venv, about 40 s, once)"
    ));
    run(Command::new("python3").arg("-m").arg("venv").arg(venv()))?;
    run(Command::new(venv().join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

/// `cargo xtask openapi`: build the sandbox, then run the check.
pub fn run_by_hand(args: &[String]) -> Result {
    if let Some(other) = args.first() {
        return Err(format!(
            "openapi: unknown argument {other:?} (it takes none)"
        ));
    }
    sandbox::build_binary()?;
    check()
}

/// Schemathesis, every check, against a fresh sandbox built from this tree (the binary
/// must be built: it serves the openapi.json it was compiled with).
pub fn check() -> Result {
    install()?;
    let sandbox = Running::start(&[])?;
    let spec = format!("{}/openapi.json", sandbox.url);
    // `--url`: the sandbox, never the spec's other server (the real service).
    step(&format!(
        "OpenAPI property-based run: Schemathesis {SCHEMATHESIS_VERSION}, --checks all, seed {SEED}, {MAX_EXAMPLES} examples per operation, against {spec}"
    ));
    run(Command::new(schemathesis())
        .arg("--config-file")
        .arg(root().join("sandbox/schemathesis.toml"))
        .args(["run", &spec, "--url", &sandbox.url, "--checks", "all"])
        .args(["--header", "Authorization: Token demo-token"])
        .args(["--seed", SEED, "--max-examples", MAX_EXAMPLES])
        .args(["--generation-database", "none", "--no-color"])
        .current_dir(root()))
}
