//! Browser adapters shared by Assent's two surfaces, the consent widget (the
//! root crate) and the "GDPR & my data" panel (`crates/assent-panel`): one
//! file per capability, Rust types in, `Result` out, and the shadow-root mount
//! that returns an unmount handle ([`mount`]). No Leptos components live here.
//!
//! Nothing here panics on state the host page controls: blocked storage, a
//! missing API or an overridden prototype comes back as an [`Error`].

pub mod clock;
pub mod cookies;
pub mod dom;
pub mod error;
pub mod events;
pub mod focus;
pub mod http;
pub mod mount;
pub mod storage;

pub use error::Error;
