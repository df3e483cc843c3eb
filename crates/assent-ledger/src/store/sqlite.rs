//! The SQLite backend: one file in WAL mode with `synchronous=FULL`, so a
//! committed batch survives a crash or power loss; one writer thread; the
//! table's triggers refuse `UPDATE` and `DELETE`.

use std::collections::HashMap;
use std::path::Path;
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

/// Opens (creating) the database for writing, in WAL mode with full sync.
pub fn open(path: &Path) -> Result<Connection, String> {
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
    // FULL: the WAL is synced at every commit, so an answered record
    // survives a crash or power loss.
    connection
        .pragma_update(None, "synchronous", "FULL")
        .map_err(fail)?;
    connection.execute_batch(SCHEMA).map_err(fail)?;
    Ok(connection)
}

/// The writer loop: one transaction per batch until the queue closes.
pub fn write(mut connection: Connection, mut pending: mpsc::Receiver<Pending>) {
    while let Some(batch) = Batch::take(pending.blocking_recv(), &mut pending) {
        let started = std::time::Instant::now();
        let result = commit(&mut connection, &batch);
        tracing::debug!(
            records = batch.submissions.len(),
            commit_ms = started.elapsed().as_secs_f64() * 1000.0,
            "sqlite batch"
        );
        match result {
            Ok(outcomes) => batch.answer(outcomes),
            Err(e) => {
                tracing::error!(error = %e, records = batch.submissions.len(), "sqlite batch failed; nothing of it stored");
                batch.fail("storage failed; nothing was stored, retry");
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
