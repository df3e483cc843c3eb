//! `cargo xtask bench [--runs N] [--smoke]`: Assent beside three JavaScript
//! consent managers (vanilla-cookieconsent, klaro, tarteaucitron, pinned in
//! package.json), each on the same host page gating the same two tags, in one
//! headless Chromium: bytes fetched, time to the banner, to Reject all taking
//! effect, to the gated tags on a return visit and to the preferences, total
//! blocking time, layout shift, peak JS heap and axe violations, on loopback
//! and on emulated slow 4G; then Assent's budgets (docs/bench.md).
//!
//! This side makes sure what the bench measures is built: the release site in
//! `pkg/site` (reused when it is one, else built by [`dist::dist`]) and the
//! reference ledger that receives Assent's consent records; the measuring is
//! `tests/bench/managers.mjs`.

use std::fs;
use std::time::{Instant, SystemTime};

use crate::dist::{self, gzip_len, CEILING_GZIP_BYTES};
use crate::root;
use crate::run::{cmd, status, target_dir};
use crate::setup::{self, CHROMIUM};

/// The bench's entry point in node.
const SCRIPT: &str = "tests/bench/managers.mjs";

/// The consent managers compared with Assent: npm package and exact version
/// (package.json pins them; docs/bench.md names them).
pub const COMPARED: [(&str, &str); 3] = [
    ("vanilla-cookieconsent", "3.1.0"),
    ("klaro", "0.7.22"),
    ("tarteaucitronjs", "1.34.0"),
];

/// `cargo xtask bench [--runs N] [--smoke]`: setup, the site, the ledger, the bench.
pub fn managers(args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    setup::setup()?;
    match release_site() {
        Ok(age) => println!(
            "bench: reusing the release site in pkg/site (built {age}; `cargo xtask dist` rebuilds it)"
        ),
        Err(why) => {
            println!("bench: {why}: building the release site (cargo xtask dist)");
            dist::dist()?;
        }
    }
    let result = run(args);
    println!(
        "bench: took {:.0} s in all",
        started.elapsed().as_secs_f32()
    );
    result
}

/// The smoke run of `cargo xtask test` (after its release build): one run on
/// loopback, every candidate's banner, Reject all and Accept all checked,
/// budgets not judged.
pub fn smoke() -> Result<(), String> {
    run(&["--smoke".to_owned()])
}

/// Builds the ledger and runs the node bench with `args`.
fn run(args: &[String]) -> Result<(), String> {
    status(cmd("cargo").args(["build", "-p", "assent-ledger"]))?;
    let ledger = target_dir().join("debug").join("assent-ledger");
    let compared: Vec<String> = COMPARED.iter().map(|(p, v)| format!("{p} {v}")).collect();
    println!("bench: Assent beside {}", compared.join(", "));
    let started = Instant::now();
    let mut node = cmd("node");
    node.arg(root().join(SCRIPT))
        .args(args)
        .env("ASSENT_SITE_DIR", dist::site_dir())
        .env("ASSENT_CHROMIUM", CHROMIUM)
        .env("ASSENT_LEDGER_BIN", &ledger);
    let outcome = node
        .status()
        .map_err(|e| format!("cannot run node {SCRIPT}: {e}"))?;
    println!(
        "bench: the comparison took {:.0} s",
        started.elapsed().as_secs_f32()
    );
    // managers.mjs: 0 all well, 2 a budget missed, anything else the bench failed.
    match outcome.code() {
        Some(0) => Ok(()),
        Some(2) => Err("Assent missed at least one budget (verdicts above)".into()),
        _ => Err(format!(
            "{SCRIPT} failed ({outcome}): see its messages above"
        )),
    }
}

/// How old the release site in `pkg/site` is, or why it cannot be reused: a
/// file missing, or a widget over the size ceiling that every release build
/// stays under (`cargo xtask serve` writes a debug build there, ~2 MiB).
fn release_site() -> Result<String, String> {
    let site = dist::site_dir();
    let read =
        |file: &str| fs::read(site.join(file)).map_err(|_| format!("pkg/site has no {file}"));
    read(crate::loader::FILE)?;
    let wasm = read("assent_bg.wasm")?;
    let glue = read("assent.js")?;
    let gzip = gzip_len(&wasm) + gzip_len(&glue);
    if gzip > CEILING_GZIP_BYTES {
        return Err(format!(
            "pkg/site holds a debug build of the widget ({gzip} B gzip)"
        ));
    }
    let built = fs::metadata(site.join("assent_bg.wasm"))
        .and_then(|m| m.modified())
        .ok();
    let minutes = built
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .map(|d| d.as_secs() / 60);
    Ok(match minutes {
        Some(m) => format!("{m} min ago"),
        None => "at an unknown time".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bench's policy stays a clean policy, so its page configuration and
    /// the ledger's copy can always be made from it.
    #[test]
    fn the_bench_policy_passes_lint() {
        let policy = root().join("tests/bench/managers/policies/bench.toml");
        crate::policy::read_policy(&policy.to_string_lossy()).unwrap();
    }

    /// The comparison names exact versions: package.json pins each one (no
    /// range, so `npm ci` installs what the results were measured with) and
    /// docs/bench.md says which.
    #[test]
    fn the_compared_managers_are_pinned_to_the_documented_versions() {
        let manifest = fs::read_to_string(root().join("package.json")).unwrap();
        let pinned = setup::dev_dependencies(&manifest);
        let docs = fs::read_to_string(root().join("docs/bench.md")).unwrap();
        for (package, version) in COMPARED {
            assert!(
                pinned.contains(&(package.to_owned(), version.to_owned())),
                "package.json must pin {package} to exactly {version}: {pinned:?}"
            );
            assert!(
                docs.contains(version),
                "docs/bench.md does not name {package} {version}"
            );
        }
    }
}
