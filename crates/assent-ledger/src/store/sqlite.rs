//! The SQLite backend: one file in WAL mode; one writer thread that commits
//! batches and one sync thread that makes each committed batch durable
//! (`fdatasync` of the WAL) before any of its submissions is answered, so a
//! committed and answered batch survives a crash or power loss; the table's
//! triggers refuse `UPDATE` and `DELETE`.
//!
//! Checkpoints (copying the WAL's pages into the database file) are a third
//! thread's, on a connection of its own ([`checkpoint`]), so the writer goes
//! on committing while pages are copied instead of stopping for each one.
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
//!   WAL before it, and the database file after one that copied the whole
//!   WAL (the only kind after which the WAL can start over), so frames it
//!   copies are durable in the database before the WAL can be reused; and
//!   when the WAL is reused (rewritten from its start with a new salt) its
//!   header is synced first, so an older, already-checkpointed WAL cannot be
//!   replayed over newer data. A checkpoint therefore never makes a synced
//!   commit non-durable, and our sync of a later commit covers the reused
//!   WAL's frames like any others.
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

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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

/// The writer's connection, the sync thread's descriptor of its WAL, and
/// the checkpointer's connection and descriptor of the database file.
pub struct Opened {
    connection: Connection,
    wal: File,
    checkpointer: Connection,
    database: File,
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
    // The checkpointer thread checkpoints ([`checkpoint`]). SQLite's automatic
    // checkpoint is replaced by a hook that only counts the WAL's frames, with
    // which the writer bounds the WAL itself ([`WRITER_CHECKPOINT_FRAMES`]):
    // an automatic checkpoint gives up while another connection is
    // checkpointing, so it bounds nothing when the checkpointer is slow.
    connection.wal_hook(Some(count_wal_frames));
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
    // A PASSIVE checkpoint never waits for the writer; the busy timeout only
    // bounds the brief locks of reading the WAL index.
    let checkpointer = connect(path, Duration::from_millis(500))?;
    checkpointer
        .pragma_update(None, "wal_autocheckpoint", 0)
        .map_err(fail)?;
    let database = File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Opened {
        connection,
        wal,
        checkpointer,
        database,
    })
}

/// WAL frames (pages) after which the checkpointer starts the WAL over
/// (about 40 MB). A checkpoint writes each page once however often it
/// changed since the last, and the two indexes' leaves change with nearly
/// every record, so a WAL of 10,000 frames reaches the database file with
/// far fewer page writes than ten of SQLite's default 1,000 (measured with
/// `cargo xtask bench ledger`: about a fifth more records a second).
#[cfg(not(test))]
const RESTART_FRAMES: i64 = 10_000;
/// Small enough for a test to write many WALs' worth quickly.
#[cfg(test)]
const RESTART_FRAMES: i64 = 1_000;

/// The WAL's bound, kept by the writer alone, however late the checkpointer:
/// after a commit that leaves the WAL with this many frames or more, the
/// writer copies every frame into the database before it commits again
/// ([`finish_checkpoint`], waiting while the checkpointer holds SQLite's
/// checkpoint lock), so its next commit starts the WAL over. The WAL thus
/// never has more than this many frames plus those of one commit, unless
/// another connection (the rights API's) commits in between, which puts the
/// start over off by a commit, or a read transaction of another connection
/// keeps an older snapshot open (SQLite copies no frame such a reader may
/// need, and starts no WAL over under it; the ledger's own reads are single
/// statements). A safety net:
/// the checkpointer starts the WAL over long before it has this many frames.
const WRITER_CHECKPOINT_FRAMES: i64 = 5 * RESTART_FRAMES;

/// How often the writer tries again to copy the WAL while the checkpointer
/// holds the checkpoint lock, the WAL having [`WRITER_CHECKPOINT_FRAMES`].
const CHECKPOINT_BUSY_RETRY: Duration = Duration::from_millis(1);

