//! The rights API's tables and the requests in them. A request is kept as
//! its JSON status object (core's `Request`) beside the columns the server
//! searches by (account, type, status, when it is due, who works on it);
//! every change of status is guarded by the status it changes from, so two
//! servers, or a retry after a crash, can never carry one out twice.

use assent_core::rights::model::{Request, RequestType, Status};
use assent_core::rights::time::Timestamp;

use super::db::{Db, DbError, Row, Statement, Val};
use crate::vals;

/// Creates the tables if they are missing (PostgreSQL: under an advisory
/// lock, so servers starting together do not race).
pub async fn create_tables(db: &Db) -> Result<(), DbError> {
    if db.name() == "postgres" {
        db.script(concat!(
            "BEGIN; SELECT pg_advisory_xact_lock(7382146210);",
            include_str!("tables.sql"),
            "COMMIT;"
        ))
        .await
    } else {
        db.script(include_str!("tables.sql")).await
    }
}

/// Reads a request row's document.
fn request(row: &Row) -> Result<Request, DbError> {
    let doc = row.first().and_then(Val::text).unwrap_or_default();
    serde_json::from_str(doc).map_err(|e| DbError(format!("a stored request is unreadable: {e}")))
}

fn to_doc(request: &Request) -> String {
    serde_json::to_string(request).unwrap_or_default()
}

/// The statement that stores a new request, due at `due` (or never).
pub fn insert(account: &str, request: &Request, due: Option<Timestamp>) -> Statement {
    (
        "INSERT INTO rights_requests (id, account, kind, status, received, due, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vals![
            &request.request_id,
            account,
            request.kind.as_str(),
            request.status.as_str(),
            request.received_at.0,
            due.map(|d| d.0),
            to_doc(request)
        ],
    )
}

/// The statement that replaces a request's document and status, if its
/// status is still `from`; it changes one row or none.
pub fn update(request: &Request, from: Status, due: Option<Timestamp>) -> Statement {
    (
        "UPDATE rights_requests SET status = $3, doc = $4, due = $5, lease = NULL
         WHERE id = $1 AND status = $2",
        vals![
            &request.request_id,
            from.as_str(),
            request.status.as_str(),
            to_doc(request),
            due.map(|d| d.0)
        ],
    )
}

/// One request of `account`.
pub async fn get(db: &Db, account: &str, id: &str) -> Result<Option<Request>, DbError> {
    db.one(
        "SELECT doc FROM rights_requests WHERE id = $1 AND account = $2",
        vals![id, account],
    )
    .await?
    .as_ref()
    .map(request)
    .transpose()
}

/// One request by id, whoever's (the scheduler).
pub async fn by_id(db: &Db, id: &str) -> Result<Option<(String, Request)>, DbError> {
    let row = db
        .one(
            "SELECT doc, account FROM rights_requests WHERE id = $1",
            vals![id],
        )
        .await?;
    row.map(|r| Ok((r[1].string(), request(&r)?))).transpose()
}

/// Every request of `account`, newest first.
pub async fn list(db: &Db, account: &str) -> Result<Vec<Request>, DbError> {
    db.query(
        "SELECT doc FROM rights_requests WHERE account = $1 ORDER BY received DESC, id",
        vals![account],
    )
    .await?
    .iter()
    .map(request)
    .collect()
}

/// The requests of `account` of `kind` in `status`, newest first.
pub async fn find(
    db: &Db,
    account: &str,
    kind: RequestType,
    status: Status,
) -> Result<Vec<Request>, DbError> {
    db.query(
        "SELECT doc FROM rights_requests WHERE account = $1 AND kind = $2 AND status = $3
         ORDER BY received DESC",
        vals![account, kind.as_str(), status.as_str()],
    )
    .await?
    .iter()
    .map(request)
    .collect()
}

/// Requests due by `now` (in `status`) that nobody holds a lease on at
/// `real_now_ms`, with their accounts, oldest first (a hundred at a time).
pub async fn due(
    db: &Db,
    status: Status,
    now: Timestamp,
    real_now_ms: u64,
) -> Result<Vec<(String, Request)>, DbError> {
    db.query(
        "SELECT doc, account FROM rights_requests
         WHERE status = $1 AND due <= $2 AND (lease IS NULL OR lease < $3)
         ORDER BY due LIMIT 100",
        vals![status.as_str(), now.0, real_now_ms],
    )
    .await?
    .iter()
    .map(|r| Ok((r[1].string(), request(r)?)))
    .collect()
}

/// Fulfilled exports whose link has run out by `now`, with their accounts.
pub async fn links_due(db: &Db, now: Timestamp) -> Result<Vec<(String, Request)>, DbError> {
    db.query(
        "SELECT doc, account FROM rights_requests
         WHERE status = 'fulfilled' AND kind IN ('access', 'portability') AND due <= $1
         ORDER BY due LIMIT 100",
        vals![now.0],
    )
    .await?
    .iter()
    .map(|r| Ok((r[1].string(), request(r)?)))
    .collect()
}

/// Takes a due request for `lease_ms` of real time: true when this server
/// now carries it out (no other server, and nobody before a crash, holds an
/// unexpired lease on it).
pub async fn claim(db: &Db, id: &str, real_now_ms: u64, lease_ms: u64) -> Result<bool, DbError> {
    let changed = db
        .execute(
            "UPDATE rights_requests SET lease = $2
             WHERE id = $1 AND (lease IS NULL OR lease < $3)",
            vals![id, real_now_ms + lease_ms, real_now_ms],
        )
        .await?;
    Ok(changed == 1)
}

/// Records that `event` happened to `request`, once: false when it had
/// already been recorded.
pub fn event(request: &str, event: &str, time: Timestamp, detail: &str) -> Statement {
    (
        "INSERT INTO rights_events (request, event, time, detail) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        vals![request, event, time.0, detail],
    )
}

/// The events of a request, in order: `(event, time, detail)`.
pub async fn events(db: &Db, request: &str) -> Result<Vec<(String, u64, String)>, DbError> {
    Ok(db
        .query(
            "SELECT event, time, detail FROM rights_events WHERE request = $1 ORDER BY time, event",
            vals![request],
        )
        .await?
        .into_iter()
        .map(|r| {
            (
                r[0].string(),
                r[1].int().unwrap_or(0).max(0) as u64,
                r[2].string(),
            )
        })
        .collect())
}
