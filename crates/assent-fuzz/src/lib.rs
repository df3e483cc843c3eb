//! Assent's fuzzing engine on stable Rust (`cargo xtask fuzz`, docs/fuzzing.md).
//!
//! Not coverage-guided: AFL and libFuzzer need nightly or native toolchains
//! this project does not set up. Instead each [`Target`] makes inputs two
//! ways from a seeded PRNG ([`rng`]): structure-aware generation with
//! `arbitrary` (records signed by a real device key, stored values, JSON
//! trees), and mutation ([`mutate`]) of a corpus seeded with the
//! repository's own files (policies, vectors, page configurations) that
//! grows with every input whose outcome is of a kind not seen before.
//!
//! Every input runs through its target's [`Target::check`] under
//! [`guard`]: a panic, a hang or a broken oracle is a [`Failure`], kept as a
//! regression file ([`regress`]) that `cargo test -p assent-fuzz` replays.
//! Targets with a JavaScript twin also hand each input, with core's answer,
//! to `tests/fuzz/twins.mjs` ([`twins`]), which must agree on every one.

pub mod engine;
pub mod guard;
pub mod json;
pub mod mutate;
pub mod regress;
pub mod rng;
pub mod seeds;
pub mod targets;
pub mod twins;

use std::fmt;
use std::path::{Path, PathBuf};

pub use guard::check;
pub use targets::{target, Target, TARGETS};

/// How a run of an input went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The code under test panicked (message and location).
    Panic(String),
    /// It did not return within the time limit.
    Hang(std::time::Duration),
    /// It returned, but an oracle does not hold: what, in words.
    Oracle(String),
    /// The JavaScript twin does not give core's answer.
    Twin(String),
}

impl Failure {
    /// A short name of the kind of failure (`panic`, `hang`, `oracle`, `twin`),
    /// also what the minimiser keeps constant.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Panic(_) => "panic",
            Failure::Hang(_) => "hang",
            Failure::Oracle(_) => "oracle",
            Failure::Twin(_) => "twin",
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "panic: {message}"),
            Failure::Hang(limit) => write!(f, "hang: no answer within {} s", limit.as_secs_f32()),
            Failure::Oracle(what) => write!(f, "oracle: {what}"),
            Failure::Twin(what) => write!(f, "JavaScript twin disagrees: {what}"),
        }
    }
}

/// What a passing input did, in a few words (`decoded`, `bad-signature`,
/// `lint:unknown-reference`): the engine keeps an input in its corpus when
/// its outcome is one it has not seen (a cheap stand-in for coverage).
pub type Outcome = String;

/// The oracle failure `what` unless `holds`.
pub fn ensure(holds: bool, what: impl FnOnce() -> String) -> Result<(), Failure> {
    if holds {
        Ok(())
    } else {
        Err(Failure::Oracle(what()))
    }
}

/// The workspace root (two levels above this crate), where seeds, regression
/// files and the twin script live.
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .nth(2)
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}
