//! Starting the Cube sandbox: for the demo (foreground) and for tests (background, free port).

use crate::process::{cargo, root, run, step, Result};
use crate::{build, tools};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub fn binary() -> PathBuf {
    root().join("target/debug/cube-sandbox")
}

pub fn build_binary() -> Result {
    step("building the Cube sandbox (cargo build -p cube-sandbox)");
    run(cargo()
        .args(["build", "-p", "cube-sandbox"])
        .current_dir(root()))
}

/// A sandbox running in the background on a free port; stopped on drop.
pub struct Running {
    child: Child,
    pub url: String,
}

impl Running {
    pub fn start(extra: &[&str]) -> Result<Running> {
        Running::start_binary(&binary(), extra)
    }

    pub fn start_binary(binary: &std::path::Path, extra: &[&str]) -> Result<Running> {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start the sandbox: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
        let url = first
            .strip_prefix("listening on ")
            .ok_or_else(|| {
                format!("the sandbox's first line was {first:?}, not `listening on URL`")
            })?
            .trim()
            .to_string();
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Ok(Running { child, url })
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn demo(args: &[String]) -> Result {
    let mut port = "8787".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => port = it.next().cloned().ok_or("--port needs a number")?,
            other => return Err(format!("demo: unknown argument {other:?} (only --port N)")),
        }
    }
    tools::setup(tools::Need::BUILD)?;
    build::package()?;
    build_binary()?;
    let root = root();
    step(&format!(
        "starting the sandbox with the demo page on port {port} (Ctrl-C stops it)"
    ));
    println!("open the printed URL in a browser; sign in with the demo credentials below\n");
    run(Command::new(binary())
        .args(["--port", &port, "--static-dir"])
        .arg(root.join("www-demo"))
        .arg("--pkg-dir")
        .arg(root.join("pkg")))
}
