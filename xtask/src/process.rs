//! Running commands, loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Run `cmd`, streaming its output; fail with its exit status.
pub fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}").replace('"', "");
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Run `program args…` and return its stdout, or `None` if it is missing or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Run `cmd` with its output collected, then print it in one piece (for work done beside
/// another command, so the two outputs do not interleave); fail with its exit status.
pub fn run_in_background(what: &str, cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}").replace('"', "");
    let started = std::time::Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    step(&format!(
        "{what} (ran beside other work: {:.0} s)",
        started.elapsed().as_secs_f64()
    ));
    println!("$ {shown}");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({})", out.status))
    }
}
