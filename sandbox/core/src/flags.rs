//! The sandbox's command-line flags, one table for both edges (`cube-sandbox` and
//! `npx cube-integration sandbox`): parsing, `--help`, and the flags of a [`Config`].

use std::path::PathBuf;

use crate::config::Config;
use crate::dates::Date;
use crate::faults::{flag, FaultConfig};

/// One flag: `--name VALUE` (or `--name=VALUE`); every flag takes a value.
pub struct Flag {
    pub name: &'static str,
    pub value: &'static str,
    pub default: &'static str,
    pub help: &'static str,
}

const fn f(
    name: &'static str,
    value: &'static str,
    default: &'static str,
    help: &'static str,
) -> Flag {
    Flag {
        name,
        value,
        default,
        help,
    }
}

/// Every flag, in `--help` order.
pub const FLAGS: &[Flag] = &[
    f("host", "HOST", "127.0.0.1", "Address to listen on."),
    f(
        "port",
        "PORT",
        "8787",
        "Port to listen on; 0 picks a free port (read it from the first stdout line).",
    ),
    f(
        "username",
        "EMAIL",
        "demo@example.com",
        "Username (e-mail) of the internal demo user, who sees every data owner.",
    ),
    f(
        "password",
        "TEXT",
        "demo",
        "Password of the demo user (may contain any UTF-8, e.g. æøå).",
    ),
    f(
        "token",
        "TEXT",
        "demo-token",
        "API token of the demo user (`Authorization: Token <token>`).",
    ),
    f(
        "external-username",
        "EMAIL",
        "partner@example.com",
        "Username of the external user, who sees only data owner 1.",
    ),
    f(
        "external-password",
        "TEXT",
        "partner",
        "Password of the external user.",
    ),
    f(
        "external-token",
        "TEXT",
        "partner-token",
        "API token of the external user.",
    ),
    f(
        "static-dir",
        "DIR",
        "",
        "Serve the files of DIR at `/` (index.html for directories); only files whose real \
         path (symlinks resolved) is inside DIR.",
    ),
    f(
        "pkg-dir",
        "DIR",
        "",
        "Serve the files of DIR under `/pkg/` (e.g. the built npm package); inside DIR only.",
    ),
    f(
        "seed",
        "N",
        "42",
        "Seed of the generated tenant (same seed, same data).",
    ),
    f(
        "today",
        "YYYY-MM-DD",
        "",
        "The sandbox's \"today\" (default: the system date, UTC). Outcomes are spread over the \
         60 days up to it, and missing from_date/to_date mean this day.",
    ),
    f(
        "page-size",
        "N",
        "500",
        "Records per page of paginated lists (1..=100000).",
    ),
    f(
        "data-owners",
        "N",
        "3",
        "Number of data owners (ids 1..=N, N <= 1000), each with a B2C and a B2B CRM.",
    ),
    f(
        "customers",
        "N",
        "2000",
        "Customers in EACH CRM (generated lazily: 1 000 000 starts instantly; <= 50 000 000).",
    ),
    f(
        "campaigns",
        "N",
        "4",
        "Campaigns per data owner (ids OWNER*100+1 ..; <= 99).",
    ),
    f(
        "outcomes",
        "N",
        "300",
        "Call outcomes per campaign, spread over the 60 days up to today (<= 20 000).",
    ),
    f(
        "edits",
        "N",
        "0",
        "Simulate N customer edits by Cube users at start (like POST /_sandbox/edits).",
    ),
    f(
        "latency-ms",
        "MS",
        "0",
        "Latency added to every API request, in milliseconds.",
    ),
    f(
        "jitter-ms",
        "MS",
        "0",
        "Plus a random 0..=N ms per request (drawn from --fault-seed).",
    ),
    f(
        "fault-seed",
        "N",
        "1",
        "Seed of the fault and jitter draws: the same sequence of requests gets the same faults.",
    ),
    f(
        "fault",
        "SPEC",
        "",
        "Inject a fault (repeatable; the first matching rule wins). Grammar:\n\
         \x20 KIND[=VALUE][:RATE[:ROUTE_PREFIX]]   or one rule as JSON: '{\"kind\": ..., ...}'\n\
         KIND: status=CODE, reset[=keepBytes], truncate[=keepBytes], html,\n\
         \x20 dribble[=chunkDelayMs], foreign_next, next_loop, lying_count[=factor],\n\
         \x20 bad_envelope[=object|missing|array], huge_record[=bytes], invalid_utf8,\n\
         \x20 endless_body[=maxSeconds], delay=MS, redirect[=status].\n\
         RATE: probability 0..1 (default 1). ROUTE_PREFIX: e.g. /api/v1/data_owners/\n\
         (default: every API route). Options with ':' (foreign_next's origin), times,\n\
         skip, retryAfter ... need the JSON form. Examples:\n\
         \x20 --fault status=503:0.1   --fault status=429:1:/api/v1/call_outcomes/\n\
         \x20 --fault '{\"kind\":\"status\",\"status\":429,\"retryAfter\":2,\"times\":3}'",
    ),
];

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    Run(Box<Config>),
    Help,
    Version,
}

