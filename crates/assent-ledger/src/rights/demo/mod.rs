//! The reference app: a small Pix2Clip-like site (accounts, generated
//! images and videos, invoices, credits, connection logs, a voice sample and
//! model) on the ledger's database, with its own routes (`/app/v1`, see
//! [`routes`]) and its [`Site`] implementation, so every right of the rights
//! API is carried out on real rows and real files. `--demo` seeds one account
//! ([`seed`]) that `POST /app/v1/session` signs in.

pub mod routes;
pub mod seed;

use std::path::PathBuf;

use async_trait::async_trait;
use axum::http::{header, HeaderMap};
use serde_json::{json, Value};

use super::db::{Db, Row};
use super::site::{Caller, Credential, Erased, FileSource, Site, SiteError, SiteFile};
use crate::vals;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "p2c_session";
/// The CSRF header the rights API and the app's write routes check.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The reference app's backend.
pub struct Demo {
    /// Its database (the ledger's).
    pub db: Db,
    /// Where its files are.
    pub files: PathBuf,
    /// The rights API's clock (sessions expire on it).
    pub clock: std::sync::Arc<super::clock::Clock>,
}

fn fail(e: impl std::fmt::Display) -> SiteError {
    SiteError(e.to_string())
}

/// SHA-256 hex of a session token: sessions are kept by their hash.
pub fn token_hash(token: &str) -> String {
    super::export::token_key(token)
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

impl Demo {
    /// Creates the app's tables if they are missing.
    pub async fn create_tables(&self) -> Result<(), SiteError> {
        self.db
            .script(include_str!("tables.sql"))
            .await
            .map_err(fail)?;
        std::fs::create_dir_all(&self.files).map_err(fail)
    }

    async fn count(&self, sql: &'static str, account: &str) -> Result<u64, SiteError> {
        let row = self.db.one(sql, vals![account]).await.map_err(fail)?;
        Ok(row.and_then(|r| r[0].int()).unwrap_or(0).max(0) as u64)
    }

    /// The account's files of one data category (`content`, `voice`).
    async fn file_rows(&self, account: &str, category: &str) -> Result<Vec<Row>, SiteError> {
        self.db
            .query(
                "SELECT id, kind, name, media_type, size, path, created, prompt FROM app_files
                 WHERE account = $1 AND category = $2 ORDER BY created, id",
                vals![account, category],
            )
            .await
            .map_err(fail)
    }

    /// Deletes the account's files of `category`, rows then bytes; how many.
    async fn delete_files(&self, account: &str, category: &str) -> Result<u64, SiteError> {
        let rows = self.file_rows(account, category).await?;
        self.db
            .execute(
                "DELETE FROM app_files WHERE account = $1 AND category = $2",
                vals![account, category],
            )
            .await
            .map_err(fail)?;
        for row in &rows {
            let path = PathBuf::from(row[5].string());
            if let Err(e) = std::fs::remove_file(&path) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    return Err(fail(e));
                }
            }
        }
        Ok(rows.len() as u64)
    }

    /// Whether the account may use its voice now (consent given, not suspended).
    pub async fn voice_enabled(&self, account: &str) -> Result<bool, SiteError> {
        let row = self
            .db
            .one(
                "SELECT enabled FROM app_voice WHERE account = $1",
                vals![account],
            )
            .await
            .map_err(fail)?;
        Ok(row.and_then(|r| r[0].int()) == Some(1))
    }
}

