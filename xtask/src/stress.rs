//! `cargo xtask test --stress`: a CPU load of the run's own while the browser
//! suites run, so a test that only passes on an idle machine fails here
//! rather than at random in CI.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// One busy thread per core, until dropped.
pub struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<u64>>,
}

impl Load {
    /// Keeps every core busy (as many spinning threads as
    /// `available_parallelism`).
    pub fn start() -> Load {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..cores)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || spin(&stop))
            })
            .collect();
        println!("stress: {cores} busy threads, one per core");
        Load { stop, threads }
    }
}

/// Arithmetic nobody reads until `stop`; the count of rounds is returned so
/// the loop cannot be optimised away.
fn spin(stop: &AtomicBool) -> u64 {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut rounds = 0_u64;
    while !stop.load(Ordering::Relaxed) {
        for _ in 0..10_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }
        rounds = rounds.wrapping_add(std::hint::black_box(state) & 1);
    }
    rounds
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        println!("stress: load stopped");
    }
}
