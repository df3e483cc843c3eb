//! A load generator: devices sign chains of real records ahead of time
//! ([`presign`]), then concurrent connections post them, each subject's chain
//! in order on one connection, as browsers do ([`post`]). The bench
//! (`cargo xtask bench ledger`, through the `assent-ledger-load` binary)
//! and the crash test use it.

mod client;
mod device;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assent_core::record::Method;
use axum::body::Bytes;

pub use client::{Answer, Client};
pub use device::{Algorithm, Device, Signed, Template};

/// How much load, how spread.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Records in all.
    pub records: usize,
    /// Devices (subjects) they are spread over.
    pub subjects: usize,
    /// Concurrent connections.
    pub connections: usize,
    /// Every n-th device signs with P-256 instead of Ed25519 (0: none).
    pub p256_every: usize,
}

/// Signs every device's chain: `plan.records` records over `plan.subjects`
/// devices, alternately accept-all and reject-all, one second apart from
/// `start_ms`. Uses every core.
pub fn presign(plan: &Plan, template: &Template, start_ms: u64) -> Vec<Vec<Signed>> {
    let subjects = plan.subjects.max(1);
    let sign_chain = |i: usize| {
        let algorithm = if plan.p256_every > 0 && i % plan.p256_every == plan.p256_every - 1 {
            Algorithm::P256
        } else {
            Algorithm::Ed25519
        };
        let mut device = Device::random(algorithm);
        let length = plan.records / subjects + usize::from(i < plan.records % subjects);
        (0..length)
            .map(|n| {
                let method = if n % 2 == 0 {
                    Method::AcceptAll
                } else {
                    Method::RejectAll
                };
                device.next(template, method, start_ms + 1000 * n as u64)
            })
            .collect::<Vec<_>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut chains: Vec<(usize, Vec<Signed>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..subjects)
                        .step_by(threads)
                        .map(|i| (i, sign_chain(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    chains.sort_by_key(|(i, _)| *i);
    chains.into_iter().map(|(_, chain)| chain).collect()
}

/// A record the ledger acknowledged (2xx with a receipt).
#[derive(Clone, Debug)]
pub struct Ack {
    /// Record id.
    pub id: String,
    /// Its subject.
    pub subject: String,
    /// Its seq.
    pub seq: u64,
    /// HTTP status (201 stored, 200 replayed).
    pub status: u16,
    /// The receipt JWS.
    pub receipt: String,
}

/// What a load run saw.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Requests sent.
    pub sent: usize,
    /// 201 answers.
    pub stored: usize,
    /// 200 answers.
    pub replayed: usize,
    /// Other answers (the rest of that chain is not sent).
    pub refused: usize,
    /// Requests that got no answer (that connection stops).
    pub transport_errors: usize,
    /// The first few refusals and failures, for people.
    pub problems: Vec<String>,
    /// Latency of each answered request, microseconds.
    pub latencies_us: Vec<u64>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Every acknowledged record.
    pub acks: Vec<Ack>,
    /// This process's CPU time (user + system) while posting, in 10 ms
    /// clock ticks (`None` off Linux).
    pub cpu_ticks: Option<u64>,
}

impl Report {
    /// The `p`-th percentile latency (0 to 100), milliseconds.
    pub fn latency_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
    }

    /// Acknowledged records a second.
    pub fn rate(&self) -> f64 {
        (self.stored + self.replayed) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn merge(&mut self, other: Report) {
        self.sent += other.sent;
        self.stored += other.stored;
        self.replayed += other.replayed;
        self.refused += other.refused;
        self.transport_errors += other.transport_errors;
        for problem in other.problems {
            if self.problems.len() < 10 {
                self.problems.push(problem);
            }
        }
        self.latencies_us.extend(other.latencies_us);
        self.acks.extend(other.acks);
    }
}

/// Posts every chain to the ledger at `address` over `connections`
/// connections, chain `i` on connection `i % connections`, each chain in
/// order. `acked` counts acknowledgements as they come (the crash test
/// watches it).
pub async fn post(
    address: SocketAddr,
    chains: Vec<Vec<Signed>>,
    connections: usize,
    acked: Arc<AtomicUsize>,
) -> Report {
    let connections = connections.max(1);
    // Bodies are made before the clock starts: the load measures the ledger.
    let mut shares: Vec<Vec<Vec<(Signed, Bytes)>>> = (0..connections).map(|_| Vec::new()).collect();
    for (i, chain) in chains.into_iter().enumerate() {
        let chain = chain
            .into_iter()
            .map(|signed| {
                let body = Bytes::from(serde_json::json!({ "jws": signed.jws }).to_string());
                (signed, body)
            })
            .collect();
        shares[i % connections].push(chain);
    }
    let shares: Vec<Arc<Share>> = shares.into_iter().map(Arc::new).collect();
    let cpu_before = own_cpu_ticks();
    let started = Instant::now();
    let tasks: Vec<_> = shares
        .iter()
        .map(|share| tokio::spawn(post_share(address, Arc::clone(share), Arc::clone(&acked))))
        .collect();
    let mut report = Report::default();
    for task in tasks {
        match task.await {
            Ok(part) => report.merge(part),
            Err(e) => report
                .problems
                .push(format!("a connection task failed: {e}")),
        }
    }
    report.elapsed = started.elapsed();
    report.cpu_ticks = cpu_before
        .zip(own_cpu_ticks())
        .map(|(before, after)| after.saturating_sub(before));
    // The records and bodies are freed here, after the clock: the load's
    // CPU figure is what posting took.
    drop(shares);
    report
}

/// One connection's chains, each record with its body.
type Share = Vec<Vec<(Signed, Bytes)>>;

/// This process's user plus system CPU time so far, in 10 ms clock ticks
/// (`/proc/self/stat` fields 14 and 15); `None` off Linux.
pub fn own_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

async fn post_share(address: SocketAddr, share: Arc<Share>, acked: Arc<AtomicUsize>) -> Report {
    /// The one member of a stored record's answer the load keeps.
    #[derive(serde::Deserialize)]
    struct Receipt {
        receipt: String,
    }
    let mut client = Client::new(address);
    let mut report = Report::default();
    for chain in share.iter() {
        for (signed, body) in chain {
            let started = Instant::now();
            report.sent += 1;
            let answer = match client.post_body(body.clone(), &signed.record.id).await {
                Ok(answer) => answer,
                Err(e) => {
                    report.transport_errors += 1;
                    report
                        .problems
                        .push(format!("record {}: {e}", signed.record.id));
                    return report;
                }
            };
            report
                .latencies_us
                .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
            match answer.status {
                200 | 201 => {
                    if answer.status == 201 {
                        report.stored += 1;
                    } else {
                        report.replayed += 1;
                    }
                    acked.fetch_add(1, Ordering::Relaxed);
                    report.acks.push(Ack {
                        id: signed.record.id.clone(),
                        subject: signed.record.subject.clone(),
                        seq: signed.record.seq,
                        status: answer.status,
                        receipt: serde_json::from_slice::<Receipt>(&answer.body)
                            .map(|r| r.receipt)
                            .unwrap_or_default(),
                    });
                }
                status => {
                    report.refused += 1;
                    if report.problems.len() < 10 {
                        report.problems.push(format!(
                            "record {} (seq {}): {status} {}",
                            signed.record.id,
                            signed.record.seq,
                            String::from_utf8_lossy(&answer.body)
                        ));
                    }
                    break;
                }
            }
        }
    }
    report
}