#[async_trait]
impl Site for Demo {
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Caller>, SiteError> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let (token, from_cookie) = match (bearer, cookie(headers, SESSION_COOKIE)) {
            (Some(token), _) => (token, false),
            (None, Some(token)) => (token, true),
            (None, None) => return Ok(None),
        };
        let row = self
            .db
            .one(
                "SELECT account, csrf FROM app_sessions WHERE token = $1 AND expires > $2",
                vals![token_hash(token), self.clock.now().0],
            )
            .await
            .map_err(fail)?;
        let Some(row) = row else { return Ok(None) };
        let credential = if from_cookie {
            let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            let expected = row[1].string();
            Credential::Cookie {
                csrf_ok: sent.is_some_and(|s| {
                    use subtle::ConstantTimeEq;
                    bool::from(s.as_bytes().ct_eq(expected.as_bytes()))
                }),
            }
        } else {
            Credential::Bearer
        };
        Ok(Some(Caller {
            account: row[0].string(),
            credential,
        }))
    }

    async fn counts(&self, account: &str) -> Result<Vec<(String, u64)>, SiteError> {
        Ok(vec![
            (
                "identification".into(),
                self.count("SELECT COUNT(*) FROM app_accounts WHERE id = $1", account)
                    .await?,
            ),
            (
                "authentication".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_sessions WHERE account = $1",
                    account,
                )
                .await?,
            ),
            (
                "billing".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_invoices WHERE account = $1",
                    account,
                )
                .await?,
            ),
            (
                "technical".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_connections WHERE account = $1",
                    account,
                )
                .await?,
            ),
            (
                "content".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_files WHERE account = $1 AND category = 'content'",
                    account,
                )
                .await?,
            ),
            (
                "usage".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_credits WHERE account = $1",
                    account,
                )
                .await?,
            ),
            (
                "voice".into(),
                self.count(
                    "SELECT COUNT(*) FROM app_files WHERE account = $1 AND category = 'voice'",
                    account,
                )
                .await?,
            ),
        ])
    }

    async fn data(&self, account: &str) -> Result<Value, SiteError> {
        let db = &self.db;
        let rows =
            |sql: &'static str| async move { db.query(sql, vals![account]).await.map_err(fail) };
        let identification: Vec<Value> = rows(
            "SELECT id, email, first_name, last_name, created FROM app_accounts WHERE id = $1",
        )
        .await?
        .iter()
        .map(|r| json!({ "account": r[0].string(), "email": r[1].string(), "first_name": r[2].string(), "last_name": r[3].string(), "created_ms": r[4].int() }))
        .collect();
        let authentication: Vec<Value> = rows(
            "SELECT created, expires FROM app_sessions WHERE account = $1 ORDER BY created",
        )
        .await?
        .iter()
        .map(|r| json!({ "session_created_ms": r[0].int(), "session_expires_ms": r[1].int(), "password": "stored only as an Argon2id hash, not exported" }))
        .collect();
        let billing: Vec<Value> = rows(
            "SELECT number, amount_cents, issued, billing_address, card_last4 FROM app_invoices WHERE account = $1 ORDER BY issued",
        )
        .await?
        .iter()
        .map(|r| json!({ "invoice": r[0].string(), "amount_cents": r[1].int(), "issued_ms": r[2].int(), "billing_address": r[3].string(), "card_last4": r[4].string() }))
        .collect();
        let technical: Vec<Value> = rows(
            "SELECT time, ip, user_agent FROM app_connections WHERE account = $1 ORDER BY time",
        )
        .await?
        .iter()
        .map(|r| json!({ "time_ms": r[0].int(), "ip": r[1].string(), "user_agent": r[2].string() }))
        .collect();
        let usage: Vec<Value> = rows(
            "SELECT time, delta, what FROM app_credits WHERE account = $1 ORDER BY time",
        )
        .await?
        .iter()
        .map(|r| json!({ "time_ms": r[0].int(), "credits": r[1].int(), "what": r[2].string() }))
        .collect();
        let describe = |r: &Row| json!({ "file": format!("files/{}", r[2].string()), "kind": r[1].string(), "prompt": r[7].text() });
        let content: Vec<Value> = self
            .file_rows(account, "content")
            .await?
            .iter()
            .map(describe)
            .collect();
        let voice: Vec<Value> = self
            .file_rows(account, "voice")
            .await?
            .iter()
            .map(describe)
            .collect();
        Ok(json!({
            "identification": identification,
            "authentication": authentication,
            "billing": billing,
            "technical": technical,
            "content": content,
            "usage": usage,
            "voice": voice,
        }))
    }

    async fn files(&self, account: &str) -> Result<Vec<SiteFile>, SiteError> {
        let mut files = Vec::new();
        for category in ["content", "voice"] {
            for r in self.file_rows(account, category).await? {
                files.push(SiteFile {
                    name: r[2].string(),
                    category: category.into(),
                    media_type: r[3].string(),
                    size: r[4].int().unwrap_or(0).max(0) as u64,
                    created: r[6].int().unwrap_or(0).max(0) as u64,
                    source: FileSource::Path(PathBuf::from(r[5].string())),
                });
            }
        }
        Ok(files)
    }

    async fn restrict(&self, _account: &str, _restricted: bool) -> Result<(), SiteError> {
        // The app's write routes ask the rights API (`check_writable`); it
        // has no background processing of its own to pause.
        Ok(())
    }

    async fn erase(&self, account: &str, keep: &[String]) -> Result<Erased, SiteError> {
        let mut erased = Erased::default();
        let content = self.delete_files(account, "content").await?;
        let voice = self.delete_files(account, "voice").await?;
        let counts = self.counts(account).await?;
        let count_of = |data: &str| {
            counts
                .iter()
                .find(|(d, _)| d == data)
                .map_or(0, |(_, n)| *n)
        };
        let mut statements = vec![
            (
                "DELETE FROM app_sessions WHERE account = $1",
                vals![account],
            ),
            ("DELETE FROM app_credits WHERE account = $1", vals![account]),
            ("DELETE FROM app_voice WHERE account = $1", vals![account]),
            ("DELETE FROM app_accounts WHERE id = $1", vals![account]),
        ];
        if !keep.iter().any(|k| k == "billing") {
            statements.push((
                "DELETE FROM app_invoices WHERE account = $1",
                vals![account],
            ));
        }
        if !keep.iter().any(|k| k == "technical") {
            statements.push((
                "DELETE FROM app_connections WHERE account = $1",
                vals![account],
            ));
        }
        erased.deleted = vec![
            ("identification".into(), count_of("identification")),
            ("authentication".into(), count_of("authentication")),
            ("usage".into(), count_of("usage")),
            ("content".into(), content),
            ("voice".into(), voice),
        ];
        for data in ["billing", "technical"] {
            if keep.iter().any(|k| k == data) {
                erased.kept.push((data.into(), count_of(data)));
            } else {
                erased.deleted.push((data.into(), count_of(data)));
            }
        }
        self.db.atomically(statements).await.map_err(fail)?;
        let _ = std::fs::remove_dir(self.files.join(account));
        Ok(erased)
    }

    async fn allow_special(&self, account: &str, _purpose: &str) -> Result<(), SiteError> {
        self.db
            .execute(
                "INSERT INTO app_voice (account, enabled) VALUES ($1, 1)
                 ON CONFLICT (account) DO UPDATE SET enabled = 1",
                vals![account],
            )
            .await
            .map_err(fail)?;
        Ok(())
    }

    async fn suspend_special(&self, account: &str, _purpose: &str) -> Result<(), SiteError> {
        self.db
            .execute(
                "UPDATE app_voice SET enabled = 0 WHERE account = $1",
                vals![account],
            )
            .await
            .map_err(fail)?;
        Ok(())
    }

    async fn erase_special(&self, account: &str, _purpose: &str) -> Result<u64, SiteError> {
        // The voice model at the processor (MiniMax) would be deleted through
        // its API here; the reference app keeps both files itself.
        self.delete_files(account, "voice").await
    }
}
