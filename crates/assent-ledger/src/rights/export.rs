//! The export job (GDPR Art 15 and 20): it gathers the account's data from
//! the site, writes the archive ([`super::archive`]) while reporting its
//! progress in the request, and when done gives the request a download link
//! that expires after [`super::service::LINK_DAYS`] days.
//!
//! The archive holds `README.txt` (what each part is), `data.json` (core's
//! `PortableData`, schema `docs/export.schema.json`), `files/` (the user's
//! files, original bytes) and `consent-records/`: `records.json`, the signed
//! records and receipts of the account's devices as an export document that
//! `assent-ledger verify records.json` checks offline, and
//! `special-consents.json`, the explicit consents signed by the ledger with
//! its public keys.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use assent_core::rights::model::{Archive, Progress, Request, Status};
use assent_core::rights::portable::{
    PortableController, PortableData, PortableFile, PortablePolicy, SCHEMA,
};
use assent_core::rights::time::Timestamp;
use base64::Engine;
use serde_json::json;

use super::archive::{self, Entry, Source};
use super::consent;
use super::jobs::{self, real_now_ms, LEASE};
use super::requests;
use super::service::Rights;
use super::site::FileSource;
use crate::export::Export;
use crate::store::Stored;
use crate::vals;

/// The README of every archive.
const README: &str = include_str!("export-readme.txt");

/// How often progress is written to the request, at most.
const PROGRESS_EVERY_MS: u64 = 250;

/// Writes the export of `request` (claimed by the caller) and gives it its link.
pub async fn run(rights: &Arc<Rights>, account: &str, mut request: Request) -> Result<(), String> {
    let from = request.status;
    if from == Status::Open {
        request.status = Status::InProgress;
        request.progress = Some(Progress::default());
        let changed = rights
            .db
            .execute(
                "UPDATE rights_requests SET status = 'in_progress', doc = $2 WHERE id = $1 AND status = 'open'",
                vals![&request.request_id, doc(&request)],
            )
            .await
            .map_err(|e| e.to_string())?;
        if changed == 0 {
            return Ok(());
        }
    }
    let entries = gather(rights, account).await?;
    let out = jobs::archive_path(&rights.exports, &request.request_id);
    let _ = std::fs::remove_file(&out);
    std::fs::create_dir_all(&rights.exports).map_err(|e| format!("{e}"))?;

    let cancel = Arc::new(AtomicBool::new(false));
    let (report, mut reports) = tokio::sync::watch::channel(Progress::default());
    let writer = tokio::task::spawn_blocking({
        let cancel = Arc::clone(&cancel);
        let out = out.clone();
        move || {
            archive::write(&out, entries, &cancel, &mut |p| {
                let _ = report.send(Progress {
                    files_done: p.files_done,
                    files_total: p.files_total,
                    bytes_done: p.bytes_done,
                    bytes_total: p.bytes_total,
                });
            })
        }
    });
    let id = request.request_id.clone();
    let mut last_lease = real_now_ms();
    let watcher = async {
        let mut last = Progress::default();
        while reports.changed().await.is_ok() {
            let progress = *reports.borrow_and_update();
            last = progress;
            let mut current = request.clone();
            current.progress = Some(progress);
            let now = real_now_ms();
            let lease = if now - last_lease > LEASE.as_millis() as u64 / 3 {
                last_lease = now;
                Some(now + LEASE.as_millis() as u64)
            } else {
                None
            };
            let changed = rights
                .db
                .execute(
                    "UPDATE rights_requests SET doc = $2, lease = COALESCE($3, lease)
                     WHERE id = $1 AND status = 'in_progress'",
                    vals![&id, doc(&current), lease],
                )
                .await
                .unwrap_or(1);
            if changed == 0 {
                // Revoked meanwhile: stop writing.
                cancel.store(true, Ordering::SeqCst);
            }
            tokio::time::sleep(std::time::Duration::from_millis(PROGRESS_EVERY_MS)).await;
        }
        last
    };
    let (written, last) = tokio::join!(writer, watcher);
    let written = match written.map_err(|e| e.to_string())? {
        Ok(written) => written,
        Err(archive::ArchiveError::Cancelled) => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };

    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| e.to_string())?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    let expires = rights.link_expiry();
    request.status = Status::Fulfilled;
    request.closed_at = Some(rights.clock.now());
    request.results_url = Some(format!(
        "{}/downloads/{token}",
        assent_core::rights::model::BASE_PATH
    ));
    request.expires_at = Some(expires);
    request.progress = Some(Progress {
        files_done: written.files,
        files_total: written.files,
        bytes_done: last.bytes_total,
        bytes_total: last.bytes_total,
    });
    request.archive = Some(Archive {
        size: written.size,
        sha256: written.sha256.clone(),
        files: written.files,
    });
    let changed = rights
        .db
        .atomically(vec![
            requests::update(&request, Status::InProgress, Some(expires)),
            (
                "INSERT INTO rights_downloads (token, request, account, file, etag, expires)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                vals![
                    token_key(&token),
                    &request.request_id,
                    account,
                    out.to_string_lossy().into_owned(),
                    written.sha256,
                    expires.0
                ],
            ),
        ])
        .await
        .map_err(|e| e.to_string())?;
    if changed[0] == 0 {
        // Revoked while it was being finished.
        let _ = std::fs::remove_file(&out);
    } else {
        tracing::info!(request = %request.request_id, size = written.size, files = written.files, "export ready");
    }
    Ok(())
}

/// How many times an export is tried before it is denied.
pub const ATTEMPTS: usize = 3;

