//! The run of one target: draw an input (generated from `arbitrary` data,
//! or a corpus entry mutated), run it under the guard, keep it in the corpus
//! when its outcome is new, hand it to the JavaScript twins; on the first
//! failure, minimise the input if that is cheap, keep it as a regression
//! file and stop.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use arbitrary::Unstructured;

use crate::guard::{self, Watchdog};
use crate::rng::Rng;
use crate::twins::Twins;
use crate::{mutate, regress, Failure, Target};

/// How a run goes.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long each target runs.
    pub duration: Duration,
    /// At most this many inputs (the tests' short runs), else unbounded.
    pub max_inputs: Option<u64>,
    /// The run's seed; each target draws from its own stream of it.
    pub seed: u64,
    /// The workspace root: seeds, regression files, the twin script.
    pub root: PathBuf,
    /// Whether to hand inputs to the JavaScript twins (node).
    pub twins: bool,
    /// Whether failing inputs are written as regression files.
    pub keep: bool,
}

/// A failure found, and the regression file it was kept as.
#[derive(Clone, Debug)]
pub struct Found {
    /// What went wrong.
    pub failure: Failure,
    /// Where the input was kept.
    pub file: Option<PathBuf>,
}

/// What a target's run did.
#[derive(Clone, Debug)]
pub struct Report {
    /// The target.
    pub target: &'static str,
    /// Inputs tried.
    pub inputs: u64,
    /// How long it ran.
    pub elapsed: Duration,
    /// Its failures (at most a few: a run stops at its first).
    pub failures: Vec<Found>,
    /// The run's seed.
    pub seed: u64,
    /// The kinds of outcome seen (`decoded`, `bad-signature`, …), sorted.
    pub outcomes: Vec<String>,
    /// Cases the JavaScript twins checked (`None`: the target has no twin).
    pub twin_cases: Option<u64>,
}

impl Report {
    /// The line `cargo xtask fuzz` prints for the target.
    pub fn line(&self) -> String {
        let seconds = self.elapsed.as_secs_f64();
        let rate = if seconds > 0.0 {
            self.inputs as f64 / seconds
        } else {
            0.0
        };
        let twins = self
            .twin_cases
            .map(|n| format!("; {n} cases checked by the JavaScript twins"))
            .unwrap_or_default();
        format!(
            "{}: {} inputs tried in {seconds:.1} s ({rate:.0}/s), {} failures, seed {}; {} kinds of outcome{twins}",
            self.target,
            self.inputs,
            self.failures.len(),
            self.seed,
            self.outcomes.len(),
        )
    }
}

/// Twin disagreements kept as regression files per run (one bug usually
/// shows on many inputs).
const KEPT_TWIN_FAILURES: usize = 3;
/// Corpus entries kept for their new outcomes, at most.
const CORPUS_LIMIT: usize = 4096;

/// Runs `target` as `options` say.
pub fn run(target: &'static Target, options: &Options) -> Result<Report, String> {
    let root = options.root.clone();
    let mut corpus = (target.seeds)(&root);
    corpus
        .entries
        .extend(regress::read_all(&root, target).into_iter().map(|(_, b)| b));
    let mut rng = Rng::for_target(options.seed, target.name);
    let keep = options.keep;
    let hang_root = root.clone();
    let watchdog = Watchdog::start(move |input| {
        let kept = keep.then(|| regress::write(&hang_root, target, input));
        eprintln!(
            "{}: hang: an input ran longer than {} s; kept as {kept:?}",
            target.name,
            guard::TIME_LIMIT.as_secs()
        );
    });
    let mut twins = match (target.twin, options.twins) {
        (Some(_), true) => Some(Twins::start(&root)?),
        _ => None,
    };
    let started = Instant::now();
    let mut outcomes = HashSet::new();
    let mut failures = Vec::new();
    let mut inputs = 0u64;
    while started.elapsed() < options.duration && options.max_inputs.is_none_or(|max| inputs < max)
    {
        let buffer = rng.buffer(4096);
        let mut u = Unstructured::new(&buffer);
        let drawn = if !corpus.entries.is_empty() && rng.below(2) == 0 {
            let base = corpus.entries[rng.below(corpus.entries.len())].clone();
            (target.mutate)(&mut u, &base, &corpus)
        } else {
            (target.generate)(&mut u, &corpus)
        };
        let Ok(input) = drawn else { continue };
        inputs += 1;
        match watchdog.run(target, &input) {
            Ok(outcome) => {
                if outcomes.insert(outcome) && corpus.entries.len() < CORPUS_LIMIT {
                    corpus.entries.push(input.clone());
                }
            }
            Err(failure) => {
                let file = keep_failing(&root, target, &input, &failure, options.keep)?;
                failures.push(Found { failure, file });
                break;
            }
        }
        if let (Some(twins), Some(cases)) = (twins.as_mut(), target.twin) {
            for case in cases(&input) {
                twins.send(&case)?;
            }
            if twins.disagreed() {
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    drop(watchdog);
    let twin_cases = twins.as_ref().map(|t| t.sent);
    if let Some(twins) = twins {
        let mut seen = HashSet::new();
        for disagreement in twins.finish()? {
            if !seen.insert(disagreement.input.clone()) {
                continue;
            }
            let failure = Failure::Twin(disagreement.problems.join("; "));
            let file = if options.keep && seen.len() <= KEPT_TWIN_FAILURES {
                Some(regress::write(
                    &root,
                    target,
                    disagreement.input.as_bytes(),
                )?)
            } else {
                None
            };
            failures.push(Found { failure, file });
        }
    }
    Ok(Report {
        target: target.name,
        inputs,
        elapsed,
        twin_cases,
        failures,
        seed: options.seed,
        outcomes: {
            let mut kinds: Vec<String> = outcomes.into_iter().collect();
            kinds.sort();
            kinds
        },
    })
}

/// Minimises a failing input (not a hang: each try would take the time
/// limit) and keeps it as a regression file.
fn keep_failing(
    root: &Path,
    target: &'static Target,
    input: &[u8],
    failure: &Failure,
    keep: bool,
) -> Result<Option<PathBuf>, String> {
    if !keep {
        return Ok(None);
    }
    let small = if matches!(failure, Failure::Hang(_)) {
        input.to_vec()
    } else {
        mutate::minimise(
            input,
            400,
            |candidate| matches!(guard::check(target, candidate), Err(f) if f.kind() == failure.kind()),
        )
    };
    regress::write(root, target, &small).map(Some)
}
