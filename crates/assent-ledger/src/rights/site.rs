//! What a site's own backend implements so that the rights routes can carry
//! its users' rights out: who is calling, the account's data and files, and
//! the effects of restriction, erasure and a withdrawn special-category
//! consent. Everything else (requests and their states, deadlines, export
//! jobs and links, idempotency, CSRF, the scheduler) is the rights API's.
//!
//! A Rust site mounts [`crate::rights::routes`] with its implementation
//! instead of writing the routes again; `demo` is the reference app's, and the
//! tests have a second, unrelated one.
//!
//! Contract for implementers:
//! - `erase` and `erase_special` may be called again after a crash or a
//!   timeout, for the same account: they must be idempotent (a second call
//!   finds nothing left and succeeds).
//! - Ids are the site's own account ids; the rights API stores nothing about
//!   an account but its id, its requests and its consents.

use std::path::PathBuf;

use async_trait::async_trait;
use axum::http::HeaderMap;

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A session cookie: calls that change something must also carry the
    /// session's CSRF value; `csrf_ok` says whether they do.
    Cookie {
        /// The request carries the session's CSRF value (`X-CSRF-Token`).
        csrf_ok: bool,
    },
    /// `Authorization: Bearer …`: not sent by browsers on their own, so not
    /// open to CSRF.
    Bearer,
}

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The site's account id.
    pub account: String,
    /// How they proved it.
    pub credential: Credential,
}

/// Where a file's bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileSource {
    /// A file on this machine (streamed into the archive).
    Path(PathBuf),
    /// Bytes in memory (small files of a site that keeps them elsewhere).
    Bytes(Vec<u8>),
}

/// One of the account's files, as the export lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// Its path under `files/` in the archive (`images/sunset.png`).
    pub name: String,
    /// The policy's data category it belongs to (`content`, `voice`).
    pub category: String,
    /// Its media type (`image/png`).
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was created, Unix milliseconds.
    pub created: u64,
    /// Where its bytes are.
    pub source: FileSource,
}

/// What an erasure did, per data category.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    /// Items deleted, per data category id.
    pub deleted: Vec<(String, u64)>,
    /// Items kept because a retention rule with a legal-obligation basis
    /// requires it, per data category id (they must be among the categories
    /// the rights API passed as `keep`).
    pub kept: Vec<(String, u64)>,
}

/// A failure of the site's backend (its message goes to the log, not to the
/// caller, so it may name internals but no personal data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteError(pub String);

impl std::fmt::Display for SiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "site: {}", self.0)
    }
}

/// A site's backend, as the rights API needs it.
#[async_trait]
pub trait Site: Send + Sync + 'static {
    /// Who is calling: a session cookie (with whether the CSRF value matches)
    /// or a bearer token; `None` when neither is valid.
    async fn authenticate(&self, headers: &HeaderMap) -> Result<Option<Caller>, SiteError>;

    /// How many items of each of the policy's data categories the account
    /// has (`("content", 12)`), for "what we hold about you".
    async fn counts(&self, account: &str) -> Result<Vec<(String, u64)>, SiteError>;

    /// The account's data, by data category id, as portable JSON objects
    /// (`data.json`'s `data` member): everything but the files' bytes.
    async fn data(&self, account: &str) -> Result<serde_json::Value, SiteError>;

    /// The account's files, for `files/` in the export.
    async fn files(&self, account: &str) -> Result<Vec<SiteFile>, SiteError>;

    /// Read-only mode on or off (GDPR Art 18). The rights API records the
    /// state and refuses its own changes; the site stops its processing
    /// (background jobs, sharing) and refuses its writes, which it can check
    /// with `Rights::check_writable`.
    async fn restrict(&self, account: &str, restricted: bool) -> Result<(), SiteError>;

    /// Erases the account (GDPR Art 17) except the data categories in
    /// `keep` (what a law requires to keep), and ends its sessions.
    /// Idempotent.
    async fn erase(&self, account: &str, keep: &[String]) -> Result<Erased, SiteError>;

    /// Explicit consent to special processing `purpose` was given: the
    /// feature may be used from now on.
    async fn allow_special(&self, account: &str, purpose: &str) -> Result<(), SiteError>;

    /// Stops using the data of special processing `purpose` at once (its
    /// consent was withdrawn); the data is deleted later by `erase_special`.
    async fn suspend_special(&self, account: &str, purpose: &str) -> Result<(), SiteError>;

    /// Deletes the data of special processing `purpose` (a voice model and
    /// its sample), at the site and at its processors; how many items.
    /// Idempotent.
    async fn erase_special(&self, account: &str, purpose: &str) -> Result<u64, SiteError>;
}
