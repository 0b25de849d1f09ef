//! Setting up the toolchain: only what is missing, only from package registries.

use crate::process::{output, root, run, step, Result};
use std::path::Path;
use std::process::Command;

pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

pub struct Need {
    pub npm: bool,
    pub chromium: bool,
}

impl Need {
    pub const BUILD: Need = Need {
        npm: true,
        chromium: false,
    };
    pub const ALL: Need = Need {
        npm: true,
        chromium: true,
    };
}

pub fn setup(need: Need) -> Result {
    wasm_target()?;
    wasm_bindgen()?;
    if need.npm {
        npm_deps()?;
    }
    if need.chromium {
        chromium()?;
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
    step("installing npm dev dependencies from package-lock.json (npm ci: binaryen's wasm-opt, playwright-core, typescript, typedoc, vite, fflate)");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let is_root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    if !is_root {
        return Err("Chromium is missing: run `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`, then try again".into());
    }
    step("installing Debian's chromium and chromium-driver (apt-get, about 20 s)");
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// npm's binaryen (never Debian's: its wasm-opt 108 breaks wasm-bindgen output).
pub fn wasm_opt() -> std::path::PathBuf {
    root().join("node_modules/.bin/wasm-opt")
}
