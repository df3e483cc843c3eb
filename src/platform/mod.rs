//! Browser adapters, one file per capability: Rust types in, `Result` out.
//!
//! Nothing here panics on state the host page controls: blocked storage, a
//! missing API or an overridden prototype comes back as a [`crate::Error`].

pub mod clock;
pub mod consent_store;
pub mod cookies;
pub mod dom;
pub mod focus;
pub mod storage;
