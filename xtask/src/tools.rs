//! Setting up the toolchain: only what is missing, only from package registries.

use crate::process::{output, root, run, run_in_background, step, Result};
use std::path::Path;
use std::process::Command;

pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

pub struct Need {
    pub npm: bool,
    pub chromium: bool,
    /// Firefox ESR and geckodriver; and the npm dev dependencies' Deno, Bun, workerd and
    /// esbuild binaries, checked (`npm ci` installs them).
    pub runtimes: bool,
}

impl Need {
    pub const BUILD: Need = Need {
        npm: true,
        chromium: false,
        runtimes: false,
    };
    /// The build and Chromium (the benchmarks' browser rows).
    pub const ALL: Need = Need {
        npm: true,
        chromium: true,
        runtimes: false,
    };
    /// Everything the test command runs in.
    pub const TEST: Need = Need {
        npm: true,
        chromium: true,
        runtimes: true,
    };
}

/// Install what is missing. The downloads (Debian packages, npm) run in the background while
/// the Rust tools compile in the foreground: the 2 cores are busy with cargo either way.
pub fn setup(need: Need) -> Result {
    wasm_target()?;
    std::thread::scope(|scope| {
        let debian = scope.spawn(|| debian_packages(&need));
        let npm = scope.spawn(|| if need.npm { npm_deps() } else { Ok(()) });
        let mut results = vec![wasm_bindgen()];
        if need.runtimes {
            results.push(geckodriver());
        }
        results.push(
            debian
                .join()
                .unwrap_or_else(|_| Err("apt-get panicked".into())),
        );
        results.push(npm.join().unwrap_or_else(|_| Err("npm ci panicked".into())));
        results.into_iter().collect::<Result>()
    })?;
    if need.runtimes {
        npm_runtimes()?;
    }
    Ok(())
}

fn wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target (rustup, seconds)");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn wasm_bindgen() -> Result {
    let want = format!("wasm-bindgen {WASM_BINDGEN_VERSION}");
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = output("wasm-bindgen-test-runner", &["--version"]).is_some();
    if have.trim() == want && runner {
        return Ok(());
    }
    step(&format!(
        "installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} from crates.io (about 2 minutes, once)"
    ));
    // No --locked: the CLI's locked webpki-roots is not in the registry here.
    run(Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        WASM_BINDGEN_VERSION,
    ]))
}

fn npm_deps() -> Result {
    let root = root();
    let stamp = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run_in_background(
        "installing npm dev dependencies from package-lock.json (npm ci: binaryen's wasm-opt, playwright-core, puppeteer-core, typescript 5 and 7 (typescript7), typedoc and its Markdown plugin, publint, attw, vite, fflate, esbuild, and the deno, bun and workerd binaries from their npm platform packages)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root),
    )
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// Debian's browsers (and Chromium's driver): the missing ones, in one apt-get run.
fn debian_packages(need: &Need) -> Result {
    let mut wanted = vec![];
    if need.chromium {
        wanted.extend([("chromium", CHROMIUM), ("chromium-driver", CHROMEDRIVER)]);
    }
    if need.runtimes {
        wanted.push(("firefox-esr", FIREFOX));
    }
    let mut missing: Vec<&str> = wanted
        .iter()
        .filter(|(_, path)| !Path::new(path).exists())
        .map(|(package, _)| *package)
        .collect();
    // The sandbox README's Python client (tests/js/sandbox/walk_next.py): any python3 on PATH.
    if need.runtimes && output("python3", &["--version"]).is_none() {
        missing.push("python3");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    if !is_root {
        return Err(format!(
            "missing Debian packages: run `sudo apt-get update && sudo apt-get install -y {}`, then try again",
            missing.join(" ")
        ));
    }
    let what = format!(
        "installing Debian's {} (apt-get, about 20 s each)",
        missing.join(", ")
    );
    run_in_background(
        &format!("{what}: apt-get update"),
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    run_in_background(
        &what,
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// geckodriver for the wasm tests in Firefox, from crates.io (npm's `geckodriver` downloads a
/// binary from elsewhere at install: not allowed here).
fn geckodriver() -> Result {
    let have = output("geckodriver", &["--version"]).unwrap_or_default();
    if have
        .lines()
        .next()
        .unwrap_or("")
        .starts_with(&format!("geckodriver {GECKODRIVER_VERSION}"))
    {
        return Ok(());
    }
    step(&format!(
        "installing geckodriver {GECKODRIVER_VERSION} from crates.io (about 4 minutes, once)"
    ));
    run(Command::new("cargo").args([
        "install",
        "geckodriver",
        "--version",
        GECKODRIVER_VERSION,
        "--locked",
    ]))
}

/// The runtimes the tests start, from the npm dev dependencies (their binaries come in npm
/// platform packages: `@deno/linux-x64-glibc`, `@oven/bun-linux-x64`,
/// `@cloudflare/workerd-linux-64`, `@esbuild/linux-x64`). A missing one fails here.
fn npm_runtimes() -> Result {
    let bin = root().join("node_modules/.bin");
    for name in ["deno", "bun", "workerd", "esbuild"] {
        let path = bin.join(name);
        let ok = Command::new(&path)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            return Err(format!(
                "{} does not run: `npm ci` installs it from the npm registry (its install script must run: check npm's ignore-scripts)",
                path.display()
            ));
        }
    }
    Ok(())
}

/// npm's binaryen (never Debian's: its wasm-opt 108 breaks wasm-bindgen output).
pub fn wasm_opt() -> std::path::PathBuf {
    root().join("node_modules/.bin/wasm-opt")
}

pub const CARGO_MUTANTS_VERSION: &str = "27.1.0";

/// cargo-mutants for `cargo xtask mutants`, from crates.io (not part of `setup`: only that
/// command needs it).
pub fn cargo_mutants() -> Result {
    let have = output("cargo", &["mutants", "--version"]).unwrap_or_default();
    if have.trim() == format!("cargo-mutants {CARGO_MUTANTS_VERSION}") {
        return Ok(());
    }
    step(&format!(
        "installing cargo-mutants {CARGO_MUTANTS_VERSION} from crates.io (a few minutes, once)"
    ));
    run(Command::new("cargo").args([
        "install",
        "cargo-mutants",
        "--version",
        CARGO_MUTANTS_VERSION,
        "--locked",
    ]))
}
