//! `cargo xtask bench …`: dispatches to the benches (`bench` alone compares
//! Assent with other consent managers, `bench_managers.rs`; `bench rights`
//! is `bench_rights.rs`) and holds this one.
//!
//! `cargo xtask bench ledger`: the consent ledger's throughput, verified and
//! durably stored, on SQLite (budget: 5,000 records/s on the project's
//! 2-core machine) and on PostgreSQL (reported, no budget); then the
//! browser's signing cost, when `tests/bench/sign.mjs` exists.
//!
//! The ledger is built with the `server` profile (optimised for speed, see
//! Cargo.toml) and run on 127.0.0.1 with a fresh data directory;
//! `assent-ledger-load` pre-signs 20,000 records over 200 devices and posts
//! them on 64 connections, each device's chain in order on one connection,
//! and prints the result line.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::postgres::Postgres;
use crate::root;
use crate::run::{cmd, status, target_dir};
use crate::setup::CHROMIUM;

/// Records per second the SQLite ledger must verify and store.
pub const SQLITE_BUDGET: u32 = 5_000;
const RECORDS: &str = "20000";
const SUBJECTS: &str = "200";
const CONNECTIONS: &str = "64";

/// Runs a `bench` subcommand; without one (or with only options), the
/// comparison with other consent managers (`bench_managers.rs`).
pub fn bench(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("ledger") => ledger(),
        Some("rights") => crate::bench_rights::rights(),
        None | Some("--runs" | "--smoke") => crate::bench_managers::managers(args),
        _ => Err(
            "usage: cargo xtask bench [--runs N] [--smoke] | bench ledger | bench rights".into(),
        ),
    }
}

fn ledger() -> Result<(), String> {
    status(cmd("cargo").args([
        "build",
        "--profile",
        "server",
        "-p",
        "assent-ledger",
        "--bins",
    ]))?;
    let bin = target_dir().join("server");
    let within = run(&bin, "sqlite", None, Some(SQLITE_BUDGET))?;
    let postgres = Postgres::start()?;
    run(&bin, "postgres", Some(&postgres.url), None)?;
    drop(postgres);

    let sign = root().join("tests").join("bench").join("sign.mjs");
    if sign.is_file() {
        status(
            cmd("node")
                .arg(&sign)
                .env("ASSENT_SITE_DIR", "pkg/site")
                .env("ASSENT_CHROMIUM", CHROMIUM),
        )?;
    }
    if within {
        Ok(())
    } else {
        Err(format!(
            "the SQLite ledger is under its budget of {SQLITE_BUDGET} records/s"
        ))
    }
}

/// Stops the ledger however the bench ends.
struct Ledger {
    child: Child,
    data: PathBuf,
}

impl Drop for Ledger {
    fn drop(&mut self) {
        let _ = cmd("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// One backend: start the ledger, load it, stop it. Whether the rate was
/// within `budget` (true without one).
fn run(
    bin: &Path,
    label: &str,
    database: Option<&str>,
    budget: Option<u32>,
) -> Result<bool, String> {
    let data = std::env::temp_dir().join(format!("assent-bench-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let log = std::fs::File::create(data.join("ledger.log"))
        .map_err(|e| format!("{}: {e}", data.display()))?;
    let mut serve = cmd(bin.join("assent-ledger"));
    serve
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .arg("--policies")
        .arg(root().join("www").join("policies"))
        .env_remove("ASSENT_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log);
    if let Some(url) = database {
        serve.env("ASSENT_DATABASE_URL", url);
    }
    let mut child = serve
        .spawn()
        .map_err(|e| format!("cannot start the ledger: {e}"))?;
    let stdout = child.stdout.take();
    let mut ledger = Ledger { child, data };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout
            .into_iter()
            .flat_map(|s| BufReader::new(s).lines().map_while(Result::ok))
        {
            if let Some(url) = line.strip_prefix("listening on ") {
                let _ = tx.send(url.trim().to_owned());
            }
        }
    });
    let url = rx.recv_timeout(Duration::from_secs(60)).map_err(|_| {
        let _ = ledger.child.kill();
        format!(
            "the {label} ledger did not start:\n{}",
            std::fs::read_to_string(ledger.data.join("ledger.log")).unwrap_or_default()
        )
    })?;

    let mut load = cmd(bin.join("assent-ledger-load"));
    load.args(["--url", &url, "--label", label])
        .arg("--policies")
        .arg(root().join("www").join("policies"))
        .args([
            "--records",
            RECORDS,
            "--subjects",
            SUBJECTS,
            "--connections",
            CONNECTIONS,
        ]);
    if let Some(budget) = budget {
        load.args(["--budget", &budget.to_string()]);
    }
    let before = cpu_ticks(ledger.child.id());
    let outcome = load
        .status()
        .map_err(|e| format!("cannot run assent-ledger-load: {e}"))?;
    // The ledger's own CPU time per record (it idles while the load signs):
    // steadier than the rate on a shared machine, whose speed varies.
    if let (Some(before), Some(after)) = (before, cpu_ticks(ledger.child.id())) {
        let records: f64 = RECORDS.parse().unwrap_or(1.0);
        println!(
            "ledger ({label}): CPU {:.0} µs per record (user + system, all threads)",
            (after - before) as f64 * 1e6 / CLOCK_TICKS / records
        );
    }
    drop(ledger);
    // Exit 2: every record stored, under the budget; 1: a record refused or lost.
    match outcome.code() {
        Some(0) => Ok(true),
        Some(2) => Ok(false),
        _ => Err(format!(
            "the {label} load failed ({outcome}): see its messages above"
        )),
    }
}

/// `sysconf(_SC_CLK_TCK)` on Linux.
const CLOCK_TICKS: f64 = 100.0;

/// User plus system CPU time of process `pid` so far, in clock ticks
/// (`/proc/PID/stat` fields 14 and 15); `None` off Linux.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): fields 14 and 15 are at 11 and 12.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}
