//! `cargo xtask panel [--out DIR]`: the "GDPR & my data" panel
//! (`crates/assent-panel`) as its own wasm module beside the loader:
//! `assent-panel.js` (the wasm-bindgen glue, an ES module, minified by
//! esbuild) and `assent-panel_bg.wasm` (after wasm-opt -Oz). Trunk builds one
//! wasm per page, so the panel is a second crate built here, by the trunk
//! post-build hook (`cargo xtask preview`) and so by every site build.
//!
//! The output is cached in `target/panel/`: wasm-bindgen and wasm-opt run
//! again only when cargo wrote a newer module.

use std::fs;
use std::path::{Path, PathBuf};

use crate::root;
use crate::run::{cmd, status, target_dir};

/// The glue's file name, beside the loader.
pub const JS: &str = "assent-panel.js";
/// The module's file name, beside the glue.
pub const WASM: &str = "assent-panel_bg.wasm";

/// wasm-opt's features, the same as the widget's (www/index.html).
const WASM_OPT_FEATURES: [&str; 5] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Runs `panel [--out DIR]`.
pub fn panel(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => crate::dist::site_dir(),
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => return Err("usage: cargo xtask panel [--out DIR]".into()),
    };
    build(&out)?;
    println!(
        "panel: wrote {} and {}",
        out.join(JS).display(),
        out.join(WASM).display()
    );
    Ok(())
}

/// Builds the panel (release) and writes its two files into `out`.
pub fn build(out: &Path) -> Result<(), String> {
    status(cmd("cargo").args([
        "build",
        "-p",
        "assent-panel",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let target = target_dir();
    let module = target.join("wasm32-unknown-unknown/release/assent_panel.wasm");
    let cache = target.join("panel");
    let cached_wasm = cache.join(WASM);
    if modified(&cached_wasm) < modified(&module) || !cache.join(JS).exists() {
        bindgen_and_optimise(&module, &cache)?;
    }
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    fs::copy(&cached_wasm, out.join(WASM)).map_err(|e| format!("copying {WASM}: {e}"))?;
    fs::copy(cache.join(JS), out.join(JS)).map_err(|e| format!("copying {JS}: {e}"))?;
    Ok(())
}

/// The panel's Trusted Types policy.
pub const PANEL_POLICY: &str = "assent-panel";

fn bindgen_and_optimise(module: &Path, cache: &Path) -> Result<(), String> {
    let raw = cache.join("raw");
    let _ = fs::remove_dir_all(&raw);
    fs::create_dir_all(&raw).map_err(|e| format!("{}: {e}", raw.display()))?;
    status(
        cmd("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "assent-panel",
                "--out-dir",
            ])
            .arg(&raw)
            .arg(module),
    )?;
    status(
        cmd("wasm-opt")
            .arg("-Oz")
            .args(WASM_OPT_FEATURES)
            .arg(raw.join(WASM))
            .arg("-o")
            .arg(cache.join(WASM)),
    )?;
    // Through the panel's own Trusted Types policy (xtask/src/glue.rs).
    let glue = raw.join(JS);
    let text = fs::read_to_string(&glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    let trusted = crate::glue::trust_html(&text, PANEL_POLICY)?;
    fs::write(&glue, trusted).map_err(|e| format!("{}: {e}", glue.display()))?;
    let esbuild = root().join("node_modules/.bin/esbuild");
    let mut outfile = std::ffi::OsString::from("--outfile=");
    outfile.push(cache.join(JS));
    status(
        cmd(esbuild)
            .arg(&glue)
            .args([
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--log-level=warning",
            ])
            .arg(outfile),
    )
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}