/// Records a failed attempt of export `id`: it is tried again once its lease
/// runs out, and after [`ATTEMPTS`] failures it is denied (reason `other`),
/// so the person sees an answer instead of a job that never ends.
pub async fn failed(rights: &Rights, id: &str) -> Result<(), String> {
    let now = rights.clock.now();
    let earlier = requests::events(&rights.db, id)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter(|(event, ..)| event.starts_with("export_failed"))
        .count();
    let attempt = earlier + 1;
    let event = format!("export_failed_{attempt}");
    rights
        .db
        .atomically(vec![(
            "INSERT INTO rights_events (request, event, time, detail) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            vals![id, event, now.0, ""],
        )])
        .await
        .map_err(|e| e.to_string())?;
    if attempt < ATTEMPTS {
        return Ok(());
    }
    let Some((_, mut request)) = requests::by_id(&rights.db, id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let from = request.status;
    if from.is_final() {
        return Ok(());
    }
    request.status = Status::Denied;
    request.reason = Some(assent_core::rights::model::Reason::Other);
    request.closed_at = Some(now);
    request.progress = None;
    request.processing_details = Some(format!(
        "The export could not be written ({ATTEMPTS} attempts). Ask for a new one{}.",
        rights
            .policy
            .controller
            .contact_email()
            .map(|email| format!(", or write to {email}"))
            .unwrap_or_default()
    ));
    rights
        .db
        .atomically(vec![requests::update(&request, from, None)])
        .await
        .map_err(|e| e.to_string())?;
    jobs::remove_archive(&rights.exports, id);
    Ok(())
}

/// How a link's token is kept: its SHA-256, so the table alone opens nothing.
pub fn token_key(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn doc(request: &Request) -> String {
    serde_json::to_string(request).unwrap_or_default()
}

/// Everything the archive holds, in its order.
async fn gather(rights: &Rights, account: &str) -> Result<Vec<Entry>, String> {
    let site = &rights.site;
    let data = site.data(account).await.map_err(|e| e.to_string())?;
    let files = site.files(account).await.map_err(|e| e.to_string())?;
    let list = requests::list(&rights.db, account)
        .await
        .map_err(|e| e.to_string())?;
    let special = consent::signed(&rights.db, account)
        .await
        .map_err(|e| e.to_string())?;
    let records = device_records(rights, account).await?;
    let data = match data {
        serde_json::Value::Object(map) => map,
        other => {
            let mut map = serde_json::Map::new();
            map.insert("data".into(), other);
            map
        }
    };
    let portable = PortableData {
        schema: SCHEMA.into(),
        account: account.to_owned(),
        generated_at: rights.clock.now(),
        controller: PortableController {
            name: rights.policy.controller.legal_name.clone(),
            contact: rights
                .policy
                .controller
                .contact_email()
                .unwrap_or_default()
                .to_owned(),
        },
        policy: PortablePolicy {
            id: rights.policy.id.clone(),
            revision: rights.policy.revision,
            hash: rights.policy_hash.clone(),
        },
        data,
        files: files
            .iter()
            .map(|f| PortableFile {
                path: format!("files/{}", f.name),
                category: f.category.clone(),
                media_type: f.media_type.clone(),
                size: f.size,
                created_at: Timestamp(f.created),
            })
            .collect(),
        requests: list,
        special_consents: special.clone(),
        consent_records: records.len() as u64,
    };
    let json = |value: &dyn erased::Json| value.pretty();
    let mut entries = vec![
        text_entry("README.txt", README.as_bytes().to_vec()),
        text_entry("data.json", json(&portable)),
        text_entry(
            "consent-records/records.json",
            json(&Export::new(rights.key.jwks(), records)),
        ),
        text_entry(
            "consent-records/special-consents.json",
            json(&json!({ "keys": rights.key.jwks(), "consents": special })),
        ),
    ];
    for file in files {
        entries.push(Entry {
            name: format!("files/{}", file.name),
            source: match file.source {
                FileSource::Path(path) => Source::File(path),
                FileSource::Bytes(bytes) => Source::Bytes(bytes),
            },
            compress: !stored_as_is(&file.media_type),
        });
    }
    Ok(entries)
}

fn text_entry(name: &str, bytes: Vec<u8>) -> Entry {
    Entry {
        name: name.to_owned(),
        source: Source::Bytes(bytes),
        compress: true,
    }
}

/// Whether a file is stored as is: everything but text. Media are
/// compressed already, or (uncompressed video) too large to deflate at the
/// pace of a download; text (JSON, CSV, prompts) shrinks well.
fn stored_as_is(media_type: &str) -> bool {
    !(media_type.starts_with("text/")
        || media_type.ends_with("json")
        || media_type.ends_with("xml"))
}

/// The consent records of every device the account has used (records that
/// named the account when they were posted); none when the database holds
/// no ledger (a site that mounted the rights API over its own database).
async fn device_records(rights: &Rights, account: &str) -> Result<Vec<Stored>, String> {
    if !rights.ledger_records {
        return Ok(Vec::new());
    }
    let rows = rights
        .db
        .query(
            "SELECT r.jws, r.receipt, r.received FROM records r
             JOIN rights_record_accounts a ON a.subject = r.subject
             WHERE a.account = $1 ORDER BY r.subject, r.seq",
            vals![account],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .map(|r| Stored {
            jws: r[0].string(),
            receipt: r[1].string(),
            received: r[2].int().unwrap_or(0).max(0) as u64,
        })
        .collect())
}

/// Pretty JSON of any serialisable value, for the archive's text entries.
mod erased {
    /// A value written as pretty JSON.
    pub trait Json {
        /// Its pretty JSON, with a final newline.
        fn pretty(&self) -> Vec<u8>;
    }

    impl<T: serde::Serialize> Json for T {
        fn pretty(&self) -> Vec<u8> {
            let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
            bytes.push(b'\n');
            bytes
        }
    }
}
