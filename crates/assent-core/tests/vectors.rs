//! The shared test vectors on disk are what core computes today, one test per
//! file of `tests/vectors/` (`cargo xtask vectors` rewrites them).

use std::path::Path;

use serde_json::Value;

/// Fails when `tests/vectors/<name>` differs from what core generates.
fn assert_current(name: &str) {
    let file = assent_core::vectors::file(name).expect("a file of vectors::FILES");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(name);
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == file.text(),
        "{} is stale: run `cargo xtask vectors`",
        path.display()
    );
}

/// The cases of the file `name`, as core generates them.
fn cases(name: &str) -> Vec<Value> {
    let file = assent_core::vectors::file(name).unwrap();
    (file.generate)()["cases"].as_array().unwrap().clone()
}

#[test]
fn consent_vectors_are_current() {
    assert_current("consent.json");
}

#[test]
fn decision_vectors_are_current() {
    assert_current("decisions.json");
}

#[test]
fn record_vectors_are_current() {
    assert_current("records.json");
}

#[test]
fn language_vectors_are_current() {
    assert_current("language.json");
}

#[test]
fn jcs_vectors_are_current() {
    assert_current("jcs.json");
}

#[test]
fn every_file_of_vectors_has_a_staleness_test() {
    let names: Vec<&str> = assent_core::vectors::FILES.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "consent.json",
            "decisions.json",
            "records.json",
            "language.json",
            "jcs.json"
        ]
    );
}

#[test]
fn vectors_cover_every_status_and_both_gate_outcomes() {
    let cases = cases("consent.json");
    for status in ["none", "expired", "outdated", "valid"] {
        assert!(cases.iter().any(|c| c["status"] == status), "{status}");
    }
    let runs: Vec<bool> = cases
        .iter()
        .flat_map(|c| c["gates"].as_array().unwrap())
        .map(|g| g["run"].as_bool().unwrap())
        .collect();
    assert!(runs.contains(&true) && runs.contains(&false));
}

#[test]
fn language_vectors_speak_every_language_of_the_ui() {
    let cases = cases("language.json");
    for lang in ["en", "fr", "de"] {
        assert!(cases.iter().any(|c| c["language"] == lang), "{lang}");
    }
}
