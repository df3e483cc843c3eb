//! The JavaScript suites (`tests/loader/`, `tests/e2e/`): each test file in a
//! `node --test` process of its own, judged by its own summary.
//!
//! Why not `node --test DIR --test-force-exit`: Node 20's runner, forced to
//! exit, can drop the last verdicts of a file and still exit 0 (nodejs/node
//! #64833): a CI run once reported 335 loader tests where there are 346, the
//! missing 11 being the end of one file. So no file is forced to exit. A file
//! passes only if its process exits 0 after printing a summary in which every
//! test it declared passed (or was skipped on purpose); a file that does not
//! finish within [`FILE_DEADLINE`] (a test, or a handle left open, hangs) is
//! killed with its browsers and fails, naming itself.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::run::{cmd, Counts};

/// The longest one file may take: the slowest, the randomized end-to-end
/// file, takes about 3 minutes alone and 6 under `--stress`.
const FILE_DEADLINE: Duration = Duration::from_secs(20 * 60);

/// The longest one test may take (node's `--test-timeout`), well under the
/// file's deadline so a hung test is named by the runner itself.
const TEST_TIMEOUT_MS: &str = "600000";

/// The `*.test.mjs` files of `dir`, in name order.
pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no *.test.mjs file", dir.display()));
    }
    Ok(files)
}

/// Runs every file with `env`, one after the other, adding their counts to
/// `counts`; fails after the first file that fails, naming it.
pub fn run(files: &[PathBuf], env: &[(&str, &OsStr)], counts: &mut Counts) -> Result<(), String> {
    for file in files {
        let mut node = cmd("node");
        node.args([
            "--test",
            "--test-reporter=spec",
            &format!("--test-timeout={TEST_TIMEOUT_MS}"),
        ])
        .arg(file);
        for (key, value) in env {
            node.env(key, value);
        }
        let summary = run_file(&mut node, file)?;
        counts.passed += summary.pass;
        counts.failed += summary.fail + summary.cancelled;
        summary.judge(file)?;
    }
    Ok(())
}

/// What a file's runner printed at its end (`ℹ tests N`, `ℹ pass N`, …).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Whether the `ℹ tests` line was printed at all.
    pub printed: bool,
    pub tests: u64,
    pub pass: u64,
    pub fail: u64,
    pub cancelled: u64,
    pub skipped: u64,
    pub todo: u64,
}

impl Summary {
    /// Adds what `line` says, if it is a summary line.
    pub fn read(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("ℹ ") else {
            return;
        };
        let Some((word, number)) = rest.split_once(' ') else {
            return;
        };
        let Ok(number) = number.trim().parse::<u64>() else {
            return;
        };
        match word {
            "tests" => {
                self.printed = true;
                self.tests = number;
            }
            "pass" => self.pass = number,
            "fail" => self.fail = number,
            "cancelled" => self.cancelled = number,
            "skipped" => self.skipped = number,
            "todo" => self.todo = number,
            _ => {}
        }
    }

    /// Ok when the file declared tests and every one passed or was skipped.
    pub fn judge(&self, file: &Path) -> Result<(), String> {
        let name = file.display();
        if !self.printed {
            return Err(format!("{name}: the runner printed no summary"));
        }
        if self.tests == 0 {
            return Err(format!("{name}: no test ran"));
        }
        if self.fail + self.cancelled > 0 {
            return Err(format!(
                "{name}: {} failed, {} cancelled",
                self.fail, self.cancelled
            ));
        }
        if self.pass + self.skipped + self.todo != self.tests {
            return Err(format!(
                "{name}: {} tests but {} passed and {} skipped: verdicts are missing",
                self.tests, self.pass, self.skipped
            ));
        }
        Ok(())
    }
}

/// Runs one file's process in a process group of its own, echoing its
/// output; kills the group (node and its browsers) at the deadline.
fn run_file(node: &mut Command, file: &Path) -> Result<Summary, String> {
    let name = file.display().to_string();
    println!("$ node --test {name}");
    let started = Instant::now();
    own_process_group(node);
    let mut child = node
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start node for {name}: {e}"))?;
    let group = child.id();
    let (finished, watch) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let timed_out = watch.recv_timeout(FILE_DEADLINE).is_err();
        if timed_out {
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{group}")])
                .status();
        }
        timed_out
    });
    let mut summary = Summary::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            summary.read(&line);
        }
    }
    let status = child.wait();
    let _ = finished.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    let seconds = started.elapsed().as_secs_f32();
    if timed_out {
        return Err(format!(
            "{name} did not finish in {} min: a test or an open handle hangs (killed)",
            FILE_DEADLINE.as_secs() / 60
        ));
    }
    let status = status.map_err(|e| format!("{name}: {e}"))?;
    println!("  {name}: {} tests in {seconds:.0} s", summary.tests);
    if !status.success() {
        return Err(format!("{name} failed ({status})"));
    }
    Ok(summary)
}

/// Starts `node` in a process group of its own, so the watchdog's kill
/// reaches its browsers too. (Trunk also compiles the workspace's default
/// members, xtask among them, for wasm32, where there are no process groups.)
fn own_process_group(node: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        node.process_group(0);
    }
    #[cfg(not(unix))]
    let _ = node;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(lines: &str) -> Summary {
        let mut s = Summary::default();
        for line in lines.lines() {
            s.read(line);
        }
        s
    }

    #[test]
    fn a_file_passes_only_with_every_verdict() {
        let file = Path::new("x.test.mjs");
        let full =
            "ℹ tests 14\nℹ suites 0\nℹ pass 14\nℹ fail 0\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0";
        assert_eq!(summary(full).judge(file), Ok(()));
        let skipped = "ℹ tests 3\nℹ pass 2\nℹ fail 0\nℹ skipped 1";
        assert_eq!(summary(skipped).judge(file), Ok(()));
        let lost = "ℹ tests 14\nℹ pass 11\nℹ fail 0";
        assert!(summary(lost)
            .judge(file)
            .unwrap_err()
            .contains("verdicts are missing"));
        let failed = "ℹ tests 2\nℹ pass 1\nℹ fail 1";
        assert!(summary(failed)
            .judge(file)
            .unwrap_err()
            .contains("1 failed"));
        let cancelled = "ℹ tests 2\nℹ pass 1\nℹ fail 0\nℹ cancelled 1";
        assert!(summary(cancelled).judge(file).is_err());
        assert!(summary("ℹ tests 0\nℹ pass 0").judge(file).is_err());
        assert!(summary("✔ a test (1ms)")
            .judge(file)
            .unwrap_err()
            .contains("no summary"));
    }

    #[test]
    fn only_summary_lines_count() {
        let s = summary("  ℹ tests 5\n✔ pass 7 things\nℹ pass 5\nℹ fail x");
        assert_eq!((s.tests, s.pass, s.fail), (5, 5, 0));
    }
}
