//! `assent-ledger`: the reference consent-record ledger (see the library docs
//! and `docs/records.md`, "Reference ledger").

use std::process::ExitCode;

/// mimalloc: the checks allocate many small buffers (JSON, JCS), where it is
/// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    assent_ledger::cli::run(&args)
}
