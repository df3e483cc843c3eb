//! The PostgreSQL backend (tokio-postgres, no TLS: a server on the same host
//! or network). The schema is created on start under an advisory lock; one
//! writer task runs a transaction per batch with three round trips (stored
//! ids, chain heads, one multi-row insert). Triggers refuse `UPDATE`,
//! `DELETE` and `TRUNCATE`; `UNIQUE (subject, seq)` keeps chains linear when
//! several ledgers share the database (a batch that loses such a race is
//! decided again).

use std::collections::{BTreeSet, HashMap};

use tokio::sync::mpsc;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, NoTls, Statement};

use super::batch::{self, Existing, Head};
use super::{Batch, Outcome, Pending, Stored};

const SCHEMA: &str = "
BEGIN;
SELECT pg_advisory_xact_lock(7382146209);
CREATE TABLE IF NOT EXISTS records (
    id       text   NOT NULL PRIMARY KEY,
    subject  text   NOT NULL,
    seq      bigint NOT NULL CHECK (seq >= 1),
    hash     text   NOT NULL,
    jws      text   NOT NULL,
    receipt  text   NOT NULL,
    received bigint NOT NULL,
    UNIQUE (subject, seq)
);
CREATE OR REPLACE FUNCTION assent_records_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'assent ledger: records are append-only (% refused)', TG_OP;
END
$$;
CREATE OR REPLACE TRIGGER records_no_update_or_delete BEFORE UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION assent_records_append_only();
CREATE OR REPLACE TRIGGER records_no_truncate BEFORE TRUNCATE ON records
    FOR EACH STATEMENT EXECUTE FUNCTION assent_records_append_only();
COMMIT;
";

/// Connects (no TLS); the connection runs on its own task.
pub async fn connect(url: &str) -> Result<Client, String> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| format!("PostgreSQL: cannot connect: {e}"))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::error!(error = %e, "PostgreSQL connection lost");
        }
    });
    Ok(client)
}

/// Creates the table and its triggers if they are missing.
pub async fn create_schema(client: &Client) -> Result<(), String> {
    client
        .batch_execute(SCHEMA)
        .await
        .map_err(|e| format!("PostgreSQL: cannot create the schema: {e}"))
}

struct Statements {
    existing: Statement,
    heads: Statement,
    insert: Statement,
}

impl Statements {
    async fn prepare(client: &Client) -> Result<Statements, tokio_postgres::Error> {
        Ok(Statements {
            existing: client
                .prepare_typed(
                    "SELECT id, jws, receipt, received FROM records WHERE id = ANY($1)",
                    &[Type::TEXT_ARRAY],
                )
                .await?,
            heads: client
                .prepare_typed(
                    "SELECT s.subject, r.seq, r.hash FROM unnest($1::text[]) AS s(subject)
                     CROSS JOIN LATERAL (SELECT seq, hash FROM records
                         WHERE records.subject = s.subject ORDER BY seq DESC LIMIT 1) r",
                    &[Type::TEXT_ARRAY],
                )
                .await?,
            insert: client
                .prepare_typed(
                    "INSERT INTO records (id, subject, seq, hash, jws, receipt, received)
                     SELECT * FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[],
                                          $5::text[], $6::text[], $7::int8[])",
                    &[
                        Type::TEXT_ARRAY,
                        Type::TEXT_ARRAY,
                        Type::INT8_ARRAY,
                        Type::TEXT_ARRAY,
                        Type::TEXT_ARRAY,
                        Type::TEXT_ARRAY,
                        Type::INT8_ARRAY,
                    ],
                )
                .await?,
        })
    }
}

