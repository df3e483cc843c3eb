//! `cargo xtask dist`: the release build of the preview site into `pkg/site`,
//! and the sizes a site pays for the widget, against the size budget.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::root;
use crate::run::{cmd, status};

/// The widget's budget (wasm + JS glue, gzip): 100 KiB, set when the first
/// layer moved out of the wasm (only Customize, the settings and "Always
/// allow" download the widget). Printed as met or not; not enforced: reading
/// `#assent-config` with serde-wasm-bindgen into core's `PageConfig` costs
/// 25.7 KiB (README, "Size"), which no saving in the widget makes up.
pub const TARGET_GZIP_BYTES: usize = 100 * 1024;
/// Hard ceiling: the build fails above it, so size regressions cannot land
/// unnoticed while the target is not met (see README, "Size"). 88 KiB, then
/// 101.9 KiB with per-service switches, the change list, GPC and the language
/// switcher, 105 KiB with the download of the visitor's consent records;
/// 132 KiB since the wasm reads its configuration with serde-wasm-bindgen
/// into core's model (measured 128.1 KiB, the glue minified); 136 KiB since
/// it speaks Danish and Slovak and names each service with its cookies'
/// lifetimes (measured 133.2 KiB: +2.6 KiB for services, +2.5 KiB for the
/// two languages' words).
pub const CEILING_GZIP_BYTES: usize = 136 * 1024;
/// Budget of the eager loader (`assent-loader.js`), which every page view
/// downloads and runs (docs/loader.md, "Size"): the build fails above it. Its
/// lazy chunks are measured and printed, not budgeted. 3 KiB (3072 B, measured
/// 3049 B) until it activated gated scripts under Trusted Types (the policy
/// `assent-gate`, +79 B), walked lists with index loops so that a page's
/// redefined Array.prototype cannot make it grant, and read whitespace and
/// letter case exactly as core does (both +108 B): 3300 B since (measured
/// 3236 B).
pub const LOADER_BUDGET_GZIP_BYTES: usize = 3300;

/// Budget of the "GDPR & my data" panel (`assent-panel_bg.wasm` + its glue,
/// gzip), which only a signed-in person's settings page downloads, never a
/// visitor's first page view: the build fails above it. Measured at 233 KiB
/// when the panel first shipped (seven sections, core's notice and rights
/// models read with serde); 256 KiB keeps a size regression from landing
/// unnoticed while leaving room for the sections' polish. For scale, a
/// Leptos page starts at 49 KiB (wasm + glue) on this toolchain.
pub const PANEL_BUDGET_GZIP_BYTES: usize = 256 * 1024;

/// Where the built site goes (Trunk.toml `dist`).
pub fn site_dir() -> PathBuf {
    root().join("pkg").join("site")
}

/// One measured artefact.
#[derive(Debug)]
pub struct Size {
    /// What it is.
    pub name: String,
    /// Bytes on disk.
    pub raw: usize,
    /// Bytes after gzip -9.
    pub gzip: usize,
}

/// Builds the site in release mode and prints its sizes; fails over budget.
pub fn dist() -> Result<Vec<Size>, String> {
    status(cmd("trunk").args(["build", "--release", "--offline"]))?;
    let site = site_dir();
    let wasm = measure(
        "assent_bg.wasm",
        &fs::read(site.join("assent_bg.wasm")).map_err(io)?,
    );
    let js = measure(
        "assent.js (glue)",
        &fs::read(site.join("assent.js")).map_err(io)?,
    );
    let css = measure("ui CSS (inside the wasm)", widget_css()?.as_bytes());
    let bundles = crate::loader::BUNDLES;
    if bundles.iter().any(|b| !site.join(b.file).exists()) {
        crate::loader::build(&site)?;
    }
    // One row per loader file, the eager one first.
    let mut loader = Vec::new();
    for b in bundles {
        loader.push(measure(
            &format!("{} ({})", b.file, b.when),
            &fs::read(site.join(b.file)).map_err(io)?,
        ));
    }
    let eager_gzip = loader.first().map(|s| s.gzip).unwrap_or_default();
    if !site.join(crate::panel::WASM).exists() {
        crate::panel::build(&site)?;
    }
    let panel_wasm = measure(
        crate::panel::WASM,
        &fs::read(site.join(crate::panel::WASM)).map_err(io)?,
    );
    let panel_js = measure(
        "assent-panel.js (glue)",
        &fs::read(site.join(crate::panel::JS)).map_err(io)?,
    );
    let panel_gzip = panel_wasm.gzip + panel_js.gzip;
    let chunks: Vec<String> = loader[1..]
        .iter()
        .map(|s| format!("{} {} B", s.name, s.gzip))
        .collect();
    let shipped = Size {
        name: "total shipped (wasm + glue)".into(),
        raw: wasm.raw + js.raw,
        gzip: wasm.gzip + js.gzip,
    };
    let mut sizes = vec![wasm, js, css];
    sizes.extend(loader);
    sizes.push(shipped);
    print_sizes(&sizes);
    println!("{}", check_panel(&panel_wasm, &panel_js, panel_gzip)?);
    println!(
        "loader chunks (lazy, not budgeted), gzip: {}",
        chunks.join("; ")
    );
    println!("{}", check_loader(eager_gzip)?);
    let total = sizes.last().map(|s| s.gzip).unwrap_or_default();
    if total > CEILING_GZIP_BYTES {
        return Err(format!(
            "size ceiling exceeded: {} gzip > {}",
            kib(total),
            kib(CEILING_GZIP_BYTES)
        ));
    }
    let verdict = if total <= TARGET_GZIP_BYTES {
        "within target".to_owned()
    } else {
        format!("OVER the target by {}", kib(total - TARGET_GZIP_BYTES))
    };
    println!(
        "size: {} gzip; target {}: {verdict}; ceiling {}",
        kib(total),
        kib(TARGET_GZIP_BYTES),
        kib(CEILING_GZIP_BYTES)
    );
    Ok(sizes)
}

