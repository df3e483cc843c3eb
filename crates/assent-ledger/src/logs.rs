//! Where the JSON log lines go: stderr, written by a thread of their own. A
//! request handler hands its line over (a bounded queue) instead of making a
//! system call per request; the log thread writes whatever has queued up in
//! one go, then rests for [`LINGER`] so that under load it wakes once per
//! many lines, not once per line (a wake-up is a context switch on a busy
//! core). Lines keep their order and are on stderr at most about [`LINGER`]
//! after they were logged. [`flush`] waits until every line handed over so
//! far is written (the ledger calls it before it exits).

use std::io::Write;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::OnceLock;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// Lines waiting for the log thread, at most; a handler waits when it is full
/// (as it would for a slow stderr), rather than lose lines.
const QUEUE: usize = 16 * 1024;

/// How long the log thread rests after writing, while lines queue up. At
/// 5,000 requests a second this turns about 4,000 wake-ups a second into
/// 100 (`cargo xtask bench ledger`: the log thread's context switches went
/// from 0.73 to 0.02 per record, and the request handlers' CPU fell with
/// them). An idle ledger's first line is written at once.
pub const LINGER: Duration = Duration::from_millis(10);

enum Message {
    Line(Vec<u8>),
    Flushed(SyncSender<()>),
}

static QUEUE_SENDER: OnceLock<SyncSender<Message>> = OnceLock::new();

fn queue() -> &'static SyncSender<Message> {
    QUEUE_SENDER.get_or_init(|| {
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        let started = std::thread::Builder::new()
            .name("ledger-logs".into())
            .spawn(move || write_lines(&receiver));
        if let Err(e) = started {
            // Without the thread nothing would drain the queue: say so once,
            // on stderr directly; lines handed over are then dropped.
            eprintln!("assent-ledger: cannot start the log thread: {e}");
        }
        sender
    })
}

fn write_lines(receiver: &Receiver<Message>) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    let mut flushed = Vec::new();
    while let Ok(first) = receiver.recv() {
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Line(line) => {
                    let _ = out.write_all(&line);
                }
                Message::Flushed(done) => flushed.push(done),
            }
            next = receiver.try_recv().ok();
        }
        let _ = out.flush();
        for done in flushed.drain(..) {
            let _ = done.send(());
        }
        std::thread::sleep(LINGER);
    }
}

/// The `MakeWriter` of the ledger's `tracing` subscriber.
#[derive(Clone, Copy, Debug, Default)]
pub struct Logs;

/// One log line being formatted; handed to the log thread when dropped.
pub struct Line(Vec<u8>);

impl<'a> MakeWriter<'a> for Logs {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Vec::with_capacity(512))
    }
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            let _ = queue().send(Message::Line(std::mem::take(&mut self.0)));
        }
    }
}

/// Waits (at most 5 s) until every line handed over so far is on stderr.
pub fn flush() {
    let (done, written) = mpsc::sync_channel(1);
    if queue().send(Message::Flushed(done)).is_ok() {
        let _ = written.recv_timeout(Duration::from_secs(5));
    }
}
