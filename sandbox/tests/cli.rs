//! The command line: flags, `--help`, and the first stdout line — of the native binary, or
//! with `CUBE_SANDBOX_EDGE=node` of `node pkg/bin/cube.mjs sandbox` (the same flag table).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use cube_sandbox::faults::FaultKind;
use cube_sandbox::flags::{self, Parsed};
use cube_sandbox::Config;

fn parse<S: AsRef<str>>(args: &[S]) -> Result<Config, String> {
    match flags::parse(args).map_err(|e| e.to_string())? {
        Parsed::Run(config) => Ok(*config),
        other => panic!("not a run: {other:?}"),
    }
}

#[test]
fn flags_map_to_the_config() {
    let config = parse(&[
        "--port",
        "0",
        "--password",
        "blåbær",
        "--page-size",
        "50",
        "--customers",
        "100000",
        "--today",
        "2026-02-03",
        "--fault",
        "status=503:0.1",
        "--fault",
        r#"{"kind":"foreign_next","origin":"http://proxy.local:81"}"#,
        "--latency-ms",
        "20",
        "--fault-seed",
        "9",
    ])
    .unwrap();
    assert_eq!(config.port, 0);
    assert_eq!(config.demo.password, "blåbær");
    assert_eq!(config.page_size, 50);
    assert_eq!(config.customers, 100_000);
    assert_eq!(config.today.unwrap().to_string(), "2026-02-03");
    assert_eq!(config.faults.seed, 9);
    assert_eq!(config.faults.latency_ms, 20);
    assert_eq!(config.faults.rules.len(), 2);
    assert!(matches!(
        config.faults.rules[0].kind,
        FaultKind::Status { status: 503, .. }
    ));
    assert!(parse(&["--today", "28.11.2026"]).is_err());
    assert!(
        parse(&["--fault", "status=503:2"]).is_err(),
        "rate 2 is refused"
    );
    assert!(
        parse(&["--page-size", "0"]).is_err(),
        "page size 0 is refused"
    );
    assert!(parse(&["--sed", "1"]).unwrap_err().contains("--sed"));
    assert_eq!(parse(&["--seed=7"]).unwrap().seed, 7, "--flag=value");
    assert!(parse(&["--seed"]).unwrap_err().contains("needs a value"));
}

#[test]
fn a_config_survives_its_own_flags() {
    let config = parse(&[
        "--password",
        "blåbær",
        "--today",
        "2026-02-03",
        "--fault",
        r#"{"kind":"status","status":429,"retryAfter":2,"times":3}"#,
        "--fault",
        "reset=10:0.5:/api/v1/",
        "--edits",
        "5",
    ])
    .unwrap();
    let again = parse(&flags::args_of(&config)).unwrap();
    assert_eq!(format!("{again:?}"), format!("{config:?}"));
}

/// The sandbox command of the edge under test.
fn sandbox_command() -> Command {
    if common::node_edge_wanted() {
        let cube = common::cube_mjs();
        assert!(
            cube.is_file(),
            "{} is missing: cargo xtask build",
            cube.display()
        );
        let mut command = Command::new("node");
        command.arg(cube).arg("sandbox");
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_cube-sandbox"))
    }
}

#[test]
fn help_explains_every_flag() {
    let out = sandbox_command().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--host",
        "--port",
        "--username",
        "--password",
        "--token",
        "--external-username",
        "--external-password",
        "--external-token",
        "--static-dir",
        "--pkg-dir",
        "--seed",
        "--today",
        "--page-size",
        "--data-owners",
        "--customers",
        "--campaigns",
        "--outcomes",
        "--edits",
        "--latency-ms",
        "--jitter-ms",
        "--fault-seed",
        "--fault",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn first_stdout_line_names_the_port() {
    let mut child = sandbox_command()
        .args(["--port", "0", "--customers", "100000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let rest: Vec<String> = lines.by_ref().take(2).map(|l| l.unwrap()).collect();
    assert!(rest[0].contains("demo@example.com") && rest[0].contains("demo-token"));
    assert!(rest[1].contains("partner@example.com"));
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let r = cube_sandbox::http_client::request(
        addr,
        "GET",
        "/api/v1/data_owners/1/B2C/customers/?page=200",
        &[("Authorization", "Token demo-token")],
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200);
    let _ = child.kill();
    let _ = child.wait();
}
