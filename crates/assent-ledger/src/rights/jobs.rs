//! The scheduler: it carries out what is due on the server's clock: export
//! jobs, erasures at the end of their grace period, deletions after a
//! withdrawn special-category consent, and the expiry of download links. It
//! wakes every second, when a request becomes due now, and when the
//! adjustable clock is moved.
//!
//! Each due request is first claimed with a lease in real time
//! ([`requests::claim`]), so two servers never both work on it; a server
//! killed while working leaves a lease that runs out, and the next pass
//! takes the request again. The site's `erase` calls are idempotent and the
//! final status change is guarded by the status it changes from, so an
//! erasure that was due while the server was down is carried out once when
//! it comes back, and never twice.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assent_core::rights::model::{RequestType, Status};
use assent_core::rights::time::Timestamp;

use super::export;
use super::requests;
use super::service::Rights;
use crate::vals;

/// How long a claim holds, in real time; work longer than this renews it.
pub const LEASE: Duration = Duration::from_secs(60);
/// How often the scheduler looks even when nothing woke it.
pub const TICK: Duration = Duration::from_secs(1);

/// Real time now, Unix milliseconds (leases are real time: the adjustable
/// clock can jump by days).
pub fn real_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Runs the scheduler until the task is aborted.
pub async fn run(rights: Arc<Rights>) {
    loop {
        if let Err(e) = pass(&rights).await {
            tracing::error!(error = %e, "scheduler pass failed; retrying");
        }
        tokio::select! {
            () = rights.wake.notified() => {}
            () = rights.clock.moved() => {}
            () = tokio::time::sleep(TICK) => {}
        }
    }
}

/// One pass over what is due now (one at a time on this server).
pub async fn pass(rights: &Arc<Rights>) -> Result<(), String> {
    let _one_at_a_time = rights.passes.lock().await;
    let now = rights.clock.now();
    let db = &rights.db;
    let mut due = requests::due(db, Status::Open, now, real_now_ms())
        .await
        .map_err(|e| e.to_string())?;
    due.extend(
        requests::due(db, Status::InProgress, now, real_now_ms())
            .await
            .map_err(|e| e.to_string())?,
    );
    for (account, request) in due {
        if !requests::claim(
            db,
            &request.request_id,
            real_now_ms(),
            LEASE.as_millis() as u64,
        )
        .await
        .map_err(|e| e.to_string())?
        {
            continue;
        }
        let id = request.request_id.clone();
        match request.kind {
            RequestType::Access | RequestType::Portability => {
                let rights = Arc::clone(rights);
                tokio::spawn(async move {
                    if let Err(e) = export::run(&rights, &account, request).await {
                        tracing::error!(request = %id, error = %e, "export failed");
                        if let Err(e) = export::failed(&rights, &id).await {
                            tracing::error!(request = %id, error = %e, "cannot record the failure");
                        }
                    }
                });
            }
            RequestType::Erasure => {
                if let Err(e) = erase(rights, &account, request).await {
                    tracing::error!(request = %id, error = %e, "erasure failed; it will be retried");
                }
            }
            RequestType::SpecialCategoryConsent => {
                if let Err(e) = erase_special(rights, &account, request).await {
                    tracing::error!(request = %id, error = %e, "special-category deletion failed; it will be retried");
                }
            }
            _ => {}
        }
    }
    expire_links(rights, now).await
}

/// Erases an account whose grace period has ended.
async fn erase(
    rights: &Rights,
    account: &str,
    mut request: assent_core::rights::model::Request,
) -> Result<(), String> {
    let keep: Vec<String> = request.retained.iter().map(|r| r.data.clone()).collect();
    let erased = rights
        .site
        .erase(account, &keep)
        .await
        .map_err(|e| e.to_string())?;
    let now = rights.clock.now();
    for kept in &mut request.retained {
        kept.count = Some(
            erased
                .kept
                .iter()
                .find(|(data, _)| *data == kept.data)
                .map_or(0, |(_, n)| *n),
        );
    }
    let deleted: u64 = erased.deleted.iter().map(|(_, n)| n).sum();
    request.status = Status::Fulfilled;
    request.reason = None;
    request.closed_at = Some(now);
    request.processing_details = Some(format!(
        "The account was erased: {deleted} items deleted; what a law requires is kept for its period (see retained)."
    ));
    let detail = serde_json::to_string(&erased.deleted).unwrap_or_default();
    let changed = rights
        .db
        .atomically(vec![
            requests::update(&request, Status::InProgress, None),
            requests::event(&request.request_id, "erased", now, &detail),
            (
                "INSERT INTO rights_accounts (account, erased) VALUES ($1, $2)
                 ON CONFLICT (account) DO UPDATE SET erased = $2, restricted = NULL",
                vals![account, now.0],
            ),
            (
                "UPDATE rights_downloads SET revoked = $2 WHERE account = $1 AND revoked IS NULL",
                vals![account, now.0],
            ),
            (
                "DELETE FROM rights_idempotency WHERE account = $1",
                vals![account],
            ),
            (
                "DELETE FROM rights_warnings WHERE account = $1",
                vals![account],
            ),
        ])
        .await
        .map_err(|e| e.to_string())?;
    if changed[0] == 1 {
        remove_account_archives(rights, account).await;
        tracing::info!(request = %request.request_id, deleted, "account erased");
    }
    Ok(())
}

/// Deletes the data of a withdrawn special-category consent.
async fn erase_special(
    rights: &Rights,
    account: &str,
    mut request: assent_core::rights::model::Request,
) -> Result<(), String> {
    let purpose = request.purpose.clone().unwrap_or_default();
    let deleted = rights
        .site
        .erase_special(account, &purpose)
        .await
        .map_err(|e| e.to_string())?;
    let now = rights.clock.now();
    request.status = Status::Fulfilled;
    request.closed_at = Some(now);
    request.processing_details = Some(format!(
        "Deleted at the site and its processors: {deleted} items ({purpose})."
    ));
    rights
        .db
        .atomically(vec![
            requests::update(&request, Status::InProgress, None),
            requests::event(
                &request.request_id,
                "special_erased",
                now,
                &deleted.to_string(),
            ),
        ])
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Marks exports whose link has run out as expired and deletes their archives.
async fn expire_links(rights: &Rights, now: Timestamp) -> Result<(), String> {
    let due = requests::links_due(&rights.db, now)
        .await
        .map_err(|e| e.to_string())?;
    for (_, mut request) in due {
        request.status = Status::Expired;
        request.results_url = None;
        let changed = rights
            .db
            .atomically(vec![requests::update(&request, Status::Fulfilled, None)])
            .await
            .map_err(|e| e.to_string())?;
        if changed[0] == 1 {
            remove_archive(&rights.exports, &request.request_id);
        }
    }
    Ok(())
}

/// The archive file of an export request.
pub fn archive_path(exports: &Path, request: &str) -> std::path::PathBuf {
    exports.join(format!("{request}.zip"))
}

/// Deletes an export's archive, if it is there.
pub fn remove_archive(exports: &Path, request: &str) {
    let path = archive_path(exports, request);
    if let Err(e) = std::fs::remove_file(&path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(request, error = %e, "cannot delete an export archive");
        }
    }
}

async fn remove_account_archives(rights: &Rights, account: &str) {
    if let Ok(list) = requests::list(&rights.db, account).await {
        for request in list {
            if matches!(request.kind, RequestType::Access | RequestType::Portability) {
                remove_archive(&rights.exports, &request.request_id);
            }
        }
    }
}