thread_local! {
    /// The WAL's frames after the last commit on this thread that wrote
    /// any, not yet taken ([`count_wal_frames`]; the writer's thread).
    static WAL_FRAMES: Cell<i64> = const { Cell::new(0) };
}

/// The writer connection's WAL hook, in place of SQLite's automatic
/// checkpoint: SQLite calls it after each commit that wrote frames, on the
/// committing thread, with the frames then in the WAL.
fn count_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.set(i64::from(frames));
    Ok(())
}

/// How often the checkpointer looks for new commits.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Another connection to the database at `path` (read-write, not creating
/// it), waiting up to `busy` for a lock.
fn connect(path: &Path, busy: Duration) -> Result<Connection, String> {
    let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    connection.busy_timeout(busy).map_err(fail)?;
    Ok(connection)
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
        checkpointer,
        database,
    } = opened;
    let commits = Arc::new(AtomicU64::new(0));
    let restart = Arc::new(AtomicBool::new(false));
    let (stop_checkpoints, stopped) = std::sync::mpsc::channel::<()>();
    let checkpoints = std::thread::Builder::new()
        .name("ledger-checkpoint".into())
        .spawn({
            let commits = Arc::clone(&commits);
            let restart = Arc::clone(&restart);
            move || checkpoint(&checkpointer, &database, &commits, &restart, &stopped)
        });
    if let Err(e) = &checkpoints {
        tracing::warn!(error = %e, "cannot start the checkpoint thread; the writer checkpoints");
    }
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
                commits.fetch_add(1, Ordering::Relaxed);
                // The rows are stored; only the answers travel on.
                batch.submissions = Vec::new();
                if let Err(unsent) = to_sync.send(Committed { batch, outcomes }) {
                    unsent.0.batch.fail(SYNC_FAILED);
                }
                // 0 when the commit wrote no frame (only replays).
                let frames = WAL_FRAMES.take();
                if frames >= WRITER_CHECKPOINT_FRAMES {
                    tracing::warn!(
                        frames,
                        "the WAL reached its bound (the checkpoint thread fell behind): the writer copies it before it commits again"
                    );
                    finish_checkpoint(&connection, &restart, true);
                } else if restart.load(Ordering::Relaxed) {
                    finish_checkpoint(&connection, &restart, false);
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
    // The checkpointer's connection closes first, so the writer's is the
    // last: closing it checkpoints everything and removes the WAL.
    drop(stop_checkpoints);
    if let Ok(handle) = checkpoints {
        let _ = handle.join();
    }
}

/// The checkpointer: every [`CHECKPOINT_EVERY`] while the writer commits, a
/// PASSIVE checkpoint, which copies committed pages into the database file
/// without holding up the writer (but at the WAL's bound, below). The WAL only starts over from its
/// beginning when a write transaction finds every frame copied, which never
/// happens while the writer commits every few milliseconds; so once the WAL
/// has [`RESTART_FRAMES`] frames the checkpointer asks the writer to copy the
/// few frames committed since ([`finish_checkpoint`]). SQLite syncs the WAL
/// before any checkpoint and the database file after one that copied the
/// whole WAL (before the WAL can start over), whichever connection runs it
/// (`synchronous=NORMAL`), so the durability argument above holds. Should
/// this thread fall behind (starved of CPU, or slow to copy while it holds
/// SQLite's checkpoint lock), the writer keeps the WAL within its bound by
/// itself ([`WRITER_CHECKPOINT_FRAMES`]). Ends when `stop` is dropped.
fn checkpoint(
    connection: &Connection,
    database: &File,
    commits: &AtomicU64,
    restart: &AtomicBool,
    stop: &std::sync::mpsc::Receiver<()>,
) {
    let mut seen = 0;
    while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY)
    {
        let now = commits.load(Ordering::Relaxed);
        if now == seen {
            continue;
        }
        seen = now;
        let started = std::time::Instant::now();
        let passive = run_checkpoint(connection, "PASSIVE");
        // SQLite syncs the database file only after a checkpoint that copied
        // the whole WAL, the writer's; syncing here what this one copied
        // leaves that sync little to wait for.
        let synced = database.sync_data();
        tracing::debug!(
            synced = synced.is_ok(),
            result = ?passive,
            checkpoint_ms = started.elapsed().as_secs_f64() * 1000.0,
            "sqlite checkpoint"
        );
        match passive {
            Ok((_, frames, _)) if frames >= RESTART_FRAMES => {
                restart.store(true, Ordering::Relaxed)
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sqlite checkpoint failed; retrying"),
        }
    }
}

