//! The `cube-sandbox` binary. See `cube-sandbox --help`.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use cube_sandbox::cli::Cli;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Cli::parse().into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cube-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let demo = config.demo.clone();
    let external = config.external.clone();
    let bound = match cube_sandbox::bind(config).await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cube-sandbox: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = format!("http://{}", bound.addr);
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {base}");
        let _ = out.flush();
        let _ = writeln!(
            out,
            "demo user (internal): username {}  password {}  token {}",
            demo.username, demo.password, demo.token
        );
        let _ = writeln!(
            out,
            "external user (data owner 1 only): username {}  password {}  token {}",
            external.username, external.password, external.token
        );
        let _ = writeln!(
            out,
            "try: curl -u '{}:{}' {base}/account/who_am_i",
            demo.username, demo.password
        );
        let _ = writeln!(
            out,
            "sandbox info: {base}/_sandbox/info   OpenAPI: {base}/openapi.json"
        );
        let _ = out.flush();
    }
    match bound.serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cube-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