/// The writer loop: one transaction per batch until the queue closes.
pub async fn write(url: String, mut client: Client, mut pending: mpsc::Receiver<Pending>) {
    let mut statements = Statements::prepare(&client).await.ok();
    while let Some(batch) = Batch::take(pending.recv().await, &mut pending) {
        let mut attempts = 0;
        loop {
            attempts += 1;
            if client.is_closed() || statements.is_none() {
                match reconnect(&url).await {
                    Ok((c, s)) => (client, statements) = (c, Some(s)),
                    Err(e) => {
                        tracing::error!(error = %e, "PostgreSQL unavailable; batch refused");
                        batch.fail("storage unavailable; nothing was stored, retry");
                        break;
                    }
                }
            }
            let Some(prepared) = &statements else {
                continue;
            };
            match commit(&mut client, prepared, &batch).await {
                Ok(outcomes) => {
                    batch.answer(outcomes);
                    break;
                }
                // Another ledger stored a record of the same subject or id
                // meanwhile: decide the batch again against what is stored now.
                Err(e) if attempts < 3 && e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {}
                Err(e) => {
                    tracing::error!(error = %e, records = batch.submissions.len(), "PostgreSQL batch failed; nothing of it stored");
                    batch.fail("storage failed; nothing was stored, retry");
                    break;
                }
            }
        }
    }
}

async fn reconnect(url: &str) -> Result<(Client, Statements), String> {
    let client = connect(url).await?;
    let statements = Statements::prepare(&client)
        .await
        .map_err(|e| format!("PostgreSQL: {e}"))?;
    Ok((client, statements))
}

async fn commit(
    client: &mut Client,
    statements: &Statements,
    batch: &Batch,
) -> Result<Vec<Outcome>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    let ids: BTreeSet<&str> = batch
        .submissions
        .iter()
        .map(|s| s.row.id.as_str())
        .collect();
    let subjects: BTreeSet<&str> = batch
        .submissions
        .iter()
        .map(|s| s.row.subject.as_str())
        .collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let subjects: Vec<&str> = subjects.into_iter().collect();

    let mut existing = HashMap::new();
    for row in tx.query(&statements.existing, &[&ids]).await? {
        existing.insert(
            row.try_get::<_, String>(0)?,
            Existing {
                jws: row.try_get(1)?,
                receipt: row.try_get(2)?,
                received: unsigned(row.try_get(3)?),
            },
        );
    }
    let mut heads = HashMap::new();
    for row in tx.query(&statements.heads, &[&subjects]).await? {
        heads.insert(
            row.try_get::<_, String>(0)?,
            Head {
                seq: unsigned(row.try_get(1)?),
                hash: row.try_get(2)?,
            },
        );
    }

    let (outcomes, rows) = batch::decide(&batch.submissions, &existing, &heads);
    if !rows.is_empty() {
        let column = |f: fn(&super::Row) -> &str| rows.iter().map(|r| f(r)).collect::<Vec<&str>>();
        let number =
            |f: fn(&super::Row) -> u64| rows.iter().map(|r| signed(f(r))).collect::<Vec<i64>>();
        tx.execute(
            &statements.insert,
            &[
                &column(|r| &r.id),
                &column(|r| &r.subject),
                &number(|r| r.seq),
                &column(|r| &r.hash),
                &column(|r| &r.jws),
                &column(|r| &r.receipt),
                &number(|r| r.received),
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Every stored record of `subject` (or all), by subject and seq.
pub async fn records(client: &Client, subject: Option<&str>) -> Result<Vec<Stored>, String> {
    let rows = client
        .query(
            "SELECT jws, receipt, received FROM records
             WHERE $1::text IS NULL OR subject = $1 ORDER BY subject, seq",
            &[&subject],
        )
        .await
        .map_err(|e| format!("PostgreSQL: {e}"))?;
    rows.iter()
        .map(|row| {
            Ok(Stored {
                jws: row.try_get(0)?,
                receipt: row.try_get(1)?,
                received: unsigned(row.try_get(2)?),
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()
        .map_err(|e| format!("PostgreSQL: {e}"))
}

/// Record numbers are at most 2^53 - 1 (`Record::validate`), so they fit.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Stored numbers are never negative (`CHECK`).
fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
