//! `cargo xtask fuzz [--seconds N] [--target NAME] [--seed S] [--verbose]`:
//! builds the fuzz engine (`crates/assent-fuzz`, profile `fuzz`: optimised,
//! panics unwind, overflow checks on) and runs every target, or the one
//! named, for N seconds (default 60), printing per target the inputs tried,
//! their rate, the failures and the seed. Fails on any failure; each failing
//! input is kept under `tests/fuzz/regressions/`, which `cargo xtask test`
//! replays (docs/fuzzing.md).

use crate::run::{cmd, status};

const USAGE: &str = "usage: cargo xtask fuzz [--seconds N] [--target NAME] [--seed S] [--verbose]";

/// Runs `fuzz` with its arguments.
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut passed: Vec<&str> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" | "--target" | "--seed" => {
                let value = args.next().ok_or(format!("{arg} needs a value\n{USAGE}"))?;
                if arg == "--seconds" && value.parse::<u64>().is_err() {
                    return Err(format!(
                        "--seconds {value:?} is not a number of seconds\n{USAGE}"
                    ));
                }
                passed.extend([arg.as_str(), value.as_str()]);
            }
            "--verbose" => passed.push(arg),
            _ => return Err(format!("unknown argument {arg:?}\n{USAGE}")),
        }
    }
    status(
        cmd("cargo")
            .args([
                "run",
                "--quiet",
                "--profile",
                "fuzz",
                "-p",
                "assent-fuzz",
                "--",
            ])
            .args(passed),
    )
}
