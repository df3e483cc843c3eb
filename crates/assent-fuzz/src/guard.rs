//! Running one input safely: a panic is caught (`catch_unwind`, with the
//! message and location kept instead of printed) and a run that does not
//! return within [`TIME_LIMIT`] is a hang.
//!
//! [`check`] runs the input on a worker thread of its own and waits for it,
//! the guard of the replay tests and of the minimiser. The engine's hot loop
//! runs inputs on its own thread with [`catching`] and a [`Watchdog`]
//! instead, which costs nothing per input: a thread hand-off per input would
//! cost more than most checks.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::time::{Duration, Instant};

use crate::{Failure, Outcome, Target};

/// How long one input may run before it counts as a hang.
pub const TIME_LIMIT: Duration = Duration::from_secs(2);
/// The stack of the threads that run inputs: deep enough that a parser's
/// recursion limit, not the stack, decides (a stack overflow aborts the
/// process, which no guard can catch).
pub const STACK: usize = 64 << 20;

thread_local! {
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics inside [`catching`] are recorded, not printed; others print as usual.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{at}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `target`'s check on `input` on this thread, a panic caught as a
/// [`Failure::Panic`]. No time limit: see [`check`] and [`Watchdog`].
pub fn catching(target: &Target, input: &[u8]) -> Result<Outcome, Failure> {
    install_hook();
    CATCHING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.check)(input)));
    CATCHING.with(|c| c.set(false));
    result.unwrap_or_else(|_| {
        let message = LAST_PANIC.with(|p| p.borrow_mut().take());
        Err(Failure::Panic(
            message.unwrap_or_else(|| "(no message)".into()),
        ))
    })
}

/// Runs `target`'s check on `input` on a worker thread and waits at most
/// [`TIME_LIMIT`]: a panic or a hang is a [`Failure`]. A hung worker is left
/// behind (a thread cannot be stopped); the process ends it when it exits.
pub fn check(target: &'static Target, input: &[u8]) -> Result<Outcome, Failure> {
    let (send, receive) = mpsc::channel();
    let input = input.to_vec();
    let spawned = std::thread::Builder::new()
        .name(format!("check {}", target.name))
        .stack_size(STACK)
        .spawn(move || {
            let _ = send.send(catching(target, &input));
        });
    if let Err(e) = spawned {
        return Err(Failure::Oracle(format!("could not start a worker: {e}")));
    }
    match receive.recv_timeout(TIME_LIMIT) {
        Ok(result) => result,
        Err(_) => Err(Failure::Hang(TIME_LIMIT)),
    }
}

/// The hang guard of the engine's loop: a thread that looks every 100 ms at
/// the input in progress and, when one has run longer than [`TIME_LIMIT`],
/// hands it to `on_hang` and ends the process with a failure (the hung
/// thread cannot be stopped otherwise).
pub struct Watchdog {
    slot: Arc<Mutex<Slot>>,
}

impl Drop for Watchdog {
    /// Stops the watching thread.
    fn drop(&mut self) {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
    }
}

#[derive(Default)]
struct Slot {
    stopped: bool,
    running: bool,
    started: Option<Instant>,
    input: Vec<u8>,
}

impl Watchdog {
    /// Starts watching; `on_hang` receives the input that hung.
    pub fn start(on_hang: impl Fn(&[u8]) + Send + 'static) -> Watchdog {
        let slot = Arc::new(Mutex::new(Slot::default()));
        let watched = Arc::clone(&slot);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let slot = watched.lock().unwrap_or_else(|e| e.into_inner());
            if slot.stopped {
                return;
            }
            let late = slot.started.is_some_and(|t| t.elapsed() > TIME_LIMIT);
            if slot.running && late {
                let input = slot.input.clone();
                drop(slot);
                on_hang(&input);
                std::process::exit(1);
            }
        });
        Watchdog { slot }
    }

    /// Runs `target`'s check on `input` (see [`catching`]) under watch.
    pub fn run(&self, target: &Target, input: &[u8]) -> Result<Outcome, Failure> {
        {
            let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
            slot.running = true;
            slot.started = Some(Instant::now());
            slot.input.clear();
            slot.input.extend_from_slice(input);
        }
        let result = catching(target, input);
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).running = false;
        result
    }
}