/// The writer's part of starting the WAL over, between two of its batches: a
/// PASSIVE checkpoint of the frames the checkpointer has not copied yet, after
/// which nothing is left in the WAL to copy and the writer's next commit
/// writes from the WAL's beginning. Busy (the checkpointer is copying, and
/// holds SQLite's checkpoint lock): tried again after the next batch; or,
/// with `wait` (the WAL has [`WRITER_CHECKPOINT_FRAMES`] frames), every
/// [`CHECKPOINT_BUSY_RETRY`] until the lock is free, before any other commit,
/// however long the checkpointer takes. Not busy, every frame that no
/// reader's snapshot still needs is copied, and the writer does not wait for
/// readers.
fn finish_checkpoint(connection: &Connection, restart: &AtomicBool, wait: bool) {
    let started = std::time::Instant::now();
    let result = loop {
        match run_checkpoint(connection, "PASSIVE") {
            Ok((busy, ..)) if busy != 0 && wait => std::thread::sleep(CHECKPOINT_BUSY_RETRY),
            result => break result,
        }
    };
    tracing::debug!(
        result = ?result,
        wait,
        checkpoint_ms = started.elapsed().as_secs_f64() * 1000.0,
        "sqlite checkpoint by the writer"
    );
    match result {
        Ok((0, frames, copied)) if frames == copied => restart.store(false, Ordering::Relaxed),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "sqlite checkpoint failed; retrying"),
    }
}

