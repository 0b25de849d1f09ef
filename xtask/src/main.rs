//! The project's task runner: `cargo xtask <command>`. Every command installs what is
//! missing (from the package registries only), says what it is doing, and is safe to repeat.

mod bench;
mod build;
mod mutants;
mod openapi;
mod process;
mod sandbox;
mod tap;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  demo [--port N]   set up, build the package, start the sandbox serving the demo page
  test [--allow-skips]
                    set up and run every test: fmt, clippy, native, fuzz targets compile,
                    OpenAPI (Schemathesis), wasm (Node, Chromium, Firefox), package tests in
                    Node, Deno, Bun and workerd, browser tests (Chromium, Firefox); a skipped
                    test fails the command unless --allow-skips (or CUBE_ALLOW_SKIPS=1)
  build             set up and build the npm package into pkg/
  bench [nightly|cli|sandbox|scale|scale-browser] [--runs N] [--big]
                    benchmarks (tables): sync vs hand-written loops, parse cost, memory,
                    size, the nightly sync end to end (`nightly`: only that table), the
                    command line's ndjson memory at 10k/100k/1M records (`cli`: only that),
                    the sandbox's edges side by side and its sizes (`sandbox`: only those);
                    `scale`: the nightly sync at 100k and 1M customers (3M with --big),
                    the wire vs the package's API vs `cube sync` vs plain JS, then the
                    package in headless Chromium with the state in OPFS (`scale-browser`:
                    only that; 3 runs unless --runs)
  mutants [--file PATH]... [--minutes N] [--timeout S]
                    cargo-mutants (installed if missing) over the files (default: a few small
                    pure ones), one by one, no new file once N minutes (30) are spent; S is
                    the per-mutant timeout (60); a table in target/mutants.md; not in `test`
  openapi           build the sandbox and run Schemathesis (--checks all) against its
                    openapi.json (also a step of `test`)
  setup             install what is missing (wasm target, wasm-bindgen, npm deps with Deno, Bun,
                    workerd, esbuild; Chromium, Firefox ESR, geckodriver)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => sandbox::demo(&args[1..]),
        Some("test") => test::run_all(&args[1..]),
        Some("bench") => bench::run_all(&args[1..]),
        Some("mutants") => mutants::run_all(&args[1..]),
        Some("openapi") => openapi::run_by_hand(&args[1..]),
        Some("build") => tools::setup(tools::Need::BUILD).and_then(|_| build::package()),
        Some("setup") => tools::setup(tools::Need::TEST),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
