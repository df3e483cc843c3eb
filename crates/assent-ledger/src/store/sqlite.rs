//! The SQLite backend: one file in WAL mode; one writer thread that commits
//! batches and one sync thread that makes each committed batch durable
//! (`fdatasync` of the WAL) before any of its submissions is answered, so a
//! committed and answered batch survives a crash or power loss; the table's
//! triggers refuse `UPDATE` and `DELETE`.
//!
//! Why `synchronous=NORMAL` plus our own sync is as durable as
//! `synchronous=FULL` for every answered record: with FULL, SQLite syncs the
//! WAL at the end of each commit, on the writer's critical path. The SQLite
//! documentation (<https://www.sqlite.org/pragma.html#pragma_synchronous>)
//! describes NORMAL in WAL mode so: "the WAL file is synchronized before each
//! checkpoint and the database file is synchronized after each completed
//! checkpoint and the WAL file header is synchronized when a WAL file begins
//! to be reused after a checkpoint, but no sync operations occur during most
//! transactions", and "WAL mode is always consistent with synchronous=NORMAL,
//! but WAL mode does lose durability. A transaction committed in WAL mode with
//! synchronous=NORMAL might roll back following a power loss or system crash."
//! That lost durability is exactly the commits whose WAL frames were not yet
//! synced; we restore it by syncing the WAL ourselves, after the commit and
//! before the answer:
//!
//! - A commit appends its frames (and the commit frame) to the WAL with
//!   `write()`; a `fdatasync()` on the WAL file started after that commit
//!   returned makes those frames durable (data, and the file size).
//! - A checkpoint copies WAL frames into the database file. SQLite syncs the
//!   WAL before it and the database file after it, so frames it copies are
//!   durable in the database before the WAL can be reused; and when the WAL
//!   is reused (rewritten from its start with a new salt) its header is
//!   synced first, so an older, already-checkpointed WAL cannot be replayed
//!   over newer data. A checkpoint therefore never makes a synced commit
//!   non-durable, and our sync of a later commit covers the reused WAL's
//!   frames like any others.
//! - The WAL file is the same file (inode) as long as a connection is open:
//!   SQLite deletes it only when the last connection closes, and the writer's
//!   connection stays open while the ledger runs; the sync thread keeps its
//!   own descriptor of it, opened at start (and its directory entry synced).
//! - Replies of batch N are sent only after a sync that started after batch
//!   N's commit returned; the writer may meanwhile commit batch N+1, which is
//!   what takes the sync off the writer's critical path.
//! - A failed sync is not retried (after a failed `fsync` the kernel may have
//!   dropped the dirty pages and cleared the error): the batches it covered
//!   are answered 503, and the ledger acknowledges nothing more until it is
//!   restarted (SQLite then recovers from what is on disk; a record whose
//!   503 was a lie is simply a replay when retried).

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use tokio::sync::mpsc;

use super::batch::{self, Existing, Head};
use super::{Batch, Outcome, Pending, Stored};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records (
    id       TEXT    NOT NULL PRIMARY KEY,
    subject  TEXT    NOT NULL,
    seq      INTEGER NOT NULL CHECK (seq >= 1),
    hash     TEXT    NOT NULL,
    jws      TEXT    NOT NULL,
    receipt  TEXT    NOT NULL,
    received INTEGER NOT NULL,
    UNIQUE (subject, seq)
);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'assent ledger: records are append-only (UPDATE refused)'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'assent ledger: records are append-only (DELETE refused)'); END;
";

/// The writer's connection and the sync thread's descriptor of its WAL.
pub struct Opened {
    connection: Connection,
    wal: File,
}

