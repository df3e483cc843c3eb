//! `cargo xtask loader [--out DIR]`: bundles the loader (`www/loader/main.js` and
//! the modules it imports) with esbuild into `<DIR>/assent-loader.js`, minified,
//! one IIFE for a classic `<script>` in `<head>` (default `DIR`: the site being
//! built, `$TRUNK_STAGING_DIR` when trunk runs it as a hook, else `pkg/site`).
//!
//! The trunk post-build hook calls [`build`] so every site build carries the
//! loader; `cargo xtask dist` measures it against its size budget. esbuild is
//! pinned in `package.json` and installed by `cargo xtask setup` (`npm ci`).

use std::path::{Path, PathBuf};

use crate::root;
use crate::run::{cmd, status};

/// The bundle's file name, served next to `assent.js`.
pub const FILE: &str = "assent-loader.js";

/// Runs `loader [--out DIR]`.
pub fn loader(args: &[String]) -> Result<(), String> {
    let out = match args {
        [] => std::env::var_os("TRUNK_STAGING_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(crate::dist::site_dir),
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => return Err("usage: cargo xtask loader [--out DIR]".into()),
    };
    let file = build(&out)?;
    println!("loader: wrote {}", file.display());
    Ok(())
}

/// Bundles the loader into `out_dir/assent-loader.js` and returns that path.
pub fn build(out_dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let out = out_dir.join(FILE);
    let esbuild = root().join("node_modules").join(".bin").join("esbuild");
    if !esbuild.exists() {
        return Err(format!(
            "{} is missing: run `cargo xtask setup` (npm ci)",
            esbuild.display()
        ));
    }
    let mut outfile = std::ffi::OsString::from("--outfile=");
    outfile.push(&out);
    status(
        cmd(esbuild)
            .arg("www/loader/main.js")
            .args([
                "--bundle",
                "--minify",
                "--format=iife",
                "--target=es2020",
                "--legal-comments=none",
                "--log-level=warning",
            ])
            .arg(outfile),
    )?;
    Ok(out)
}
