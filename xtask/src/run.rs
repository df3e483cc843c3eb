//! Running the tools: commands with the project's PATH, failures as messages.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::root;

/// The PATH for every tool the project runs: the npm-pinned tools first (so
/// trunk finds binaryen's wasm-opt 132 and never Debian's broken wasm-opt 108),
/// then cargo's installed binaries, then the inherited PATH.
pub fn path_env() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// `~/.cargo/bin` (or `$CARGO_HOME/bin`).
pub fn cargo_bin() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home).join("bin");
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    PathBuf::from(home).join(".cargo").join("bin")
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` in the
/// workspace (where the binaries the tests and benches start are built).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// A command run from the workspace root with the project's PATH.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", path_env());
    c
}

/// Runs `c`, inheriting stdout/stderr; an error names the command on failure.
pub fn status(c: &mut Command) -> Result<(), String> {
    let shown = show(c);
    println!("$ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `c` quietly and returns its trimmed stdout, or `None` if it cannot run
/// or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn show(c: &Command) -> String {
    std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Test counts read from runners' summary lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Tests passed.
    pub passed: u64,
    /// Tests failed.
    pub failed: u64,
}

/// Runs a test command like [`status`], echoing its stdout, and adds up the
/// summary lines of cargo test (`test result: … N passed; M failed`). Node's
/// suites are run and counted by `node_suite`.
pub fn status_counting(c: &mut Command, counts: &mut Counts) -> Result<(), String> {
    let shown = show(c);
    println!("$ {shown}");
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            let found = parse_summary(&line);
            counts.passed += found.passed;
            counts.failed += found.failed;
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` did not finish: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The counts of one summary line (zero for any other line).
pub fn parse_summary(line: &str) -> Counts {
    let number_before = |text: &str, word: &str| -> u64 {
        text.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)?
                    .trim()
                    .rsplit(' ')
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    };
    let Some(rest) = line.trim().strip_prefix("test result: ") else {
        return Counts::default();
    };
    let rest = rest.split_once(". ").map_or(rest, |(_, r)| r);
    Counts {
        passed: number_before(rest, "passed"),
        failed: number_before(rest, "failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_summaries() {
        let table = [
            ("test result: ok. 21 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s", 21, 0),
            ("test result: FAILED. 10 passed; 1 failed; 0 ignored", 10, 1),
            ("ℹ pass 18", 0, 0),
            ("test passes_things ... ok", 0, 0),
        ];
        for (line, passed, failed) in table {
            assert_eq!(parse_summary(line), Counts { passed, failed }, "{line}");
        }
    }
}