/// Opens (creating) the database for writing, in WAL mode with
/// `synchronous=NORMAL`, and the WAL file for [`write`]'s sync thread.
pub fn open(path: &Path) -> Result<Opened, String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let connection = Connection::open(path).map_err(fail)?;
    connection
        .busy_timeout(Duration::from_secs(5))
        .map_err(fail)?;
    let mode: String = connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(fail)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(format!(
            "{}: cannot use WAL (journal mode {mode})",
            path.display()
        ));
    }
    // NORMAL: commits do not sync; the sync thread of `write` syncs the WAL
    // after each commit and before its answers (see the module's comment),
    // so an answered record survives a crash or power loss as with FULL.
    connection
        .pragma_update(None, "synchronous", "NORMAL")
        .map_err(fail)?;
    // Checkpoint every 10,000 WAL pages (about 40 MB) rather than SQLite's
    // 1,000: a checkpoint writes each page once however often it changed
    // since the last, and the two indexes' leaves change with nearly every
    // record. Measured with `cargo xtask bench ledger`: about a fifth more
    // records a second, for a longer pause of the writer (p99 latency) at
    // each checkpoint, every 3,000 records or so.
    connection
        .pragma_update(None, "wal_autocheckpoint", 10_000)
        .map_err(fail)?;
    connection.execute_batch(SCHEMA).map_err(fail)?;
    // A read transaction in WAL mode opens (creating) the WAL file; it exists
    // from now on while this connection is open.
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(fail)?;
    let wal_path = wal_path(path);
    let wal = File::open(&wal_path).map_err(|e| format!("{}: {e}", wal_path.display()))?;
    // The WAL's directory entry, once: a synced WAL must also be found.
    wal.sync_all()
        .map_err(|e| format!("{}: {e}", wal_path.display()))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(Opened { connection, wal })
}

/// SQLite's WAL file of the database at `path`: `path` + `-wal`.
fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A committed batch waiting for the WAL sync before its answers.
struct Committed {
    batch: Batch,
    outcomes: Vec<Outcome>,
}

/// The writer loop: one transaction per batch until the queue closes; each
/// committed batch goes to the sync thread, which answers it once the WAL is
/// synced. Returns after every batch has been answered.
pub fn write(opened: Opened, mut pending: mpsc::Receiver<Pending>) {
    let Opened {
        mut connection,
        wal,
    } = opened;
    let failed = Arc::new(AtomicBool::new(false));
    let (to_sync, committed) = std::sync::mpsc::channel::<Committed>();
    let syncer = std::thread::Builder::new()
        .name("ledger-sync".into())
        .spawn({
            let failed = Arc::clone(&failed);
            move || sync(&wal, &committed, &failed)
        });
    let syncer = match syncer {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::error!(error = %e, "cannot start the sync thread; nothing will be stored");
            failed.store(true, Ordering::SeqCst);
            None
        }
    };
    // Whether the last batch had company: then more records are coming.
    let mut busy = false;
    loop {
        if busy {
            std::thread::sleep(super::LINGER);
        }
        let Some(mut batch) = Batch::take(pending.blocking_recv(), &mut pending) else {
            break;
        };
        busy = batch.submissions.len() > 1;
        if failed.load(Ordering::SeqCst) {
            batch.fail(SYNC_FAILED);
            continue;
        }
        let started = std::time::Instant::now();
        let result = commit(&mut connection, &batch);
        tracing::debug!(
            records = batch.submissions.len(),
            commit_ms = started.elapsed().as_secs_f64() * 1000.0,
            "sqlite batch"
        );
        match result {
            Ok(outcomes) => {
                // The rows are stored; only the answers travel on.
                batch.submissions = Vec::new();
                if let Err(unsent) = to_sync.send(Committed { batch, outcomes }) {
                    unsent.0.batch.fail(SYNC_FAILED);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, records = batch.submissions.len(), "sqlite batch failed; nothing of it stored");
                batch.fail("storage failed; nothing was stored, retry");
            }
        }
    }
    drop(to_sync);
    if let Some(handle) = syncer {
        let _ = handle.join();
    }
}

const SYNC_FAILED: &str =
    "storage failed (the database could not be synced); the ledger must be restarted, retry";

