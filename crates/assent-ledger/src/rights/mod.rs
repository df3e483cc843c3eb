//! The rights API (`docs/rights-api.yaml`): the contract between the 'GDPR &
//! my data' panel and a site's backend, carried out for real: export jobs
//! and their archives, restriction (read-only mode), erasure after a 30-day
//! grace period, explicit special-category consent and the deletion that
//! follows its withdrawal, on the server's clock, on SQLite or PostgreSQL.
//!
//! - [`site`]: the trait a site's backend implements (its data and files,
//!   erase, restrict, special-category data); [`demo`] is the reference app.
//! - [`service`]: what each right changes, independent of HTTP.
//! - [`routes`]: the HTTP routes, authentication, CSRF, idempotency keys
//!   ([`idempotency`]).
//! - [`jobs`]: the scheduler (exports, erasures, deletions, link expiry);
//!   [`export`] the export job, [`archive`] its ZIP writer, [`download`] the
//!   link with HTTP ranges.
//! - [`requests`]: the tables and the requests in them; [`consent`] the
//!   signed special-category consents; [`notice`] "what we hold about you".
//! - [`clock`]: the server's clock, adjustable for tests and demos.
//! - [`db`]: one SQL seam over SQLite and PostgreSQL.
//! - [`media`]: generated images, videos and voice for the demo and the bench.

pub mod archive;
pub mod clock;
pub mod consent;
pub mod db;
pub mod demo;
pub mod download;
pub mod export;
pub mod guard;
pub mod idempotency;
pub mod jobs;
pub mod media;
pub mod notice;
pub mod requests;
pub mod routes;
pub mod service;
pub mod site;
pub mod start;
