//! `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header): every
//! call that changes something carries a key of its own choosing; the first
//! answer is kept per account and key, and a retry with the same key and the
//! same call gets it again (marked `Idempotent-Replayed: true`) without
//! changing anything twice. The same key for a different call is refused,
//! and a retry while the first call still runs is told to wait.

use assent_core::rights::model::{ErrorCode, Problem};
use assent_core::rights::time::Timestamp;
use axum::http::{HeaderMap, Method};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::db::Db;
use super::service::problem;
use crate::vals;

/// The longest key accepted.
pub const MAX_KEY: usize = 255;

/// What a key says about a call.
pub enum Replay {
    /// First use: go ahead.
    Fresh,
    /// Answered before: this status and body.
    Answer(u16, Value),
}

/// The request's key: 1 to 255 visible ASCII characters.
pub fn key(headers: &HeaderMap) -> Result<String, Problem> {
    let Some(value) = headers.get("idempotency-key") else {
        return Err(problem(
            ErrorCode::IdempotencyKeyMissing,
            "calls that change something need an Idempotency-Key header (for example a random UUID)",
        ));
    };
    let key = value
        .to_str()
        .ok()
        .map(|k| k.trim().trim_matches('"'))
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            problem(
                ErrorCode::Malformed,
                "Idempotency-Key: 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(key.to_owned())
}

/// What makes two calls the same call: method, path and body.
pub fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(path.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Registers the key (status 0: running) or reads what it answered before.
pub async fn begin(
    db: &Db,
    account: &str,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<Replay, Problem> {
    let inserted = db
        .execute(
            "INSERT INTO rights_idempotency (account, key, fingerprint, status, body, created)
             VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING",
            vals![account, key, fingerprint, now.0],
        )
        .await?;
    if inserted == 1 {
        return Ok(Replay::Fresh);
    }
    let row = db
        .one(
            "SELECT fingerprint, status, body FROM rights_idempotency WHERE account = $1 AND key = $2",
            vals![account, key],
        )
        .await?;
    let Some(row) = row else {
        // Forgotten between the two statements: try once more.
        return Box::pin(begin(db, account, key, fingerprint, now)).await;
    };
    if row[0].text() != Some(fingerprint) {
        return Err(problem(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different call: use a new key",
        ));
    }
    let status = row[1].int().unwrap_or(0);
    if status == 0 {
        return Err(problem(
            ErrorCode::Conflict,
            "a call with this Idempotency-Key is still running: retry in a moment",
        ));
    }
    let body = serde_json::from_str(row[2].text().unwrap_or("null")).unwrap_or(Value::Null);
    Ok(Replay::Answer(u16::try_from(status).unwrap_or(200), body))
}

/// Keeps the answer of a key.
pub async fn finish(
    db: &Db,
    account: &str,
    key: &str,
    status: u16,
    body: &Value,
) -> Result<(), Problem> {
    db.execute(
        "UPDATE rights_idempotency SET status = $3, body = $4 WHERE account = $1 AND key = $2",
        vals![account, key, i64::from(status), body.to_string()],
    )
    .await?;
    Ok(())
}

/// Forgets a key whose call failed for want of storage, so a retry runs again.
pub async fn forget(db: &Db, account: &str, key: &str) {
    let _ = db
        .execute(
            "DELETE FROM rights_idempotency WHERE account = $1 AND key = $2",
            vals![account, key],
        )
        .await;
}
