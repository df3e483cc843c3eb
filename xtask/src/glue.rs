//! The widget's JavaScript glue, `assent.js`: trunk writes it with
//! wasm-bindgen and does not minify it (its `minify` setting covers the pages
//! and the CSS). The trunk post-build hook (`cargo xtask preview`) minifies it
//! in place with esbuild in release builds, as `xtask/src/panel.rs` does the
//! panel's glue: 8.3 KiB gzip become 5.9 KiB of the widget's size budget.
//! Debug builds (`cargo xtask serve`) keep it readable.

use std::path::Path;

use crate::root;
use crate::run::{cmd, status};

/// The glue's file name, in the site's root.
pub const FILE: &str = "assent.js";

/// Minifies `site/assent.js` in place; does nothing when the site has none.
pub fn minify(site: &Path) -> Result<(), String> {
    let glue = site.join(FILE);
    if !glue.exists() {
        return Ok(());
    }
    let mut outfile = std::ffi::OsString::from("--outfile=");
    outfile.push(&glue);
    status(
        cmd(root().join("node_modules/.bin/esbuild"))
            .arg(&glue)
            .args([
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--allow-overwrite",
                "--log-level=warning",
            ])
            .arg(outfile),
    )
}
