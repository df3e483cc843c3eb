//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use std::time::Instant;

use std::ffi::OsStr;

use crate::postgres::Postgres;
use crate::run::{cmd, output, status, status_counting, target_dir, Counts};
use crate::setup::{self, CHROMEDRIVER, CHROMIUM};
use crate::stress::Load;
use crate::{bench_managers, dist, node_suite, root};

/// Runs every check; stops at the first failure. `--stress`: the browser
/// suites (loader and end-to-end) run while every core is kept busy.
pub fn test(args: &[String]) -> Result<(), String> {
    let stress = match args {
        [] => false,
        [flag] if flag == "--stress" => true,
        _ => return Err("usage: cargo xtask test [--stress]".into()),
    };
    let started = Instant::now();
    let mut counts = Counts::default();
    report_disk("before");
    let result = checks(&mut counts, stress);
    report_disk("after");
    if result.is_ok() {
        println!(
            "\nxtask test: all checks passed in {:.0} s",
            started.elapsed().as_secs_f32()
        );
    }
    // The plain closing line CI reads, whatever the outcome.
    println!(
        "summary: {} passed, {} failed",
        counts.passed, counts.failed
    );
    result?;
    Ok(())
}

fn checks(counts: &mut Counts, stress: bool) -> Result<(), String> {
    setup::setup()?;

    step("format");
    status(cmd("cargo").args(["fmt", "--all", "--check"]))?;

    step("clippy (native and wasm32, warnings denied)");
    status(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    status(cmd("cargo").args([
        "clippy",
        "-p",
        "assent",
        "-p",
        "assent-web",
        "-p",
        "assent-panel",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("native tests");
    status_counting(cmd("cargo").args(["test", "--workspace"]), counts)?;

    step("browser tests (wasm-bindgen-test, headless Chromium)");
    status_counting(
        cmd("cargo")
            .args(["test", "-p", "assent", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        counts,
    )?;

    step("release build");
    dist::dist()?;

    step("loader (shared test vectors, page behaviour in headless Chromium)");
    let site = dist::site_dir();
    let browser_env = [
        ("ASSENT_SITE_DIR", site.as_os_str()),
        ("ASSENT_CHROMIUM", OsStr::new(CHROMIUM)),
    ];
    let suites = root().join("tests");
    under_load(stress, || {
        node_suite::run(
            &node_suite::files_in(&suites.join("loader"))?,
            &browser_env,
            counts,
        )
    })?;

    step("end-to-end (Playwright, headless Chromium; consent records on SQLite)");
    status(cmd("cargo").args(["build", "-p", "assent-ledger"]))?;
    let ledger = target_dir().join("debug").join("assent-ledger");
    let e2e_env = [
        browser_env[0],
        browser_env[1],
        ("ASSENT_LEDGER_BIN", ledger.as_os_str()),
    ];
    under_load(stress, || {
        node_suite::run(
            &node_suite::files_in(&suites.join("e2e"))?,
            &e2e_env,
            counts,
        )
    })?;

    step("bench smoke run (Assent beside cookieconsent, klaro and tarteaucitron; budgets not judged)");
    bench_managers::smoke()?;

    step("consent records and the GDPR panel end to end on PostgreSQL (Debian's server on 127.0.0.1)");
    let postgres = Postgres::start()?;
    let postgres_env = [
        browser_env[0],
        browser_env[1],
        ("ASSENT_LEDGER_BIN", ledger.as_os_str()),
        ("ASSENT_E2E_POSTGRES", OsStr::new(&postgres.url)),
    ];
    let e2e = suites.join("e2e");
    under_load(stress, || {
        node_suite::run(
            &[e2e.join("records.test.mjs"), e2e.join("panel.test.mjs")],
            &postgres_env,
            counts,
        )
    })?;
    Ok(())
}

/// What a run needs on disk, measured on a fresh clone: the target directory
/// grows to about this size (debug builds, wasm, release site, bench).
const DISK_NEEDED_GIB: f64 = 6.0;

/// Prints the free space where the build writes, and warns before a run that
/// would stop with "no space left on device" half-way through.
fn report_disk(when: &str) {
    let target = target_dir();
    let free_kib = output(
        cmd("df")
            .args(["-Pk"])
            .arg(target.parent().unwrap_or(&target)),
    )
    .and_then(|table| {
        table
            .lines()
            .nth(1)?
            .split_whitespace()
            .nth(3)?
            .parse::<f64>()
            .ok()
    });
    let Some(free_kib) = free_kib else { return };
    let free_gib = free_kib / (1024.0 * 1024.0);
    println!(
        "disk {when}: {free_gib:.1} GiB free for {}",
        target.display()
    );
    if when == "before" && free_gib < DISK_NEEDED_GIB {
        println!(
            "warning: a run needs about {DISK_NEEDED_GIB} GiB for its builds; \
             expect \"no space left on device\" (free space with `cargo clean`)"
        );
    }
}

/// Runs `suite`, with every core kept busy if `stress`.
fn under_load<T>(stress: bool, suite: impl FnOnce() -> T) -> T {
    let _load = stress.then(Load::start);
    suite()
}

fn step(name: &str) {
    println!("\n==> {name}");
}
