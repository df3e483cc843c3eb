//! `cargo xtask soak`: the consent manager's invariants at scale, on the
//! release site in headless Chromium.
//!
//! - `soak [--loads N]`: the model-based randomized end-to-end run
//!   (`tests/e2e/randomized.test.mjs`) for N page loads (default 10,000),
//!   `STREAMS` visitors at a time: no gated script or embed runs or loads
//!   before the decision allows it, and every allowed one runs exactly once.
//!   It prints loads per minute and the violations (expected 0).
//!   `cargo xtask test` runs it for 200 loads, one visitor at a time.
//! - `soak --records [--decisions N]`: N decisions (default 1,000) across
//!   tabs and reloads against the real ledger behind a chaos proxy, the ledger
//!   killed and restarted along the way (`tests/soak/records.mjs`); at the end
//!   every decision is stored exactly once and every chain is unbroken.

use crate::run::{cmd, status, target_dir};
use crate::setup::{self, CHROMIUM};
use crate::{dist, root};

/// Visitors browsing at a time in `soak`: more keeps both cores busy while
/// each visitor waits for its page to settle.
const STREAMS: &str = "4";

/// Runs the soak `args` ask for.
pub fn soak(args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cargo xtask soak [--loads N] | soak --records [--decisions N]";
    let (records, count) = match args {
        [] => (false, None),
        [flag, n] if flag == "--loads" => (false, Some(n)),
        [flag] if flag == "--records" => (true, None),
        [flag, option, n] if flag == "--records" && option == "--decisions" => (true, Some(n)),
        _ => return Err(USAGE.into()),
    };
    if let Some(n) = count {
        n.parse::<u32>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or(format!("{n}: not a positive number ({USAGE})"))?;
    }
    setup::setup()?;
    dist::dist()?;
    status(cmd("cargo").args(["build", "-p", "assent-ledger"]))?;
    let mut node = cmd("node");
    node.env("ASSENT_SITE_DIR", dist::site_dir())
        .env("ASSENT_CHROMIUM", CHROMIUM)
        .env(
            "ASSENT_LEDGER_BIN",
            target_dir().join("debug").join("assent-ledger"),
        );
    if records {
        node.arg(root().join("tests").join("soak").join("records.mjs"));
        if let Some(n) = count {
            node.env("ASSENT_SOAK_DECISIONS", n);
        }
    } else {
        node.args(["--test", "--test-reporter=spec"])
            .arg(root().join("tests").join("e2e").join("randomized.test.mjs"))
            .env("ASSENT_E2E_LOADS", count.map_or("10000", String::as_str))
            .env("ASSENT_E2E_STREAMS", STREAMS);
    }
    status(&mut node)
}
