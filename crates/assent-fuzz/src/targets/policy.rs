//! `policy-toml` and `policy-json`: the policy file reader and everything
//! that reads a policy after it (lint, the notice and DPA annex in every
//! language, the page configuration, revision checks).
//!
//! Oracle, as `policy::hash` promises ("the hash does not change with key
//! order, whitespace or TOML-versus-JSON"): a policy that parses, written as
//! its canonical JSON and read again, is the same policy with the same hash.

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::policy::hash::{canonical_json, content_hash};
use assent_core::policy::parse::{check as check_source, parse, Syntax};
use assent_core::policy::{self, config, notice::dpa, Policy};

use super::{dictionary, mutate_text, words_of, Corpus, Target};
use crate::{ensure, json, seeds, Failure, Outcome};

/// `policy-toml`.
pub const TOML: Target = Target {
    name: "policy-toml",
    extension: "toml",
    about: "policy files as TOML: parse, lint, notice, DPA annex, page configuration; the JSON form reads back the same",
    seeds: toml_seeds,
    generate: generate_toml,
    mutate: mutate_text,
    check: check_toml,
    twin: None,
};

/// `policy-json`.
pub const JSON: Target = Target {
    name: "policy-json",
    extension: "json",
    about: "policy files as JSON: parse, lint, notice, DPA annex, page configuration; the JSON form reads back the same",
    seeds: json_seeds,
    generate: generate_json,
    mutate: mutate_text,
    check: check_json,
    twin: None,
};

/// Words of the policy format the seeds may not all hold.
const WORDS: &[&str] = &[
    "consent",
    "contract",
    "legal-obligation",
    "legitimate-interest",
    "vital-interest",
    "public-task",
    "necessary",
    "analytics",
    "marketing",
    "personalization",
    "controller",
    "processor",
    "both",
    "not-stated",
    "session",
    "13 months",
    "6 months",
    "0 days",
    "72 hours",
    "10 business days",
    "P1Y",
    "US",
    "EU",
    "EEA",
    "XX",
    "scc",
    "adequacy",
    "bcr",
    "en",
    "fr",
    "de",
    "da",
    "sk",
    "zz",
    "2026-02-29",
    "2026-12-31",
];

fn toml_seeds(root: &Path) -> Corpus {
    let files = seeds::policies(root, ".toml");
    let mut words = Vec::new();
    for (_, text) in &files {
        if let Some(tree) = json::from_toml(text) {
            words_of(&tree, &mut words);
        }
    }
    Corpus {
        entries: files.into_iter().map(|(_, t)| t.into_bytes()).collect(),
        words: dictionary(words, WORDS),
    }
}

fn json_seeds(root: &Path) -> Corpus {
    let mut entries: Vec<Vec<u8>> = seeds::policies(root, ".json")
        .into_iter()
        .map(|(_, t)| t.into_bytes())
        .collect();
    let mut words = Vec::new();
    for policy in seeds::parsed_policies(root) {
        let text = canonical_json(&policy);
        if let Ok(tree) = serde_json::from_str(&text) {
            words_of(&tree, &mut words);
            entries.push(serde_json::to_vec_pretty(&tree).unwrap_or_default());
        }
        entries.push(text.into_bytes());
    }
    Corpus {
        entries,
        words: dictionary(words, WORDS),
    }
}

/// A seed's tree changed at one to three places, written as TOML.
fn generate_toml(u: &mut Unstructured<'_>, corpus: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let seed = u.choose(&corpus.entries)?;
    let Some(mut tree) = json::from_toml(&String::from_utf8_lossy(seed)) else {
        return Ok(seed.clone());
    };
    json::mutate(u, &mut tree, &corpus.words())?;
    Ok(json::to_toml(&tree).unwrap_or_default().into_bytes())
}

/// A seed's tree changed at one to three places, written as JSON.
fn generate_json(u: &mut Unstructured<'_>, corpus: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let seed = u.choose(&corpus.entries)?;
    let Ok(mut tree) = serde_json::from_slice(seed) else {
        return Ok(seed.clone());
    };
    json::mutate(u, &mut tree, &corpus.words())?;
    Ok(if u.arbitrary()? {
        serde_json::to_vec_pretty(&tree).unwrap_or_default()
    } else {
        serde_json::to_vec(&tree).unwrap_or_default()
    })
}

fn check_toml(input: &[u8]) -> Result<Outcome, Failure> {
    check(input, Syntax::Toml)
}

fn check_json(input: &[u8]) -> Result<Outcome, Failure> {
    check(input, Syntax::Json)
}

fn check(input: &[u8], syntax: Syntax) -> Result<Outcome, Failure> {
    let source = String::from_utf8_lossy(input);
    // The tools' reading: parse, lint and place every finding in the file.
    let outcome = match check_source(&source, syntax) {
        Ok(_) => "clean".to_owned(),
        Err(findings) => {
            for f in &findings {
                let _ = f.render("fuzz");
            }
            let mut rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
            rules.sort_unstable();
            rules.dedup();
            format!("findings:{}", rules.join(","))
        }
    };
    if let Ok(policy) = parse(&source, syntax) {
        read_everything(&policy)?;
        same_as_json_form(&policy)?;
    }
    Ok(outcome)
}

/// Everything a parsed policy is read by: the notice and DPA annex in each of
/// its languages (and English), the page configuration, revision checks.
fn read_everything(policy: &Policy) -> Result<(), Failure> {
    let _ = policy::lint(policy);
    let mut languages: Vec<&str> = policy.languages.iter().map(String::as_str).collect();
    languages.push("en");
    for lang in languages {
        let _ = policy::notice(policy, lang);
        let _ = dpa::annex(policy, lang);
        let _ = config::page_config(policy, &[], Some(lang));
    }
    let _ = config::widget_config(policy, std::slice::from_ref(policy), None);
    let _ = policy::lint_revision(policy, policy);
    let _ = policy::diff(policy, policy);
    let _ = policy::changes::subprocessor_changes(policy, std::slice::from_ref(policy));
    Ok(())
}

/// The canonical JSON of `policy` reads back to the same policy and hash.
fn same_as_json_form(policy: &Policy) -> Result<(), Failure> {
    let text = canonical_json(policy);
    let again = match parse(&text, Syntax::Json) {
        Ok(p) => p,
        Err(f) => {
            return Err(Failure::Oracle(format!(
                "the canonical JSON form of a policy that parses does not parse: {}: {}\n{text}",
                f.rule, f.message
            )))
        }
    };
    ensure(content_hash(&again) == content_hash(policy), || {
        format!(
            "the JSON form hashes differently:\n{text}\n{}",
            canonical_json(&again)
        )
    })?;
    ensure(again == *policy, || {
        format!("the JSON form reads as another policy:\n{policy:?}\n{again:?}")
    })
}
