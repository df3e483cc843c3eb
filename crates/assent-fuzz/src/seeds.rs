//! The seed corpus: the repository's own inputs, read at the start of a run
//! (policies, the shared test vectors, configurations made from the
//! policies), so mutation starts from what the code really receives.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The files under `dir` (and its subdirectories) whose names end with one
/// of `extensions`, sorted, with their bytes.
pub fn files(dir: &Path, extensions: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            out.extend(files(&path, extensions));
        } else if extensions
            .iter()
            .any(|e| path.to_string_lossy().ends_with(e))
        {
            if let Ok(bytes) = fs::read(&path) {
                out.push((path, bytes));
            }
        }
    }
    out
}

/// Every policy file of the repository (`www/policies/`, `tests/policies/`,
/// `tests/e2e/fixtures/policies/`) with the given extension, read as text.
pub fn policies(root: &Path, extension: &str) -> Vec<(PathBuf, String)> {
    [
        "www/policies",
        "tests/policies",
        "tests/e2e/fixtures/policies",
    ]
    .iter()
    .flat_map(|dir| files(&root.join(dir), &[extension]))
    .filter_map(|(path, bytes)| Some((path, String::from_utf8(bytes).ok()?)))
    .collect()
}

/// The policies of the repository that parse (TOML and JSON).
pub fn parsed_policies(root: &Path) -> Vec<assent_core::policy::Policy> {
    use assent_core::policy::parse::{parse, Syntax};
    let mut out = Vec::new();
    for (extension, syntax) in [(".toml", Syntax::Toml), (".json", Syntax::Json)] {
        for (_, text) in policies(root, extension) {
            if let Ok(policy) = parse(&text, syntax) {
                out.push(policy);
            }
        }
    }
    out
}

/// The shared test vectors file `tests/vectors/<name>`, parsed.
pub fn vectors(root: &Path, name: &str) -> Value {
    fs::read(root.join("tests/vectors").join(name))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

/// The `key` member of every case of a vectors document that is a string.
pub fn case_strings(document: &Value, key: &str) -> Vec<String> {
    document["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|case| case[key].as_str().map(str::to_owned))
        .collect()
}

/// Every stored value the shared vectors hold (consent, decisions, records).
pub fn stored_values(root: &Path) -> Vec<String> {
    let mut out = case_strings(&vectors(root, "consent.json"), "stored");
    let decisions = vectors(root, "decisions.json");
    out.extend(case_strings(&decisions, "previous"));
    out.extend(case_strings(&decisions, "stored"));
    out.extend(case_strings(&vectors(root, "records.json"), "stored"));
    out.sort();
    out.dedup();
    out
}
