//! `cargo xtask setup`: makes a bare machine of this kind able to build and test
//! Assent, idempotently, reporting every missing piece by name.
//!
//! Pieces, and the pitfalls each one avoids:
//! - the `wasm32-unknown-unknown` target;
//! - trunk 0.21.14 (0.22 needs a newer rustc than this machine has);
//! - wasm-bindgen-cli at exactly the version in Cargo.lock (trunk uses a PATH
//!   copy only at that version; `cargo install --locked` of it fails here, so it
//!   is installed without `--locked`);
//! - the npm packages of `package.json` (binaryen's wasm-opt 132, playwright-core,
//!   axe-core, and the consent managers `cargo xtask bench` compares Assent
//!   with), from the committed lockfile;
//! - Debian's chromium and chromium-driver (as root; otherwise a message);
//! - Debian's postgresql, whose server binaries (`initdb`, `pg_ctl` under
//!   `/usr/lib/postgresql/<version>/bin`) the ledger's PostgreSQL tests, the
//!   end-to-end run and the bench start throwaway clusters with;
//! - the crates of Cargo.lock (`cargo fetch`), since trunk builds offline.

use std::fs;
use std::path::Path;
use std::time::Instant;

use crate::root;
use crate::run::{cmd, output, status};

/// Trunk version (see the module docs for why not 0.22).
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Installs whatever is missing.
pub fn setup() -> Result<(), String> {
    let started = Instant::now();
    let wasm_bindgen = locked_version("wasm-bindgen")?;
    let mut installed = Vec::new();

    let targets = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        missing("Rust target wasm32-unknown-unknown");
        status(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        installed.push("wasm32 target");
    }

    if version_of("trunk").as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        missing(&format!("trunk {TRUNK_VERSION} (≈ 11 min to build once)"));
        status(cmd("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))?;
        installed.push("trunk");
    }

    if version_of("wasm-bindgen").as_deref() != Some(&format!("wasm-bindgen {wasm_bindgen}")) {
        missing(&format!(
            "wasm-bindgen-cli {wasm_bindgen} (the version in Cargo.lock)"
        ));
        status(cmd("cargo").args([
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &wasm_bindgen,
        ]))?;
        installed.push("wasm-bindgen-cli");
    }

    let stale = stale_npm_packages()?;
    if !stale.is_empty() {
        missing(&format!("npm packages {}", stale.join(", ")));
        if output(cmd("npm").arg("--version")).is_none() {
            return Err("npm is not installed: install Node.js and npm (Debian: apt-get install nodejs npm)".into());
        }
        status(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
        installed.push("npm packages");
    }

    let mut packages: Vec<&str> = [("chromium", CHROMIUM), ("chromium-driver", CHROMEDRIVER)]
        .into_iter()
        .filter(|(_, path)| !Path::new(path).exists())
        .map(|(package, _)| package)
        .collect();
    if !postgres_server_installed() {
        packages.push("postgresql");
    }
    if !packages.is_empty() {
        missing(&format!("Debian packages {}", packages.join(", ")));
        if !is_root() {
            return Err(format!(
                "run as root, or install them yourself: sudo apt-get install -y {}",
                packages.join(" ")
            ));
        }
        status(cmd("apt-get").arg("update"))?;
        status(
            cmd("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(&packages)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        installed.extend(packages);
    }

    status(cmd("cargo").args(["fetch", "--quiet"]))?;

    let took = started.elapsed().as_secs_f32();
    if installed.is_empty() {
        println!("setup: everything present ({took:.1} s)");
    } else {
        println!("setup: installed {} ({took:.0} s)", installed.join(", "));
    }
    Ok(())
}

/// Whether some `/usr/lib/postgresql/<version>/bin/initdb` exists (Debian's
/// `postgresql` package, whatever its version).
fn postgres_server_installed() -> bool {
    fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().join("bin").join("initdb").is_file())
}

fn missing(what: &str) {
    println!("setup: missing {what}: installing");
}

fn version_of(tool: &str) -> Option<String> {
    output(cmd(tool).arg("--version"))
}

fn is_root() -> bool {
    output(std::process::Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// The `devDependencies` of package.json that node_modules lacks or has at
/// another version.
fn stale_npm_packages() -> Result<Vec<String>, String> {
    let manifest = fs::read_to_string(root().join("package.json"))
        .map_err(|e| format!("cannot read package.json: {e}"))?;
    let wanted = dev_dependencies(&manifest);
    if wanted.is_empty() {
        return Err("package.json lists no devDependencies".into());
    }
    Ok(wanted
        .into_iter()
        .filter(|(name, version)| {
            let path = root().join("node_modules").join(name).join("package.json");
            let installed = fs::read_to_string(path).ok();
            installed.as_deref().and_then(json_version) != Some(version.as_str())
        })
        .map(|(name, version)| format!("{name}@{version}"))
        .collect())
}

/// `"name": "version"` pairs of the `devDependencies` object (a flat object of
/// strings, as in our package.json).
pub fn dev_dependencies(manifest: &str) -> Vec<(String, String)> {
    let Some(start) = manifest.find("\"devDependencies\"") else {
        return Vec::new();
    };
    let rest = &manifest[start..];
    let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) else {
        return Vec::new();
    };
    rest[open + 1..close]
        .split(',')
        .filter_map(|pair| {
            let (k, v) = pair.split_once(':')?;
            Some((
                k.trim().trim_matches('"').to_owned(),
                v.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

/// The top-level `"version"` of a package.json.
fn json_version(manifest: &str) -> Option<&str> {
    let start = manifest.find("\"version\"")?;
    let rest = &manifest[start + "\"version\"".len()..];
    let open = rest.find('"')?;
    let rest = &rest[open + 1..];
    Some(&rest[..rest.find('"')?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dev_dependencies() {
        let m = r#"{ "name": "x", "devDependencies": { "axe-core": "4.14.1", "binaryen": "132.0.0" } }"#;
        assert_eq!(
            dev_dependencies(m),
            vec![
                ("axe-core".to_owned(), "4.14.1".to_owned()),
                ("binaryen".to_owned(), "132.0.0".to_owned())
            ]
        );
    }

    #[test]
    fn reads_package_version() {
        assert_eq!(
            json_version(r#"{"name": "a", "version": "1.2.3"}"#),
            Some("1.2.3")
        );
        assert_eq!(json_version(r#"{"name": "a"}"#), None);
    }

    #[test]
    fn wasm_bindgen_is_pinned_to_the_locked_version() {
        // The `=` pin in Cargo.toml is what keeps Cargo.lock and the installed CLI
        // in step; a caret requirement would let them drift.
        let manifest = fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let locked = locked_version("wasm-bindgen").unwrap();
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml must pin wasm-bindgen = \"={locked}\""
        );
        let trunk = fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(trunk.contains(&format!("wasm_bindgen = \"{locked}\"")));
    }
}
