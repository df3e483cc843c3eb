//! `assent-ledger-load`: signs chains of records ahead of time, posts them to
//! a running ledger over concurrent connections and prints one line:
//! `ledger (LABEL): N records in T s: X records/s verified and stored;
//! latency p50 A ms, p99 B ms[; budget N/s: within|OVER budget]`.
//! Exits 1 when a record was refused or lost, 2 when all were stored but the
//! rate is under the budget. Run by `cargo xtask bench ledger`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use assent_ledger::load::{post, presign, Plan, Template};
use assent_ledger::policies::{read, Loaded, Policies};

/// mimalloc: the checks allocate many small buffers (JSON, JCS), where it is
/// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: assent-ledger-load --url http://HOST:PORT --policies DIR
    [--records N (20000)] [--subjects N (200)] [--connections N (64)]
    [--p256-every N (0: all Ed25519)] [--label NAME] [--budget RECORDS_PER_SECOND]";

struct Options {
    url: String,
    policies: PathBuf,
    plan: Plan,
    label: String,
    budget: Option<f64>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut url = None;
    let mut policies = None;
    let mut plan = Plan {
        records: 20_000,
        subjects: 200,
        connections: 64,
        p256_every: 0,
    };
    let mut label = "sqlite".to_owned();
    let mut budget = None;
    let mut rest = args;
    while let [flag, value, tail @ ..] = rest {
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} {value:?} is not a number"))
        };
        match flag.as_str() {
            "--url" => url = Some(value.clone()),
            "--policies" => policies = Some(PathBuf::from(value)),
            "--records" => plan.records = number()?,
            "--subjects" => plan.subjects = number()?.max(1),
            "--connections" => plan.connections = number()?.max(1),
            "--p256-every" => plan.p256_every = number()?,
            "--label" => label = value.clone(),
            "--budget" => budget = Some(number()? as f64),
            _ => return Err(format!("unexpected argument {flag}\n{USAGE}")),
        }
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(format!("{} needs a value\n{USAGE}", rest[0]));
    }
    Ok(Options {
        url: url.ok_or(format!("--url is required\n{USAGE}"))?,
        policies: policies.ok_or(format!("--policies is required\n{USAGE}"))?,
        plan,
        label,
        budget,
    })
}

/// How a run ended.
enum Ending {
    /// Every record stored, within the budget.
    Within,
    /// Every record stored, under the budget.
    Over,
    /// A record was refused or lost.
    Failed,
}

fn run(options: Options) -> Result<Ending, String> {
    let address = options
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .map_err(|_| format!("--url {:?} is not http://IP:PORT", options.url))?;
    // The first policy of the directory that parses: the ledger loads the same files.
    let (_, loaded) = Policies::load(&options.policies)?;
    let policy = loaded
        .iter()
        .find_map(|l| match l {
            Loaded::Policy { file, .. } => read(file).ok(),
            Loaded::Skipped { .. } => None,
        })
        .ok_or_else(|| format!("no policy in {}", options.policies.display()))?;
    let template = Template::from_policy(&policy, "en");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as u64;
    // Chains end before now: every record is in the past, as delivered ones are.
    let per_subject = (options.plan.records / options.plan.subjects.max(1) + 1) as u64;
    let signing = Instant::now();
    let chains = presign(&options.plan, &template, now - 1000 * per_subject - 60_000);
    let signed: usize = chains.iter().map(Vec::len).sum();
    eprintln!(
        "assent-ledger-load: signed {signed} records of {} subjects in {:.1} s; posting over {} connections",
        chains.len(),
        signing.elapsed().as_secs_f64(),
        options.plan.connections
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let report = runtime.block_on(post(
        address,
        chains,
        options.plan.connections,
        Arc::new(AtomicUsize::new(0)),
    ));
    for problem in &report.problems {
        eprintln!("assent-ledger-load: {problem}");
    }
    // What the load itself took of the machine it shares with the ledger.
    if let Some(ticks) = report.cpu_ticks {
        eprintln!(
            "assent-ledger-load: CPU {:.0} µs per record posted (user + system)",
            ticks as f64 * 1e4 / report.sent.max(1) as f64
        );
    }
    let rate = report.rate();
    let mut line = format!(
        "ledger ({}): {} records in {:.2} s: {:.0} records/s verified and stored; latency p50 {:.2} ms, p99 {:.2} ms",
        options.label,
        report.stored + report.replayed,
        report.elapsed.as_secs_f64(),
        rate,
        report.latency_ms(50.0),
        report.latency_ms(99.0)
    );
    let within = options.budget.is_none_or(|budget| rate >= budget);
    if let Some(budget) = options.budget {
        line += &format!(
            "; budget {budget:.0}/s: {}",
            if within {
                "within budget"
            } else {
                "OVER budget"
            }
        );
    }
    println!("{line}");
    let complete = report.stored == signed && report.refused == 0 && report.transport_errors == 0;
    if !complete {
        eprintln!(
            "assent-ledger-load: {} of {signed} records stored ({} replayed, {} refused, {} unanswered)",
            report.stored, report.replayed, report.refused, report.transport_errors
        );
    }
    Ok(match (complete, within) {
        (false, _) => Ending::Failed,
        (true, true) => Ending::Within,
        (true, false) => Ending::Over,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match options(&args).and_then(run) {
        Ok(Ending::Within) => ExitCode::SUCCESS,
        Ok(Ending::Over) => ExitCode::from(2),
        Ok(Ending::Failed) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("assent-ledger-load: {message}");
            ExitCode::FAILURE
        }
    }
}
