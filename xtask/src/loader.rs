//! `cargo xtask loader [--out DIR]`: bundles the loader (`www/loader/`) with
//! esbuild, minified, into `<DIR>` (default: the site being built,
//! `$TRUNK_STAGING_DIR` when trunk runs it as a hook, else `pkg/site`):
//!
//! - `assent-loader.js`, the eager file every page view runs: `main.js` and the
//!   modules it imports, one IIFE for a classic `<script>` in `<head>`;
//! - its lazy chunks, ES modules the loader imports from beside itself only
//!   when needed: `assent-decide.js` (the first layer: the banner rendered at
//!   build time by `crates/assent-prerender`, see [`first_layer`], its
//!   decisions without the wasm, applying every decision, and the signed
//!   consent records of docs/records.md; when the banner must show or the
//!   visitor asks, and on a page view whose records still wait to be sent),
//!   `assent-embeds.js` (placeholders, when a page holds an embed),
//!   `assent-reopen.js` (the floating settings button, see docs/loader.md),
//!   `assent-history.js` (the visitor's consent records, for
//!   `Assent.consentHistory()` and the dialog's download) and
//!   `assent-mydata.js` (`<assent-my-data>` and `Assent.mountMyData`, which
//!   import the "GDPR & my data" panel, `assent-panel.js`, on the pages that
//!   show it).
//!
//! The trunk post-build hook calls [`build`] so every site build carries the
//! loader; `cargo xtask dist` measures each file and holds the eager one to its
//! size budget. esbuild is pinned in `package.json` and installed by
//! `cargo xtask setup` (`npm ci`).

use std::path::{Path, PathBuf};

use crate::root;
use crate::run::{cmd, status};

/// The eager loader's file name, served next to `assent.js`.
pub const FILE: &str = "assent-loader.js";

/// One file the loader is built into.
#[derive(Debug)]
pub struct Bundle {
    /// The entry point under `www/loader/`.
    pub source: &'static str,
    /// The file written into the output directory.
    pub file: &'static str,
    /// esbuild's `--format`: `iife` for the eager script, `esm` for a chunk.
    pub format: &'static str,
    /// When a page downloads it (for the size report).
    pub when: &'static str,
}

/// Every file of the loader, the eager one first, then its chunks (the names
/// `main.js` imports: `assent-<name>.js` beside itself).
pub const BUNDLES: &[Bundle] = &[
    Bundle {
        source: "main.js",
        file: FILE,
        format: "iife",
        when: "every page",
    },
    Bundle {
        source: "decide.js",
        file: "assent-decide.js",
        format: "esm",
        when: "first layer, decisions, records",
    },
    Bundle {
        source: "embeds.js",
        file: "assent-embeds.js",
        format: "esm",
        when: "held embeds",
    },
    Bundle {
        source: "reopen.js",
        file: "assent-reopen.js",
        format: "esm",
        when: "floating button",
    },
    Bundle {
        source: "history.js",
        file: "assent-history.js",
        format: "esm",
        when: "consent history",
    },
    Bundle {
        source: "mydata.js",
        file: "assent-mydata.js",
        format: "esm",
        when: "GDPR & my data panel",
    },
];

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
    for chunk in &BUNDLES[1..] {
        println!("loader: wrote {}", out.join(chunk.file).display());
    }
    Ok(())
}

