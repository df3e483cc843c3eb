//! Policy as data: the model of a controller's processing, its parsing from
//! TOML or JSON, its lint, its canonical hash, the diff between revisions and
//! the notice it reads as, per language.
//!
//! Reference for authors: `docs/policy.md`. JSON Schema: `docs/policy.schema.json`.

pub mod changes;
pub mod config;
pub mod date;
pub mod diff;
pub mod finding;
#[cfg(feature = "policy-text")]
pub mod hash;
pub mod lint;
mod lint_roles;
mod lint_transfers;
pub mod model;
pub mod notice;
pub mod page;
#[cfg(feature = "policy-text")]
pub mod parse;
pub mod period;
pub mod place;
pub mod processor;
pub mod recipient;
pub mod written;

pub use config::{consent_revision, lifetime_days};
pub use diff::{diff, PolicyDiff};
pub use finding::{Finding, Path, Segment};
pub use lint::{lint, lint_revision, RULES};
pub use model::*;
pub use notice::{labels, notice, Notice, NoticeLabels};
pub use processor::{ProcessorTerms, PurposeRole, Role};
pub use recipient::{Onward, Recipient, RecipientKind};
pub use written::{OneOrMany, Phrase, Stated, NOT_STATED};
