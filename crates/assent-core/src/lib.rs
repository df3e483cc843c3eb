//! Pure consent logic for Assent.
//!
//! Everything here is a plain function of its inputs: no `web-sys`, `js-sys`,
//! `wasm-bindgen` or `leptos`, no clock, no randomness, no I/O. Callers pass the
//! current time (`now_ms`, Unix milliseconds) where a rule depends on it. The
//! widget, the loader tests and (later) the reference server all use this crate,
//! so they can never disagree on a rule or a format.
//!
//! - [`category`]: the storage/cookie categories a site gates (ePrivacy Art 5(3)).
//! - [`choice`]: what the user granted and how they said it.
//! - [`stored`]: the compact stored form of a decision and its validity.
//! - [`rules`]: whether a stored decision holds (expiry, policy revision, GPC).
//! - [`gate`]: whether a gated host-page element may run under a choice.
//! - [`texts`]: every fixed string of the consent UI, per language.
//! - [`language`]: the language the consent UI speaks on a page view.
//! - [`vectors`]: the shared test vectors that hold the loader's JavaScript
//!   twins to these rules (`tests/vectors/`).
//! - [`policy`]: the policy file model, its parsing, lint, hash and diff, and
//!   the notice it reads as, per language (`policy::notice`).
//! - [`record`]: consent records and ledger receipts, the signed wire format.
//! - [`rights`]: data-subject rights: the rights API's bodies, timestamps,
//!   deadlines, what an erasure keeps and the portable export.

pub mod category;
pub mod choice;
pub mod gate;
pub mod language;
pub mod policy;
pub mod record;
pub mod rights;
pub mod rules;
pub mod stored;
pub mod texts;
mod texts_da;
mod texts_sk;
#[cfg(feature = "policy-text")]
pub mod vectors;

pub use category::Category;
pub use choice::{is_service_id, Action, Choice, Context, Decision, Method, Services};
pub use gate::{gate, Gate};
pub use rules::{evaluate, withdrawn, Effective, Reason, Rules, State, Status, Verdict};
pub use stored::DecodeError;
