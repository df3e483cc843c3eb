//! Regression files: every input that ever failed is kept as
//! `tests/fuzz/regressions/<target>/<hash>.<extension>` (the first 12 hex
//! digits of its SHA-256), the input's bytes as they are. The replay test
//! (`tests/regressions.rs`, run by `cargo test --workspace`) runs each file
//! through its target's check; each directory also holds a checked-in seed
//! (`seed-*`) so the replay is never of nothing.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Target;

/// Where every target's regression directory lives, under the root.
pub const DIR: &str = "tests/fuzz/regressions";

/// The regression directory of `target`.
pub fn dir(root: &Path, target: &Target) -> PathBuf {
    root.join(DIR).join(target.name)
}

/// The file name an input is kept under.
pub fn file_name(target: &Target, input: &[u8]) -> String {
    let digest = Sha256::digest(input);
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", target.extension)
}

/// Keeps `input` as a regression file of `target`; returns its path.
pub fn write(root: &Path, target: &Target, input: &[u8]) -> Result<PathBuf, String> {
    let dir = dir(root, target);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(file_name(target, input));
    fs::write(&path, input).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Every regression file of `target`, sorted, with its bytes.
pub fn read_all(root: &Path, target: &Target) -> Vec<(PathBuf, Vec<u8>)> {
    let suffix = format!(".{}", target.extension);
    crate::seeds::files(&dir(root, target), &[suffix.as_str()])
}