/// Parses the arguments after the program name.
/// A flag the sandbox cannot take: which flag (when one is named), and the whole message
/// (`--page-size: 0 is not in 1..=100000`). The edges show the message; `createSandbox()`
/// names the option from `flag`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError {
    /// The flag's name without `--` (`page-size`); `None` for an argument that is no flag.
    pub flag: Option<String>,
    pub message: String,
}

impl FlagError {
    fn of(flag: &str, message: String) -> FlagError {
        FlagError {
            flag: Some(flag.to_string()),
            message,
        }
    }
}

impl std::fmt::Display for FlagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FlagError {}

pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<Parsed, FlagError> {
    let mut config = Config::default();
    let mut fault_specs = Vec::new();
    let mut faults = FaultConfig::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_ref();
        i += 1;
        match arg {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            _ => {}
        }
        let Some(body) = arg.strip_prefix("--") else {
            return Err(FlagError {
                flag: None,
                message: format!("unexpected argument '{arg}' (see --help)"),
            });
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let Some(flag) = FLAGS.iter().find(|f| f.name == name) else {
            return Err(FlagError::of(
                name,
                format!("unknown flag '--{name}' (see --help)"),
            ));
        };
        let value = match inline {
            Some(v) => v,
            None if i < args.len() => {
                i += 1;
                args[i - 1].as_ref().to_string()
            }
            None => {
                return Err(FlagError::of(
                    name,
                    format!("--{name} needs a value ({})", flag.value),
                ))
            }
        };
        set(&mut config, &mut faults, &mut fault_specs, name, &value)
            .map_err(|e| FlagError::of(name, e))?;
    }
    let named = |e: String| FlagError::of("fault", format!("--fault: {e}"));
    faults.rules = fault_specs
        .iter()
        .map(|spec: &String| flag::parse(spec))
        .collect::<Result<Vec<_>, _>>()
        .map_err(named)?;
    faults.validate().map_err(named)?;
    config.faults = faults;
    Ok(Parsed::Run(Box::new(config)))
}

fn number<T>(name: &str, value: &str, lo: T, hi: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let n: T = value
        .parse()
        .map_err(|_| format!("--{name}: '{value}' is not a whole number"))?;
    if n < lo || n > hi {
        return Err(format!("--{name}: {value} is not in {lo}..={hi}"));
    }
    Ok(n)
}

