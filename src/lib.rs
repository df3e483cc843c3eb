//! Assent: a privacy consent widget for any website, in Rust and Leptos.
//!
//! This crate is the widget compiled to WebAssembly. Its layers, from the bottom
//! up (dependencies point down only; see ARCHITECTURE.md):
//!
//! - `assent_core` (its own crate): pure rules and formats.
//! - [`platform`]: browser adapters, one file per capability (the shared ones
//!   are `assent_web`'s, which the GDPR panel uses too); every failure is an
//!   [`Error`] value, never a panic.
//! - [`ui`]: Leptos components; they ask core for decisions and platform for effects.
//! - [`embed`]: the only code that knows the host page: the boot, the shadow-root
//!   mount and the bridge to the loader (`www/loader/`), which gates the page and
//!   imports this module only when the UI is needed.

pub mod embed;
pub mod platform;
pub mod ui;

pub use assent_web::{error, Error};
