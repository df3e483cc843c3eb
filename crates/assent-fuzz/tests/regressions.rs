//! Replays every regression file of every fuzz target
//! (`tests/fuzz/regressions/<target>/`): each input that ever failed, and a
//! checked-in seed per target so the replay is never of nothing, runs
//! through its target's check under the guard (a panic or a hang fails the
//! test). `cargo test --workspace`, which `cargo xtask test` runs, runs it.
//! The JavaScript twins replay the same files from
//! `tests/fuzz/regressions/twins.json`, kept current here.

use std::path::Path;
use std::time::Duration;

use assent_fuzz::engine::{self, Options};
use assent_fuzz::{check, guard, regress, root, twins, Failure, Target, TARGETS};

#[test]
fn every_regression_file_passes_its_target() {
    let root = root();
    let mut failed = Vec::new();
    for target in &TARGETS {
        let files = regress::read_all(&root, target);
        assert!(
            files
                .iter()
                .any(|(path, _)| name(path).starts_with("seed-")),
            "{} has no checked-in seed in {}",
            target.name,
            regress::dir(&root, target).display()
        );
        for (path, bytes) in files {
            if let Err(failure) = check(target, &bytes) {
                failed.push(format!("{}: {failure}", path.display()));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The JavaScript twins' regression cases are core's answers on today's
/// regression files (`cargo xtask fuzz` writes them).
#[test]
fn the_twins_regression_cases_are_current() {
    let root = root();
    let written = std::fs::read_to_string(root.join(twins::REGRESSION_CASES)).unwrap_or_default();
    assert!(
        written == twins::regression_text(&root),
        "{} is stale: run `cargo xtask fuzz --seconds 0`",
        twins::REGRESSION_CASES
    );
    let cases = twins::regression_cases(&root);
    for kind in ["consent", "decisions", "jcs"] {
        assert!(
            cases["cases"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c["kind"] == kind)),
            "no {kind} case"
        );
    }
}

/// Every target loads seeds and runs a short deterministic run clean.
#[test]
fn a_short_run_of_every_target_is_clean() {
    let options = Options {
        duration: Duration::from_secs(30),
        max_inputs: Some(300),
        seed: 20_260_101,
        root: root(),
        twins: false,
        keep: false,
    };
    for target in &TARGETS {
        assert!(
            !(target.seeds)(&options.root).entries.is_empty(),
            "{} has no seeds",
            target.name
        );
        let report = engine::run(target, &options).unwrap();
        assert_eq!(report.inputs, 300, "{}", target.name);
        assert!(
            report.failures.is_empty(),
            "{}: {:?}",
            target.name,
            report.failures
        );
        assert!(
            report.outcomes.len() >= 2,
            "{}: {:?}",
            target.name,
            report.outcomes
        );
    }
}

fn trap(input: &[u8]) -> Result<String, Failure> {
    match input {
        b"panic" => panic!("a planted panic"),
        b"hang" => loop {
            std::thread::sleep(Duration::from_millis(50));
        },
        b"wrong" => Err(Failure::Oracle("a planted oracle failure".into())),
        _ => Ok("fine".into()),
    }
}

static TRAP: Target = Target {
    name: "trap",
    extension: "txt",
    about: "a target that fails on purpose",
    seeds: |_| Default::default(),
    generate: |_, _| Ok(Vec::new()),
    mutate: |_, input, _| Ok(input.to_vec()),
    check: trap,
    twin: None,
};

/// The guard turns a panic, a hang and a broken oracle into failures, so a
/// replay cannot pass by crashing or waiting forever.
#[test]
fn the_guard_catches_panics_hangs_and_oracle_failures() {
    assert_eq!(check(&TRAP, b"fine"), Ok("fine".into()));
    match check(&TRAP, b"panic") {
        Err(Failure::Panic(message)) => {
            assert!(message.contains("a planted panic"), "{message}");
            assert!(message.contains("regressions.rs"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(check(&TRAP, b"hang"), Err(Failure::Hang(guard::TIME_LIMIT)));
    assert_eq!(check(&TRAP, b"wrong").unwrap_err().kind(), "oracle");
}