fn set(
    c: &mut Config,
    faults: &mut FaultConfig,
    specs: &mut Vec<String>,
    name: &str,
    v: &str,
) -> Result<(), String> {
    let max = u64::MAX;
    match name {
        "host" => c.host = v.to_string(),
        "port" => c.port = number(name, v, 0, u16::MAX)?,
        "username" => c.demo.username = v.to_string(),
        "password" => c.demo.password = v.to_string(),
        "token" => c.demo.token = v.to_string(),
        "external-username" => c.external.username = v.to_string(),
        "external-password" => c.external.password = v.to_string(),
        "external-token" => c.external.token = v.to_string(),
        "static-dir" => c.static_dir = Some(PathBuf::from(v)),
        "pkg-dir" => c.pkg_dir = Some(PathBuf::from(v)),
        "seed" => c.seed = number(name, v, 0, max)?,
        "today" => {
            c.today =
                Some(Date::parse_iso(v).ok_or_else(|| {
                    format!("--today: '{v}' is not a date of the form YYYY-MM-DD")
                })?)
        }
        "page-size" => c.page_size = number(name, v, 1, 100_000)?,
        "data-owners" => c.data_owners = number(name, v, 1, 1000)?,
        "customers" => c.customers = number(name, v, 0, 50_000_000)?,
        "campaigns" => c.campaigns = number(name, v, 0, 99)?,
        "outcomes" => c.outcomes = number(name, v, 0, 20_000)?,
        "edits" => c.edits = number(name, v, 0, u32::MAX)?,
        "latency-ms" => faults.latency_ms = number(name, v, 0, max)?,
        "jitter-ms" => faults.jitter_ms = number(name, v, 0, max)?,
        "fault-seed" => faults.seed = number(name, v, 0, max)?,
        "fault" => specs.push(v.to_string()),
        _ => unreachable!("every flag of FLAGS is set here"),
    }
    Ok(())
}

/// `--help`: what the sandbox is, then every flag with its default.
pub fn help(program: &str) -> String {
    let mut out = format!(
        "A local server that behaves like the documented Cube REST API (current /api/v1 and\n\
         legacy endpoints), with a deterministic generated tenant, Basic and Token auth, DRF\n\
         pagination, CORS, a request log, simulated edits, and injectable faults and latency.\n\n\
         The first line on stdout is exactly `listening on http://HOST:PORT`.\n\n\
         Usage: {program} [--flag VALUE]...\n\nFlags:\n"
    );
    for flag in FLAGS {
        out.push_str(&format!("  --{} {}\n", flag.name, flag.value));
        for line in flag.help.lines() {
            out.push_str(&format!("          {line}\n"));
        }
        if !flag.default.is_empty() {
            out.push_str(&format!("          [default: {}]\n", flag.default));
        }
    }
    out.push_str("  -h, --help     Print this help\n  -V, --version  Print the version\n");
    out
}

/// The flags that make `config` (every flag, so nothing depends on the defaults), e.g. to
/// start another edge with the same settings.
pub fn args_of(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut put = |name: &str, value: String| {
        out.push(format!("--{name}"));
        out.push(value);
    };
    put("host", config.host.clone());
    put("port", config.port.to_string());
    put("username", config.demo.username.clone());
    put("password", config.demo.password.clone());
    put("token", config.demo.token.clone());
    put("external-username", config.external.username.clone());
    put("external-password", config.external.password.clone());
    put("external-token", config.external.token.clone());
    if let Some(d) = &config.static_dir {
        put("static-dir", d.display().to_string());
    }
    if let Some(d) = &config.pkg_dir {
        put("pkg-dir", d.display().to_string());
    }
    put("seed", config.seed.to_string());
    if let Some(today) = config.today {
        put("today", today.to_string());
    }
    put("page-size", config.page_size.to_string());
    put("data-owners", config.data_owners.to_string());
    put("customers", config.customers.to_string());
    put("campaigns", config.campaigns.to_string());
    put("outcomes", config.outcomes.to_string());
    put("edits", config.edits.to_string());
    put("latency-ms", config.faults.latency_ms.to_string());
    put("jitter-ms", config.faults.jitter_ms.to_string());
    put("fault-seed", config.faults.seed.to_string());
    for rule in &config.faults.rules {
        put(
            "fault",
            serde_json::to_string(rule).expect("a fault rule is JSON"),
        );
    }
    out
}

/// What both edges print once listening; the first line is exactly `listening on BASE`.
pub fn banner(config: &Config, base: &str) -> String {
    let (demo, external) = (&config.demo, &config.external);
    format!(
        "listening on {base}\n\
         demo user (internal): username {}  password {}  token {}\n\
         external user (data owner 1 only): username {}  password {}  token {}\n\
         try: curl -u '{}:{}' {base}/account/who_am_i\n\
         sandbox info: {base}/_sandbox/info   OpenAPI: {base}/openapi.json\n",
        demo.username,
        demo.password,
        demo.token,
        external.username,
        external.password,
        external.token,
        demo.username,
        demo.password,
    )
}
