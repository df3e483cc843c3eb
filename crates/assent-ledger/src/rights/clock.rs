//! The server's clock, which every deadline is computed from (never the
//! browser's). In production it is the system clock. Started with
//! `--clock adjustable` (tests, demos) it is the system clock plus an offset
//! that only moves forward: `POST /dev/clock` or `assent-ledger clock
//! --advance` (while the server is down) fast-forwards it, so a 30-day grace
//! period can be lived through in a test. The offset is kept in the data
//! directory (`clock-offset-ms`), so a restarted server keeps the time it had.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use assent_core::rights::time::Timestamp;
use tokio::sync::Notify;

/// The file that keeps an adjustable clock's offset.
pub const OFFSET_FILE: &str = "clock-offset-ms";

/// The server's clock.
pub struct Clock {
    /// Where the offset is kept; `None`: the system clock, not adjustable.
    file: Option<PathBuf>,
    offset_ms: AtomicI64,
    moved: Notify,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock {
            file: None,
            offset_ms: AtomicI64::new(0),
            moved: Notify::new(),
        }
    }

    /// An adjustable clock whose offset is kept in `data/clock-offset-ms`.
    pub fn adjustable(data: &Path) -> Result<Clock, String> {
        let file = data.join(OFFSET_FILE);
        let offset = read_offset(&file)?;
        Ok(Clock {
            file: Some(file),
            offset_ms: AtomicI64::new(offset),
            moved: Notify::new(),
        })
    }

    /// Whether it can be moved forward.
    pub fn is_adjustable(&self) -> bool {
        self.file.is_some()
    }

    /// Now, on this clock.
    pub fn now(&self) -> Timestamp {
        let system = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let now = system.saturating_add(self.offset_ms.load(Ordering::SeqCst));
        Timestamp(u64::try_from(now).unwrap_or(0))
    }

    /// Moves an adjustable clock forward by `ms` and wakes whoever waits on
    /// [`Clock::moved`]; the new time.
    pub fn advance(&self, ms: u64) -> Result<Timestamp, String> {
        let Some(file) = &self.file else {
            return Err("the clock is the system clock (start with --clock adjustable)".into());
        };
        let ms = i64::try_from(ms).map_err(|_| "too far".to_owned())?;
        let offset = self.offset_ms.load(Ordering::SeqCst).saturating_add(ms);
        write_offset(file, offset)?;
        self.offset_ms.store(offset, Ordering::SeqCst);
        self.moved.notify_waiters();
        Ok(self.now())
    }

    /// Waits until the clock is moved forward (never, for the system clock).
    pub async fn moved(&self) {
        if self.file.is_some() {
            self.moved.notified().await;
        } else {
            std::future::pending::<()>().await;
        }
    }
}

/// Moves the adjustable clock of a data directory forward while no server
/// runs (`assent-ledger clock --data DIR --advance DAYS`); the new offset.
pub fn advance_offline(data: &Path, ms: u64) -> Result<i64, String> {
    let file = data.join(OFFSET_FILE);
    let offset = read_offset(&file)?.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX));
    write_offset(&file, offset)?;
    Ok(offset)
}

fn read_offset(file: &Path) -> Result<i64, String> {
    match std::fs::read_to_string(file) {
        Ok(text) => text
            .trim()
            .parse()
            .map_err(|_| format!("{}: not a number of milliseconds", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

/// Writes the offset durably: a temporary file, synced, renamed over.
fn write_offset(file: &Path, offset: i64) -> Result<(), String> {
    use std::io::Write;
    let temporary = file.with_extension("tmp");
    let fail = |e: std::io::Error| format!("{}: {e}", file.display());
    let mut out = std::fs::File::create(&temporary).map_err(fail)?;
    out.write_all(offset.to_string().as_bytes()).map_err(fail)?;
    out.sync_all().map_err(fail)?;
    std::fs::rename(&temporary, file).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_keeps_its_offset_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Clock::adjustable(dir.path()).unwrap();
        let before = clock.now();
        let day = 86_400_000;
        let after = clock.advance(30 * day).unwrap();
        assert!(after.0 >= before.0 + 30 * day);
        let restarted = Clock::adjustable(dir.path()).unwrap();
        assert!(restarted.now().0 >= before.0 + 30 * day);
        advance_offline(dir.path(), day).unwrap();
        assert!(Clock::adjustable(dir.path()).unwrap().now().0 >= before.0 + 31 * day);
    }

    #[test]
    fn the_system_clock_cannot_be_moved() {
        assert!(Clock::system().advance(1).is_err());
    }
}
