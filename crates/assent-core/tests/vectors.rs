//! The shared test vectors on disk are what core computes today.

use std::path::Path;

#[test]
fn shared_test_vectors_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/consent.json");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == assent_core::vectors::file_text(),
        "{} is stale: run `cargo xtask vectors`",
        path.display()
    );
}

#[test]
fn vectors_cover_every_status_and_both_gate_outcomes() {
    let v = assent_core::vectors::generate();
    let cases = v["cases"].as_array().unwrap();
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