/// `PRAGMA wal_checkpoint(MODE)`: (busy, WAL frames, frames checkpointed).
fn run_checkpoint(connection: &Connection, mode: &str) -> rusqlite::Result<(i64, i64, i64)> {
    connection.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
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
    let connection = connect(path, Duration::from_secs(5))?;
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{wal_path, WRITER_CHECKPOINT_FRAMES};
    use crate::store::{
        read_records, Backend, Outcome, Row, Store, Submission, MAX_BATCH, SQLITE_FILE,
    };

    /// A WAL frame: a 4 KiB page and its 24-byte header.
    const FRAME: u64 = 4096 + 24;

    /// The WAL file's header, before its first frame.
    const WAL_HEADER: u64 = 32;

    /// While the writer commits without pause, the WAL is copied into the
    /// database and starts over again and again: it stays within its bound
    /// however the threads are scheduled, every record is kept, and closing
    /// removes it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_starts_over_while_the_writer_keeps_committing() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join(SQLITE_FILE);
        let backend = Backend::Sqlite(path.clone());
        let store = Arc::new(Store::open(&backend).await.expect("open"));
        // Three pages a row: a leaf of its own and two overflow pages
        // (checked below).
        let jws = "j".repeat(12_000);
        let records: usize = 8_000;
        // Every submission at once: the writer's queue is never empty, so
        // the checkpointer can never catch up with it by itself in a pause.
        let mut submitted = tokio::task::JoinSet::new();
        for n in 0..records {
            let store = Arc::clone(&store);
            let row = Row {
                id: format!("record-{n:06}"),
                subject: format!("subject-{n:06}"),
                seq: 1,
                hash: format!("sha256:{n}"),
                jws: jws.clone(),
                receipt: format!("receipt-{n}"),
                received: 1,
            };
            submitted.spawn(async move {
                store
                    .submit(Submission {
                        row,
                        previous: None,
                    })
                    .await
            });
        }
        // The WAL file never shrinks while the store is open (it is written
        // again from its start, not truncated), so its size is that of the
        // largest WAL so far.
        let mut largest_wal = 0;
        let mut answered = 0;
        while answered < records {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            let size = std::fs::metadata(wal_path(&path)).map_or(0, |m| m.len());
            largest_wal = largest_wal.max(size);
            while let Some(outcome) = submitted.try_join_next() {
                assert_eq!(outcome.expect("submission task"), Outcome::Stored);
                answered += 1;
            }
        }
        match Arc::try_unwrap(store) {
            Ok(store) => store.close().await,
            Err(_) => panic!("the store is still shared"),
        }
        assert!(
            !wal_path(&path).exists(),
            "closing the last connection checkpoints and removes the WAL"
        );
        let stored = read_records(&backend, None).await.expect("read back");
        assert_eq!(stored.len(), records);
        assert!(stored.iter().all(|r| r.jws == jws));

        // The WAL's bound, by construction, whatever the scheduling of the
        // writer, sync and checkpoint threads (a starved checkpointer, one
        // that holds SQLite's checkpoint lock for long, a writer that commits
        // back to back): after any commit that leaves the WAL with
        // WRITER_CHECKPOINT_FRAMES frames or more, the writer copies every
        // frame into the database before it commits again (waiting for the
        // checkpointer's lock if need be), and that next commit writes from
        // the WAL's beginning, as nothing here reads the database meanwhile.
        // So no commit starts on a WAL of WRITER_CHECKPOINT_FRAMES frames or
        // more, and the WAL never has more than WRITER_CHECKPOINT_FRAMES - 1
        // frames plus those of one commit. A commit writes one frame per page
        // it changed: the pages of its own records (at most MAX_BATCH; rows
        // are only appended, and a row that does not fit on the last leaf gets
        // a leaf of its own, so no page of an earlier record changes), and at
        // most once each of the database's other pages (page 1, the table's
        // interior pages, both indexes). Those counts come from the final
        // database: how the records lie in its pages does not depend on
        // timing.
        let database = rusqlite::Connection::open(&path).expect("open the database again");
        let count = |sql: &str| -> u64 {
            let n: i64 = database.query_row(sql, [], |r| r.get(0)).expect(sql);
            u64::try_from(n).expect(sql)
        };
        let leaves =
            count("SELECT count(*) FROM dbstat WHERE name = 'records' AND pagetype = 'leaf'");
        let rows_a_leaf =
            count("SELECT max(ncell) FROM dbstat WHERE name = 'records' AND pagetype = 'leaf'");
        let overflow =
            count("SELECT count(*) FROM dbstat WHERE name = 'records' AND pagetype = 'overflow'");
        let pages = count("PRAGMA page_count");
        let records = records as u64;
        assert_eq!(
            (leaves, rows_a_leaf, overflow % records),
            (records, 1, 0),
            "every record on a leaf of its own, with as many overflow pages as any other"
        );
        let pages_a_record = (leaves + overflow) / records;
        assert_eq!(pages_a_record, 3);
        let other_pages = pages - leaves - overflow;
        let one_commit = MAX_BATCH as u64 * pages_a_record + other_pages;
        let bound = WRITER_CHECKPOINT_FRAMES as u64 - 1 + one_commit;
        let written = records * pages_a_record;
        assert!(
            written > 2 * bound,
            "enough written that the WAL must start over"
        );
        assert!(
            largest_wal <= WAL_HEADER + bound * FRAME,
            "the WAL grew to {} frames ({largest_wal} bytes), over its bound of {bound} \
             ({} frames a commit at most; {written} written)",
            (largest_wal - WAL_HEADER) / FRAME,
            one_commit
        );
        assert!(largest_wal > 0);
    }
}