/// The sync loop: takes every committed batch waiting, syncs the WAL (a sync
/// that starts after all their commits), then answers them; until the
/// writer is gone.
fn sync(wal: &File, committed: &std::sync::mpsc::Receiver<Committed>, failed: &AtomicBool) {
    while let Ok(first) = committed.recv() {
        let mut batches = vec![first];
        batches.extend(committed.try_iter());
        let started = std::time::Instant::now();
        let synced = if failed.load(Ordering::SeqCst) {
            Err(std::io::Error::other("an earlier sync failed"))
        } else {
            wal.sync_data()
        };
        tracing::debug!(
            batches = batches.len(),
            sync_ms = started.elapsed().as_secs_f64() * 1000.0,
            "sqlite wal sync"
        );
        match synced {
            Ok(()) => {
                for Committed { batch, outcomes } in batches {
                    batch.answer(outcomes);
                }
            }
            Err(e) => {
                if !failed.swap(true, Ordering::SeqCst) {
                    tracing::error!(error = %e, "sqlite wal sync failed; acknowledging nothing more until restarted");
                }
                for Committed { batch, .. } in batches {
                    batch.fail(SYNC_FAILED);
                }
            }
        }
    }
}

fn commit(connection: &mut Connection, batch: &Batch) -> rusqlite::Result<Vec<Outcome>> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut existing = HashMap::new();
    let mut heads = HashMap::new();
    {
        let mut by_id =
            tx.prepare_cached("SELECT jws, receipt, received FROM records WHERE id = ?1")?;
        let mut last = tx.prepare_cached(
            "SELECT seq, hash FROM records WHERE subject = ?1 ORDER BY seq DESC LIMIT 1",
        )?;
        for submission in &batch.submissions {
            let row = &submission.row;
            if !existing.contains_key(&row.id) {
                let found = by_id
                    .query_row([&row.id], |r| {
                        Ok(Existing {
                            jws: r.get(0)?,
                            receipt: r.get(1)?,
                            received: unsigned(r.get(2)?),
                        })
                    })
                    .optional()?;
                if let Some(found) = found {
                    existing.insert(row.id.clone(), found);
                }
            }
            if !heads.contains_key(&row.subject) {
                let found = last
                    .query_row([&row.subject], |r| {
                        Ok(Head {
                            seq: unsigned(r.get(0)?),
                            hash: r.get(1)?,
                        })
                    })
                    .optional()?;
                if let Some(found) = found {
                    heads.insert(row.subject.clone(), found);
                }
            }
        }
    }
    let (outcomes, rows) = batch::decide(&batch.submissions, &existing, &heads);
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO records (id, subject, seq, hash, jws, receipt, received)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for row in rows {
            insert.execute(params![
                row.id,
                row.subject,
                signed(row.seq),
                row.hash,
                row.jws,
                row.receipt,
                signed(row.received)
            ])?;
        }
    }
    tx.commit()?;
    Ok(outcomes)
}

/// Every stored record of `subject` (or all), by subject and seq.
pub fn records(path: &Path, subject: Option<&str>) -> Result<Vec<Stored>, String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    connection
        .busy_timeout(Duration::from_secs(5))
        .map_err(fail)?;
    let read = |r: &rusqlite::Row<'_>| {
        Ok(Stored {
            jws: r.get(0)?,
            receipt: r.get(1)?,
            received: unsigned(r.get(2)?),
        })
    };
    let rows = match subject {
        Some(subject) => connection
            .prepare("SELECT jws, receipt, received FROM records WHERE subject = ?1 ORDER BY seq")
            .and_then(|mut s| s.query_map([subject], read)?.collect()),
        None => connection
            .prepare("SELECT jws, receipt, received FROM records ORDER BY subject, seq")
            .and_then(|mut s| s.query_map([], read)?.collect()),
    };
    rows.map_err(fail)
}

/// Record numbers are at most 2^53 - 1 (`Record::validate`), so they fit.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Stored numbers are never negative (`CHECK`, and only validated values are written).
fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
