//! The JavaScript twins: `tests/fuzz/twins.mjs` in a `node` process that
//! reads one case per line on its standard input (the shapes of
//! `tests/vectors/`, with core's answers) and writes one line per case on
//! which the loader's `rules.js`, `choice.js` or `jcs.js` answers otherwise.
//! Node runs beside the engine, on the other core, and sees every input of
//! the targets that have a twin.
//!
//! The regression files of those targets are replayed by
//! `tests/loader/fuzz-regressions.test.mjs` from
//! [`REGRESSION_CASES`], core's answers on them, which [`regression_cases`]
//! writes and `tests/regressions.rs` keeps current.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{json, Value};

use crate::{regress, TARGETS};

/// The script that checks the twins.
pub const SCRIPT: &str = "tests/fuzz/twins.mjs";
/// Core's answers on every regression file of a target with a twin.
pub const REGRESSION_CASES: &str = "tests/fuzz/regressions/twins.json";

/// A case on which a twin disagrees: the input it came from and what differs.
#[derive(Clone, Debug)]
pub struct Disagreement {
    /// The input file's text.
    pub input: String,
    /// What the twin answered otherwise.
    pub problems: Vec<String>,
}

/// A running `node tests/fuzz/twins.mjs --stream`.
pub struct Twins {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    reader: Option<JoinHandle<()>>,
    found: Arc<Mutex<Vec<Disagreement>>>,
    disagreed: Arc<AtomicBool>,
    /// Cases sent.
    pub sent: u64,
}

impl Twins {
    /// Starts node on the twin script.
    pub fn start(root: &Path) -> Result<Twins, String> {
        let mut child = Command::new("node")
            .arg(root.join(SCRIPT))
            .arg("--stream")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start node for the JavaScript twins: {e}"))?;
        let stdin = child.stdin.take().map(BufWriter::new);
        let stdout = child.stdout.take().ok_or("node has no stdout")?;
        let found = Arc::new(Mutex::new(Vec::new()));
        let disagreed = Arc::new(AtomicBool::new(false));
        let (into, flag) = (Arc::clone(&found), Arc::clone(&disagreed));
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let Ok(report) = serde_json::from_str::<Value>(&line) else {
                    eprintln!("twins.mjs: {line}");
                    continue;
                };
                let problems = report["problems"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect();
                let input = report["input"].as_str().unwrap_or("").to_owned();
                into.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Disagreement { input, problems });
                flag.store(true, Ordering::Relaxed);
            }
        });
        Ok(Twins {
            child,
            stdin,
            reader: Some(reader),
            found,
            disagreed,
            sent: 0,
        })
    }

    /// Hands one case to node.
    pub fn send(&mut self, case: &Value) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("node's stdin is closed")?;
        writeln!(stdin, "{case}").map_err(|e| format!("node stopped reading cases: {e}"))?;
        self.sent += 1;
        Ok(())
    }

    /// Whether node has reported a disagreement yet.
    pub fn disagreed(&self) -> bool {
        self.disagreed.load(Ordering::Relaxed)
    }

    /// Waits for node to check every case sent; the disagreements.
    pub fn finish(mut self) -> Result<Vec<Disagreement>, String> {
        if let Some(mut stdin) = self.stdin.take() {
            stdin
                .flush()
                .map_err(|e| format!("node stopped reading cases: {e}"))?;
        }
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let found = std::mem::take(&mut *self.found.lock().unwrap_or_else(|e| e.into_inner()));
        if !status.success() && found.is_empty() {
            return Err(format!("node {SCRIPT} failed ({status})"));
        }
        Ok(found)
    }
}

/// Core's answers on every regression file of every target with a twin, as
/// the document `tests/loader/fuzz-regressions.test.mjs` replays.
pub fn regression_cases(root: &Path) -> Value {
    let mut cases = Vec::new();
    for target in &TARGETS {
        let Some(twin) = target.twin else { continue };
        for (path, bytes) in regress::read_all(root, target) {
            for mut case in twin(&bytes) {
                let file = path.strip_prefix(root).unwrap_or(&path);
                case["name"] = json!(format!(
                    "{} ({})",
                    file.display(),
                    case["kind"].as_str().unwrap_or("")
                ));
                cases.push(case);
            }
        }
    }
    json!({
        "about": "Written by assent-fuzz (crates/assent-fuzz/src/twins.rs) from the regression files of the targets with a JavaScript twin, with core's answers; tests/loader/fuzz-regressions.test.mjs replays them through tests/fuzz/twins.mjs. Do not edit: run `cargo xtask fuzz --seconds 0`.",
        "cases": cases,
    })
}

/// The text of [`REGRESSION_CASES`]: pretty JSON and a final newline.
pub fn regression_text(root: &Path) -> String {
    let mut text = serde_json::to_string_pretty(&regression_cases(root)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes [`REGRESSION_CASES`].
pub fn write_regression_cases(root: &Path) -> Result<(), String> {
    let path = root.join(REGRESSION_CASES);
    std::fs::write(&path, regression_text(root)).map_err(|e| format!("{}: {e}", path.display()))
}
