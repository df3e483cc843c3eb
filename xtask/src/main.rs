//! `cargo xtask …`: every chore of the project, so the README's two commands
//! (`cargo xtask serve`, `cargo xtask test`) are all a newcomer needs and CI runs
//! exactly what a developer runs.
//!
//! - `setup`: installs what the build and tests need, idempotently.
//! - `serve`: builds and serves the preview site on <http://127.0.0.1:8080>, with
//!   the reference consent ledger behind its `/api/`.
//! - `dist`: release build of the site, with its sizes and the size budget.
//! - `test`: fmt, clippy, native tests, browser tests, release build, end-to-end.
//! - `policy lint` / `policy schema`: the policy file tools.
//! - `schema`: the JSON Schemas of records, receipts, policies and export data, and the
//!   schemas of the rights API contract (`docs/rights-api.yaml`), from core's models.
//! - `bench [--runs N] [--smoke]`: Assent beside vanilla-cookieconsent, klaro and
//!   tarteaucitron on the same page: bytes, timings, blocking time, layout shift,
//!   heap and axe, on loopback and slow 4G, against Assent's budgets.
//! - `bench ledger`: the consent ledger's throughput on SQLite (budgeted) and PostgreSQL.
//! - `bench rights`: a 1 GiB export through the rights API, against the server's memory budget.
//! - `loader`: bundles the loader (`www/loader/`) into `assent-loader.js` and its chunks.
//! - `soak [--loads N]`, `soak --records [--decisions N]`: the randomized
//!   end-to-end run at scale, and consent records under chaos (`soak.rs`).
//! - `fuzz [--seconds N] [--target NAME] [--seed S]`: the fuzz targets (`fuzz.rs`,
//!   `crates/assent-fuzz`), each for N seconds; every failing input kept as a regression.

mod bench;
mod bench_managers;
mod bench_rights;
mod dist;
mod dpa_page;
mod fuzz;
mod glue;
mod loader;
mod node_suite;
mod panel;
mod policy;
mod postgres;
mod preview;
mod run;
mod schema;
mod serve;
mod setup;
mod soak;
mod stress;
mod subprocessor_page;
mod test;
#[cfg(test)]
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup   install the toolchain pieces the build and tests need (idempotent)
  serve   build and serve the preview site on http://127.0.0.1:8080 (and the ledger)
  dist    release build of the site into pkg/site, with sizes and budget
  test    fmt, clippy, native + browser tests, release build, end-to-end suite
  policy lint [--previous OLD] FILE...   check policy files (file:line:column: rule: message)
  policy schema                          write docs/policy.schema.json from the model
  policy config FILE [--earlier OLD]...  print a page's #assent-config for a policy
  schema                                 write docs/{records,policy,export}.schema.json and the
                                         schemas of docs/rights-api.yaml from core's models
  bench [--runs N] [--smoke]             Assent beside cookieconsent, klaro and tarteaucitron on one page:
                                         bytes, banner and Reject-all times, blocking time, layout shift,
                                         heap, axe; loopback and slow 4G; medians of N runs (default 5),
                                         Assent's budgets judged (--smoke: one loopback run, no budgets)
  bench ledger                           consent ledger records/s on SQLite (budget 5000/s) and PostgreSQL
  bench rights                           export of 1 GiB of files: the server's peak memory (budget 64 MiB)
  vectors                                write tests/vectors/*.json from core's rules
  preview [--policies DIR] [--out DIR]   write the policy preview pages (run by trunk as a hook)
  loader [--out DIR]                     bundle the loader and its chunks into DIR (default pkg/site)
  panel [--out DIR]                      build the GDPR panel's wasm and glue into DIR (default pkg/site)
  fuzz [--seconds N] [--target NAME] [--seed S] [--verbose]
                                         fuzz core's parsers, the ledger's checks and the loader's
                                         JavaScript twins, N seconds per target (default 60); every
                                         failing input kept in tests/fuzz/regressions/ (docs/fuzzing.md)
  soak [--loads N]                       N randomized page loads (default 10,000): nothing gated runs before
                                         the decision allows it, everything allowed runs once; loads/min
  soak --records [--decisions N]         N decisions (default 1,000) through a chaos proxy, the ledger
                                         killed and restarted: each stored exactly once, chains unbroken";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(),
        Some("serve") => serve::serve(),
        Some("dist") => setup::setup().and_then(|()| dist::dist().map(|_| ())),
        Some("test") => test::test(&args[1..]),
        Some("policy") => policy::policy(&args[1..]),
        Some("preview") => preview::preview(&args[1..]),
        Some("loader") => loader::loader(&args[1..]),
        Some("panel") => panel::panel(&args[1..]),
        Some("vectors") => write_vectors(),
        Some("schema") => schema::schema(),
        Some("bench") => bench::bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("soak") => soak::soak(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!(
            "unknown command {:?}\n\n{USAGE}",
            other.unwrap_or("")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the shared test vectors of core's rules (every file of
/// `assent_core::vectors::FILES`) for the loader's and the ledger's tests.
fn write_vectors() -> Result<(), String> {
    let dir = root().join("tests/vectors");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in &assent_core::vectors::FILES {
        let path = dir.join(file.name);
        std::fs::write(&path, file.text()).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
