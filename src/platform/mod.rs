//! Browser adapters, one file per capability: Rust types in, `Result` out.
//!
//! The shared ones (clock, cookies, page access, focus, `localStorage`) are
//! `assent_web`'s, re-exported here; where the consent decision is kept
//! ([`consent_store`]) is the widget's own.
//!
//! Nothing here panics on state the host page controls: blocked storage, a
//! missing API or an overridden prototype comes back as a [`crate::Error`].

pub mod consent_store;

pub use assent_web::{clock, cookies, dom, focus, storage};
