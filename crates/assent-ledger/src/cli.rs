//! The `assent-ledger` command line: `serve`, `export`, `verify`.

use std::io::Write;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use axum::http::HeaderValue;
use tracing_subscriber::filter::LevelFilter;

use crate::export::{self, Export};
use crate::listen::{DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS};
use crate::rate::{DEFAULT_BURST, DEFAULT_RATE};
use crate::receipt::LedgerKey;
use crate::server::{self, ServeOptions};
use crate::store::{self, Backend};

/// The usage text.
pub const USAGE: &str = "usage: assent-ledger <command>

commands:
  serve --listen ADDR --data DIR --policies DIR [--admin-token-file FILE]
        [--rate PER_SECOND] [--burst N] [--allow-origin ORIGIN]...
        [--shutdown-grace SECONDS] [--header-timeout SECONDS]
        [--max-connections N]
        [--rights-policy FILE [--clock system|adjustable] [--demo]]
      verify, store and receipt consent records (POST /v1/consent-records);
      prints `listening on http://ADDR` once it accepts connections; on
      SIGTERM or SIGINT finishes requests in flight (for at most
      --shutdown-grace, default 10) and exits
      a connection whose request line and headers take longer than
      --header-timeout (default 10), or that idles as long between
      requests, is closed; at most --max-connections (default 1024) are
      open at once, and more wait to be accepted
      with --rights-policy, also serves the rights API (/rights/v1, see
      docs/rights-api.yaml) for that policy and the reference app (/app/v1)
      on the same database; --clock adjustable lets POST /dev/clock move
      the clock forward (tests, demos); --demo seeds the demo account
  clock --data DIR --advance-days DAYS
      move the adjustable clock of a stopped server forward
  export --data DIR [--subject SUBJECT]
      print the export document of one subject, or of every record
  verify FILE
      check an export offline: signatures, canonical form, schema, chains, receipts;
      or a rights export's special-consents.json: each consent signed by the ledger

environment:
  ASSENT_DATABASE_URL  postgres://… or postgresql://… stores in PostgreSQL
                       (otherwise SQLite at DIR/ledger.sqlite3)
  ASSENT_ADMIN_TOKEN   admin bearer token, unless --admin-token-file is given
  ASSENT_LOG           log level: error, warn, info (default), debug, off";

/// Runs the command in `args` (without the program name).
pub fn run(args: &[String]) -> ExitCode {
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("clock") => clock(&args[1..]),
        Some("verify") => return verify(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!(
            "unknown command {:?}\n\n{USAGE}",
            other.unwrap_or("")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("assent-ledger: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs; every flag must be one of `known`.
fn flags<'a>(args: &'a [String], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    let mut out = Vec::new();
    let mut rest = args;
    while let [flag, tail @ ..] = rest {
        if !known.contains(&flag.as_str()) {
            return Err(format!("unexpected argument {flag:?}\n\n{USAGE}"));
        }
        let [value, tail @ ..] = tail else {
            return Err(format!("{flag} needs a value"));
        };
        out.push((flag.as_str(), value.as_str()));
        rest = tail;
    }
    Ok(out)
}

fn one<'a>(flags: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    flags
        .iter()
        .rev()
        .find(|(f, _)| *f == name)
        .map(|(_, v)| *v)
}

fn required<'a>(flags: &[(&str, &'a str)], name: &str) -> Result<&'a str, String> {
    one(flags, name).ok_or_else(|| format!("{name} is required\n\n{USAGE}"))
}

fn positive(flags: &[(&str, &str)], name: &str, default: u32) -> Result<NonZeroU32, String> {
    let value = one(flags, name).map_or(Ok(default), |v| {
        v.parse::<u32>()
            .map_err(|_| format!("{name} {v:?} is not a whole number"))
    })?;
    NonZeroU32::new(value).ok_or_else(|| format!("{name} must be at least 1"))
}

/// `name` as a number of seconds in `range`, else `default`.
fn seconds(
    flags: &[(&str, &str)],
    name: &str,
    default: Duration,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Duration, String> {
    let Some(v) = one(flags, name) else {
        return Ok(default);
    };
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && range.contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!(
                "{name} {v:?} is not a number of seconds from {} to {}",
                range.start(),
                range.end()
            )
        })
}