/// Bundles every file of the loader ([`BUNDLES`]) into `out_dir` and returns
/// the path of the eager one, `out_dir/assent-loader.js`.
pub fn build(out_dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let esbuild = root().join("node_modules").join(".bin").join("esbuild");
    if !esbuild.exists() {
        return Err(format!(
            "{} is missing: run `cargo xtask setup` (npm ci)",
            esbuild.display()
        ));
    }
    let (first_layer, other_languages) = first_layer()?;
    let mut alias = std::ffi::OsString::from("--alias:assent-first-layer=");
    alias.push(&first_layer);
    // The banner in each other language: a chunk of its own, fetched only by
    // a page that speaks it (`first.js`), so that a first visit carries one.
    for (lang, module) in other_languages {
        let file = out_dir.join(format!("{BANNER_CHUNK}{lang}.js"));
        std::fs::write(&file, module).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    for bundle in BUNDLES {
        let mut outfile = std::ffi::OsString::from("--outfile=");
        outfile.push(out_dir.join(bundle.file));
        status(
            cmd(&esbuild)
                .arg(format!("www/loader/{}", bundle.source))
                .args([
                    "--bundle",
                    "--minify",
                    &format!("--format={}", bundle.format),
                    "--target=es2020",
                    "--legal-comments=none",
                    "--log-level=warning",
                ])
                .arg(&alias)
                .arg(outfile),
        )?;
    }
    Ok(out_dir.join(FILE))
}

/// The file name of a banner chunk before its language (`assent-banner-fr.js`).
pub const BANNER_CHUNK: &str = "assent-banner-";

/// The language whose banner the decision chunk carries; the others are
/// chunks of their own.
const BUNDLED_LANGUAGE: &str = "en";

/// The first layer's banner, rendered by `crates/assent-prerender` from the
/// widget's own components (per UI language): the ES module the decision
/// chunk imports as `assent-first-layer` (`target/first-layer/banner.js`:
/// the stylesheet, every language's tag and the English banner), and the
/// module of each other language's banner, returned with its language.
/// Leptos marks the places of its dynamic children with empty comments
/// (`<!>`) for hydration; the first layer does not hydrate, so they go.
fn first_layer() -> Result<(PathBuf, Vec<(String, String)>), String> {
    let mut render = cmd("cargo");
    render.args(["run", "--quiet", "-p", "assent-prerender"]);
    let out = render
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start the first layer's rendering: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo run -p assent-prerender` failed: {}",
            out.status
        ));
    }
    let rendered: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("assent-prerender: {e}"))?;
    let css = minify_css(rendered["css"].as_str().unwrap_or_default())?;
    let banners = rendered["banners"].as_object().cloned().unwrap_or_default();
    let languages: Vec<&String> = banners.keys().collect();
    let bundled = &banners[BUNDLED_LANGUAGE];
    let layer = serde_json::json!({
        "css": css,
        "languages": languages,
        "banners": { BUNDLED_LANGUAGE: bundled },
    });
    let module = format!("export default {layer};\n").replace("<!>", "");
    let others = banners
        .iter()
        .filter(|(lang, _)| *lang != BUNDLED_LANGUAGE)
        .map(|(lang, words)| {
            let module = format!("export default {words};\n").replace("<!>", "");
            (lang.clone(), module)
        })
        .collect();
    let dir = crate::run::target_dir().join("first-layer");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("banner.js");
    std::fs::write(&file, module).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok((file, others))
}

/// `css` minified by esbuild (the stylesheet's comments are most of its size).
fn minify_css(css: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::Stdio;
    let esbuild = root().join("node_modules/.bin/esbuild");
    let mut child = cmd(esbuild)
        .args(["--loader=css", "--minify", "--log-level=warning"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start esbuild: {e}"))?;
    let written = child.stdin.take().map(|mut i| i.write_all(css.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("esbuild: {e}"))?;
    match written {
        Some(Ok(())) if out.status.success() => {
            String::from_utf8(out.stdout).map_err(|e| format!("esbuild: {e}"))
        }
        _ => Err(format!(
            "esbuild could not minify the banner's CSS: {}",
            out.status
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eager_file_comes_first_then_every_chunk_main_js_imports() {
        assert_eq!(BUNDLES[0].file, FILE);
        assert_eq!(BUNDLES[0].format, "iife");
        let main = std::fs::read_to_string(root().join("www/loader/main.js")).unwrap();
        let mut imported: Vec<&str> = main
            .match_indices("chunk(\"")
            .map(|(i, m)| {
                let name = &main[i + m.len()..];
                &name[..name.find('"').unwrap()]
            })
            .collect();
        imported.sort_unstable();
        imported.dedup();
        let mut built: Vec<&str> = BUNDLES[1..]
            .iter()
            .map(|b| {
                assert_eq!(b.format, "esm", "{}", b.file);
                b.file
                    .strip_prefix("assent-")
                    .and_then(|f| f.strip_suffix(".js"))
                    .unwrap()
            })
            .collect();
        built.sort_unstable();
        assert_eq!(imported, built);
        for b in BUNDLES {
            assert!(
                root().join("www/loader").join(b.source).is_file(),
                "{}",
                b.source
            );
        }
    }
}
