//! The fuzz targets: what each feeds its code under test, and the oracle
//! that must hold on every input besides "no panic, no hang".
//!
//! | target | code under test | oracle | twin |
//! |---|---|---|---|
//! | `policy-toml`, `policy-json` | `policy::parse::{parse, check}`, `lint`, `notice`, `page_config` | its JSON form reads back to the same policy and hash | |
//! | `stored-value` | `Decision::decode`, `evaluate`, `gate`, `Verdict::state`, `Action::decide` | `decode(encode(d)) == d`; nothing runs on a broken value | `rules.js`, `choice.js` |
//! | `page-config` | `PageConfig` from JSON | what reads writes back and reads again the same | |
//! | `record` | `check::signed_record`, `check::submission`, `Record::validate` | accepted exactly when an independent verification accepts | |
//! | `jcs` | `serde_jcs`, the ledger's `jcs::record`/`receipt`, core's `canonical_value` | all agree where each is promised | `jcs.js` |
//! | `rights-body` | the rights API's bodies (`rights::model`), `Timestamp::parse` | what reads writes back and reads again the same | |

use std::fmt::Debug;
use std::path::Path;

use arbitrary::Unstructured;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::{ensure, mutate, Failure, Outcome};

pub mod jcs;
pub mod page;
pub mod policy;
pub mod record;
mod record_gen;
mod record_oracle;
pub mod rights;
pub mod stored;
mod stored_gen;
mod stored_twin;

/// What a target's generators draw from: the corpus (seeds, then inputs with
/// new outcomes) and words (the target's dictionary and the seeds' own).
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Inputs to mutate and splice.
    pub entries: Vec<Vec<u8>>,
    /// Tokens to insert.
    pub words: Vec<String>,
}

impl Corpus {
    /// The words as `&str`, for the generators.
    pub fn words(&self) -> Vec<&str> {
        self.words.iter().map(String::as_str).collect()
    }
}

/// One fuzz target.
pub struct Target {
    /// Its name on the command line and its regression directory.
    pub name: &'static str,
    /// The extension of its regression files.
    pub extension: &'static str,
    /// What it checks, in one line.
    pub about: &'static str,
    /// The seed corpus, from the repository at this root.
    pub seeds: fn(&Path) -> Corpus,
    /// A structure-aware input drawn from `arbitrary` data.
    pub generate: fn(&mut Unstructured<'_>, &Corpus) -> arbitrary::Result<Vec<u8>>,
    /// A mutation of an input of the corpus.
    pub mutate: fn(&mut Unstructured<'_>, &[u8], &Corpus) -> arbitrary::Result<Vec<u8>>,
    /// Runs the code under test on an input (unguarded: see [`crate::guard`]).
    pub check: fn(&[u8]) -> Result<Outcome, Failure>,
    /// The cases the JavaScript twins must agree on, with core's answers, in
    /// the shapes of `tests/vectors/` (each with `kind` and `input`); `None`
    /// for a target without a twin.
    pub twin: Option<TwinCases>,
}

/// A target's cases for the JavaScript twins, from one input.
pub type TwinCases = fn(&[u8]) -> Vec<Value>;

/// Every target, in the order `cargo xtask fuzz` runs them.
pub static TARGETS: [Target; 7] = [
    policy::TOML,
    policy::JSON,
    stored::TARGET,
    page::TARGET,
    record::TARGET,
    jcs::TARGET,
    rights::TARGET,
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// `input` changed byte by byte ([`mutate::bytes`]), spliced with the
/// corpus's entries and given its words: the mutation of the targets whose
/// inputs are texts.
pub fn mutate_text(
    u: &mut Unstructured<'_>,
    input: &[u8],
    corpus: &Corpus,
) -> arbitrary::Result<Vec<u8>> {
    mutate::bytes(u, input, &corpus.entries, &corpus.words())
}

/// The oracle of a model read from JSON: `value`, which read, writes back
/// and reads again the same. `name` says what it is in a failure.
pub fn reads_back<T>(value: &T, name: &str) -> Result<(), Failure>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let written = serde_json::to_vec(value)
        .map_err(|e| Failure::Oracle(format!("a {name} that reads does not write: {e}")))?;
    let again = serde_json::from_slice::<T>(&written);
    ensure(again.as_ref().ok() == Some(value), || {
        format!(
            "a {name} written as {} reads back as {again:?}",
            String::from_utf8_lossy(&written)
        )
    })
}

/// Every string (keys and values) in a JSON tree, for a dictionary.
pub fn words_of(tree: &Value, out: &mut Vec<String>) {
    match tree {
        Value::String(s) if s.len() <= 64 => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| words_of(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                words_of(v, out);
            }
        }
        _ => {}
    }
}

/// `words` and `fixed`, sorted and without duplicates.
pub fn dictionary(mut words: Vec<String>, fixed: &[&str]) -> Vec<String> {
    words.extend(fixed.iter().map(|w| (*w).to_owned()));
    words.sort();
    words.dedup();
    words
}
