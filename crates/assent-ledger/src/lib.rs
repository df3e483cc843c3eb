//! The reference ledger of Assent's consent records (`docs/records.md`): it
//! verifies each posted record (JWS signature with the key in its header,
//! JCS form, schema, subject thumbprint, known policy, clock), keeps each
//! device's chain linear, stores records append-only on SQLite or PostgreSQL,
//! and answers with a receipt signed by its own Ed25519 key.
//!
//! - [`server`]: the HTTP routes, rate limit and request log (`serve`).
//! - [`listen`]: the accept loop: header timeout, connection limit, stop.
//! - [`check`]: the checks that need no storage, in the contract's order.
//! - [`jcs`]: the JCS form of records and receipts, written directly.
//! - [`jws`]: compact JWS, JWK public keys, RFC 7638 thumbprints.
//! - [`policies`]: the policies records may name.
//! - [`receipt`]: the ledger key, its JWKS, signing and verifying receipts.
//! - [`store`]: append-only storage with group commit (SQLite, PostgreSQL).
//! - [`rate`]: the per-client token bucket.
//! - [`rejection`]: the error codes and their HTTP answers.
//! - [`export`]: the export document and its offline verification.
//! - [`load`]: a load generator (signed chains, concurrent clients), for the
//!   bench (`cargo xtask bench ledger`) and the crash test.
//! - [`logs`]: the log thread that writes the JSON lines to stderr.
//! - [`rights`]: the rights API (`docs/rights-api.yaml`) and the reference
//!   app it serves, on the same database, with a scheduler.
//! - [`cli`]: the `assent-ledger` command line.

pub mod check;
pub mod cli;
pub mod export;
pub mod jcs;
pub mod jws;
pub mod listen;
pub mod load;
pub mod logs;
pub mod policies;
pub mod rate;
pub mod receipt;
pub mod rejection;
pub mod rights;
pub mod server;
pub mod store;