/// Holds the eager loader, `eager_gzip` bytes after gzip -9, to its budget:
/// the verdict line, or an error above [`LOADER_BUDGET_GZIP_BYTES`].
pub fn check_loader(eager_gzip: usize) -> Result<String, String> {
    if eager_gzip > LOADER_BUDGET_GZIP_BYTES {
        return Err(format!(
            "loader size budget exceeded: {} {eager_gzip} B gzip > {LOADER_BUDGET_GZIP_BYTES} B",
            crate::loader::FILE
        ));
    }
    Ok(format!(
        "loader: {} {eager_gzip} B gzip; budget {LOADER_BUDGET_GZIP_BYTES} B: within budget ({} B to spare)",
        crate::loader::FILE,
        LOADER_BUDGET_GZIP_BYTES - eager_gzip
    ))
}

/// Holds the panel (wasm + glue, `gzip` bytes) to its budget: the verdict
/// line, or an error above [`PANEL_BUDGET_GZIP_BYTES`].
fn check_panel(wasm: &Size, js: &Size, gzip: usize) -> Result<String, String> {
    let line = format!(
        "panel (only where mounted): {} {} + {} {} gzip = {}; budget {}",
        wasm.name,
        kib(wasm.gzip),
        js.name,
        kib(js.gzip),
        kib(gzip),
        kib(PANEL_BUDGET_GZIP_BYTES)
    );
    if gzip > PANEL_BUDGET_GZIP_BYTES {
        return Err(format!("panel size budget exceeded: {line}"));
    }
    Ok(format!("{line}: within budget"))
}

fn print_sizes(sizes: &[Size]) {
    println!("release sizes (pkg/site):");
    println!("  {:<36} {:>12} {:>12}", "artefact", "raw", "gzip -9");
    for s in sizes {
        println!("  {:<36} {:>12} {:>12}", s.name, kib(s.raw), kib(s.gzip));
    }
}

/// The widget's CSS as shipped: every `.css` under `src/ui` (all embedded in the
/// wasm with `include_str!`; the tidy test checks none is left out).
pub fn widget_css() -> Result<String, String> {
    let mut files = css_files(&root().join("src").join("ui"))?;
    files.sort();
    let mut css = String::new();
    for f in files {
        css.push_str(&fs::read_to_string(&f).map_err(io)?);
    }
    Ok(css)
}

/// Every `.css` file under `dir`.
pub fn css_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            out.extend(css_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "css") {
            out.push(path);
        }
    }
    Ok(out)
}

fn measure(name: &str, bytes: &[u8]) -> Size {
    Size {
        name: name.to_owned(),
        raw: bytes.len(),
        gzip: gzip_len(bytes),
    }
}

/// Size after `gzip -9`.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len()).unwrap_or(usize::MAX)
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn io(e: std::io::Error) -> String {
    format!("reading the build output: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let data = vec![b'a'; 10_000];
        let n = gzip_len(&data);
        assert!(n > 0 && n < 200, "{n}");
    }

    #[test]
    fn the_eager_loader_fails_the_build_above_3300_bytes_gzip() {
        assert_eq!(LOADER_BUDGET_GZIP_BYTES, 3300);
        let at = check_loader(3300).unwrap();
        assert!(
            at.contains("3300 B gzip") && at.contains("0 B to spare"),
            "{at}"
        );
        assert!(check_loader(3211).unwrap().contains("89 B to spare"));
        let over = check_loader(3301).unwrap_err();
        assert!(
            over.contains("assent-loader.js 3301 B gzip > 3300 B"),
            "{over}"
        );
    }

    #[test]
    fn kib_formats_one_decimal() {
        assert_eq!(kib(1536), "1.5 KiB");
    }
}
