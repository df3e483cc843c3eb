//! Tests that keep the architecture true (ARCHITECTURE.md, "Invariants"): each
//! fails when a layer starts depending on what it must not.

use std::fs;
use std::path::{Path, PathBuf};

use crate::root;
use crate::run::{cmd, output};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Crates in the normal and build dependency tree of `package`.
fn dependency_names(package: &str) -> Vec<String> {
    let tree = output(cmd("cargo").args([
        "tree",
        "-p",
        package,
        "-e",
        "normal,build",
        "--prefix",
        "none",
        "--target",
        "all",
    ]))
    .expect("cargo tree runs");
    tree.lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Pure core: no browser binding in its dependency tree, so the server and
/// native tests use exactly the rules the widget runs.
#[test]
fn core_depends_on_no_browser_crate() {
    let deps = dependency_names("assent-core");
    assert!(
        deps.iter().any(|d| d == "assent-core"),
        "cargo tree must list the crate itself: {deps:?}"
    );
    for forbidden in ["wasm-bindgen", "web-sys", "js-sys", "leptos", "gloo"] {
        assert!(
            !deps.iter().any(|d| d.starts_with(forbidden)),
            "assent-core must not depend on {forbidden}: {deps:?}"
        );
    }
}

/// The forbidden-crate check above really sees the widget's dependencies.
#[test]
fn dependency_check_sees_browser_crates() {
    let deps = dependency_names("assent");
    for expected in ["wasm-bindgen", "web-sys", "leptos"] {
        assert!(deps.iter().any(|d| d == expected), "{expected} in {deps:?}");
    }
}

/// Pure core: no clock, randomness, or I/O; callers pass `now_ms`.
#[test]
fn core_has_no_clock_randomness_or_io() {
    for file in rust_files(&root().join("crates/assent-core/src")) {
        let text = fs::read_to_string(&file).unwrap();
        for forbidden in [
            "SystemTime",
            "Instant::",
            "rand::",
            "getrandom",
            "std::fs",
            "std::net",
            "std::env",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                file.display()
            );
        }
    }
}

/// The UI layer asks platform for effects; it never reaches the page itself.
#[test]
fn ui_never_touches_storage_or_the_page() {
    for file in rust_files(&root().join("src/ui")) {
        let text = fs::read_to_string(&file).unwrap();
        for forbidden in [
            "localStorage",
            "local_storage",
            "web_sys::window",
            "set_cookie",
            "cookies::",
            "dom::document",
            "query_selector",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} mentions {forbidden}",
                file.display()
            );
        }
    }
}

/// Every module says what it is for.
#[test]
fn every_module_starts_with_a_doc_comment() {
    let dirs = [
        "src",
        "crates/assent-core/src",
        "crates/assent-web/src",
        "crates/assent-panel/src",
        "crates/assent-fuzz/src",
        "xtask/src",
        "tests",
    ];
    for dir in dirs {
        for file in rust_files(&root().join(dir)) {
            let text = fs::read_to_string(&file).unwrap();
            assert!(
                text.trim_start().starts_with("//!"),
                "{} has no //! module doc",
                file.display()
            );
        }
    }
}

/// Every stylesheet beside a component is adopted into the shadow root.
#[test]
fn every_ui_stylesheet_is_embedded() {
    let ui = root().join("src/ui");
    let module = fs::read_to_string(ui.join("mod.rs")).unwrap();
    let files = crate::dist::css_files(&ui).unwrap();
    assert!(!files.is_empty());
    for file in files {
        let name = file
            .strip_prefix(&ui)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            module.contains(&format!("include_str!(\"{name}\")")),
            "src/ui/mod.rs does not embed {name}"
        );
    }
}
