//! `assent-fuzz [--seconds N] [--target NAME]... [--seed S] [--verbose] [--list]`: runs
//! each target for N seconds (default 60) and prints, per target, the inputs
//! tried, their rate, the failures and the seed; exits non-zero on any
//! failure, naming the regression files kept (`--verbose`: the kinds of
//! outcome seen too). `cargo xtask fuzz` builds and
//! runs it (docs/fuzzing.md). Every run also rewrites
//! `tests/fuzz/regressions/twins.json` from the regression files.

use std::process::ExitCode;
use std::time::Duration;

use assent_fuzz::engine::{self, Options, Report};
use assent_fuzz::{guard, rng, target, twins, Target, TARGETS};

const USAGE: &str =
    "usage: assent-fuzz [--seconds N] [--target NAME]... [--seed S] [--verbose] [--list]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(guard::STACK)
        .spawn(move || fuzz(&args));
    match run.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(message))) => {
            eprintln!("assent-fuzz: {message}");
            ExitCode::FAILURE
        }
        _ => ExitCode::FAILURE,
    }
}

fn fuzz(args: &[String]) -> Result<(), String> {
    let mut seconds = 60u64;
    let mut seed = None;
    let mut verbose = false;
    let mut chosen: Vec<&'static Target> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--seconds" => seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--seed" => seed = Some(parse_seed(value()?)?),
            "--target" => {
                for name in value()?.split(',') {
                    chosen.push(target(name).ok_or_else(|| {
                        let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                        format!("no target {name:?}; the targets: {}", names.join(", "))
                    })?);
                }
            }
            "--verbose" => verbose = true,
            "--list" => {
                for t in &TARGETS {
                    println!("{:<13} {}", t.name, t.about);
                }
                return Ok(());
            }
            _ => return Err(format!("unknown argument {arg:?}\n{USAGE}")),
        }
    }
    if chosen.is_empty() {
        chosen = TARGETS.iter().collect();
    }
    let root = assent_fuzz::root();
    let options = Options {
        duration: Duration::from_secs(seconds),
        max_inputs: None,
        seed: seed.unwrap_or_else(rng::fresh_seed),
        root: root.clone(),
        twins: true,
        keep: true,
    };
    println!(
        "fuzzing {} target(s) for {seconds} s each, seed {} (repeat with --seed {})",
        chosen.len(),
        options.seed,
        options.seed
    );
    let mut reports: Vec<Report> = Vec::new();
    for t in chosen {
        let report = engine::run(t, &options)?;
        println!("{}", report.line());
        if verbose {
            println!("  outcomes: {}", report.outcomes.join(" | "));
        }
        for found in &report.failures {
            let file = found
                .file
                .as_ref()
                .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
                .unwrap_or_else(|| "(not kept)".into());
            println!("  FAILURE {file}: {}", found.failure);
        }
        reports.push(report);
    }
    twins::write_regression_cases(&root)?;
    let failures: usize = reports.iter().map(|r| r.failures.len()).sum();
    let inputs: u64 = reports.iter().map(|r| r.inputs).sum();
    println!("fuzz: {inputs} inputs tried, {failures} failures");
    if failures > 0 {
        return Err(format!(
            "{failures} failure(s); each input is kept under tests/fuzz/regressions/ and replayed by `cargo test -p assent-fuzz`"
        ));
    }
    Ok(())
}

/// A seed in decimal or `0x` hexadecimal.
fn parse_seed(text: &str) -> Result<u64, String> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .map_err(|e| format!("--seed {text:?}: {e}"))
}
