//! The `cube-sandbox` binary (the native edge). See `cube-sandbox --help`; the flags are the
//! core's table (`cube_sandbox_core::flags`), shared with `npx cube-integration sandbox`.

use std::io::Write;
use std::process::ExitCode;

use cube_sandbox_core::flags::{self, Parsed};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match flags::parse(&args) {
        Ok(Parsed::Run(c)) => *c,
        Ok(Parsed::Help) => {
            print!("{}", flags::help("cube-sandbox"));
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Version) => {
            println!("cube-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cube-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
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
        let _ = write!(out, "{}", flags::banner(&bound.state.config, &base));
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