fn database_url() -> Option<String> {
    std::env::var("ASSENT_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

fn clock(args: &[String]) -> Result<(), String> {
    let flags = flags(args, &["--data", "--advance-days"])?;
    let data = PathBuf::from(required(&flags, "--data")?);
    let days = required(&flags, "--advance-days")?;
    let days: f64 = days
        .parse()
        .ok()
        .filter(|d: &f64| d.is_finite() && *d >= 0.0)
        .ok_or_else(|| format!("--advance-days {days:?} is not a number of days"))?;
    let offset = crate::rights::clock::advance_offline(&data, (days * 86_400_000.0) as u64)?;
    println!("the clock of {} is {offset} ms ahead", data.display());
    Ok(())
}

fn serve(args: &[String]) -> Result<(), String> {
    let demo = args.iter().any(|a| a == "--demo");
    let args: Vec<String> = args.iter().filter(|a| *a != "--demo").cloned().collect();
    let args = &args[..];
    let flags = flags(
        args,
        &[
            "--listen",
            "--data",
            "--policies",
            "--admin-token-file",
            "--rate",
            "--burst",
            "--allow-origin",
            "--shutdown-grace",
            "--header-timeout",
            "--max-connections",
            "--rights-policy",
            "--clock",
        ],
    )?;
    let adjustable_clock = match one(&flags, "--clock") {
        None | Some("system") => false,
        Some("adjustable") => true,
        Some(other) => return Err(format!("--clock {other:?}: system or adjustable")),
    };
    let rights = match one(&flags, "--rights-policy") {
        Some(policy) => Some(server::RightsOptions {
            policy: PathBuf::from(policy),
            adjustable_clock,
            demo,
        }),
        None if demo || adjustable_clock => {
            return Err("--demo and --clock need --rights-policy".into())
        }
        None => None,
    };
    let listen = required(&flags, "--listen")?;
    let listen: SocketAddr = listen
        .parse()
        .map_err(|_| format!("--listen {listen:?} is not an address such as 127.0.0.1:8081"))?;
    let admin_token = match one(&flags, "--admin-token-file") {
        Some(file) => Some(
            std::fs::read_to_string(file)
                .map_err(|e| format!("--admin-token-file {file}: {e}"))?
                .trim()
                .to_owned(),
        ),
        None => std::env::var("ASSENT_ADMIN_TOKEN").ok(),
    };
    if admin_token.as_deref().is_some_and(str::is_empty) {
        return Err("the admin token is empty".into());
    }
    let allow_origins = flags
        .iter()
        .filter(|(f, _)| *f == "--allow-origin")
        .map(|(_, origin)| {
            HeaderValue::from_str(origin.trim_end_matches('/'))
                .map_err(|_| format!("--allow-origin {origin:?} is not an origin"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = ServeOptions {
        listen,
        data: PathBuf::from(required(&flags, "--data")?),
        policies: PathBuf::from(required(&flags, "--policies")?),
        database_url: database_url(),
        admin_token,
        rate: positive(&flags, "--rate", DEFAULT_RATE)?,
        burst: positive(&flags, "--burst", DEFAULT_BURST)?,
        allow_origins,
        shutdown_grace: seconds(
            &flags,
            "--shutdown-grace",
            server::DEFAULT_SHUTDOWN_GRACE,
            0.0..=3600.0,
        )?,
        header_timeout: seconds(
            &flags,
            "--header-timeout",
            DEFAULT_HEADER_TIMEOUT,
            0.1..=3600.0,
        )?,
        max_connections: positive(&flags, "--max-connections", DEFAULT_MAX_CONNECTIONS)?,
        rights,
    };
    init_logs();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let served = runtime.block_on(server::serve(options));
    // Every log line before the exit (and before an error message).
    crate::logs::flush();
    served
}

/// JSON log lines on stderr (through [`crate::logs`]), level from
/// `ASSENT_LOG` (default `info`).
fn init_logs() {
    let level = std::env::var("ASSENT_LOG")
        .ok()
        .and_then(|l| l.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_max_level(level)
        .with_writer(crate::logs::Logs)
        .init();
}

fn export(args: &[String]) -> Result<(), String> {
    let flags = flags(args, &["--data", "--subject"])?;
    let data = PathBuf::from(required(&flags, "--data")?);
    let subject = one(&flags, "--subject");
    let key = LedgerKey::load(&data)?;
    let backend = Backend::choose(database_url().as_deref(), &data);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let records = runtime.block_on(store::read_records(&backend, subject))?;
    let document = Export::new(key.jwks(), records);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &document).map_err(|e| format!("cannot write: {e}"))?;
    writeln!(out).map_err(|e| format!("cannot write: {e}"))
}

fn verify(args: &[String]) -> ExitCode {
    let [file] = args else {
        eprintln!("assent-ledger: verify takes one export file\n\n{USAGE}");
        return ExitCode::FAILURE;
    };
    // `special-consents.json` of a rights export: consents signed by the ledger.
    let special = std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .filter(|document| document.get("consents").is_some());
    if let Some(document) = special {
        let (count, problems) = crate::rights::consent::verify_document(&document);
        for problem in &problems {
            println!("{file}: {problem}");
        }
        println!(
            "verified {} of {count} special-category consents",
            count - problems.len()
        );
        return if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let document = std::fs::read_to_string(file)
        .map_err(|e| format!("{file}: {e}"))
        .and_then(|text| {
            serde_json::from_str::<Export>(&text)
                .map_err(|e| format!("{file}: not an export document: {e}"))
        });
    let document = match document {
        Ok(document) => document,
        Err(message) => {
            eprintln!("assent-ledger: {message}");
            return ExitCode::FAILURE;
        }
    };
    let report = export::verify(&document);
    for problem in &report.problems {
        println!("{file}: {problem}");
    }
    println!("{}", report.summary());
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
