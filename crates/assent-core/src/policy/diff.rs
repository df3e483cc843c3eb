//! What changed between two revisions of a policy, for the consent manager to
//! decide whether to ask again and what to say changed.
//!
//! Material changes (consent must be asked again): a new consent purpose, a
//! consent purpose whose basis, category or data changed, a new sub-processor,
//! or a sub-processor whose country or transfer mechanism changed. Anything
//! else (wording, retention, contact details) is cosmetic for consent.

use super::model::{Policy, Purpose, SubProcessor};

/// The consent-relevant differences between two policies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyDiff {
    /// Consent purposes in the new policy only (ids).
    pub added_consent_purposes: Vec<String>,
    /// Consent purposes whose basis, category or data changed (ids).
    pub changed_consent_purposes: Vec<String>,
    /// Consent purposes removed (ids).
    pub removed_consent_purposes: Vec<String>,
    /// Sub-processors in the new policy only (names).
    pub added_subprocessors: Vec<String>,
    /// Sub-processors whose country or transfer changed (names).
    pub changed_transfers: Vec<String>,
    /// Whether anything at all differs, material or not.
    pub any_change: bool,
}

impl PolicyDiff {
    /// Whether the change requires asking for consent again.
    pub fn is_material(&self) -> bool {
        !(self.added_consent_purposes.is_empty()
            && self.changed_consent_purposes.is_empty()
            && self.added_subprocessors.is_empty()
            && self.changed_transfers.is_empty())
    }
}

fn is_consent(p: &Purpose) -> bool {
    p.basis.iter().any(|b| b.is_consent())
}

/// The differences from `old` to `new`.
pub fn diff(old: &Policy, new: &Policy) -> PolicyDiff {
    let mut d = PolicyDiff {
        any_change: old != new,
        ..PolicyDiff::default()
    };
    for p in new.purposes.iter().filter(|p| is_consent(p)) {
        match old.purposes.iter().find(|o| o.id == p.id) {
            None => d.added_consent_purposes.push(p.id.clone()),
            Some(o)
                if !is_consent(o)
                    || o.basis != p.basis
                    || o.category != p.category
                    || o.data != p.data =>
            {
                d.changed_consent_purposes.push(p.id.clone())
            }
            Some(_) => {}
        }
    }
    for o in old.purposes.iter().filter(|p| is_consent(p)) {
        if !new.purposes.iter().any(|p| p.id == o.id && is_consent(p)) {
            d.removed_consent_purposes.push(o.id.clone());
        }
    }
    for s in &new.subprocessors {
        match old.subprocessors.iter().find(|o| o.name == s.name) {
            None => d.added_subprocessors.push(s.name.clone()),
            Some(o)
                if !same_places(o, s)
                    || o.transfers()
                        .iter()
                        .map(|t| t.mechanism)
                        .ne(s.transfers().iter().map(|t| t.mechanism)) =>
            {
                d.changed_transfers.push(s.name.clone())
            }
            Some(_) => {}
        }
    }
    d
}

/// Whether two revisions of a recipient process in the same countries.
fn same_places(old: &SubProcessor, new: &SubProcessor) -> bool {
    old.countries().count() == new.countries().count()
        && old
            .countries()
            .all(|c| new.countries().any(|n| n.eq_ignore_ascii_case(c)))
}

/// The revisions of `current`'s policy, oldest first and each once, ending
/// with `current`: the earlier ones of `earlier` (any order; other policies'
/// and later revisions are left out).
pub fn revision_chain<'a>(current: &'a Policy, earlier: &'a [Policy]) -> Vec<&'a Policy> {
    let mut chain: Vec<&Policy> = earlier
        .iter()
        .filter(|p| p.id == current.id && p.revision < current.revision)
        .collect();
    chain.sort_by_key(|p| p.revision);
    chain.dedup_by_key(|p| p.revision);
    chain.push(current);
    chain
}
