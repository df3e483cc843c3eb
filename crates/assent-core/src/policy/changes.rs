//! Sub-processor changes between the revisions of a processor's policy, as
//! its customers are told of them (GDPR Art 28(2): a general authorisation
//! needs notice of every intended addition or replacement, with the
//! opportunity to object). Each change carries the day it was announced, the
//! day it takes effect and the last day to object; the lint refuses a change
//! announced with less notice than the `[processor]` terms promise.

use serde::Serialize;

use super::date::Date;
use super::diff::revision_chain;
use super::finding::{Finding, Path};
use super::model::{Policy, SubProcessor};
use super::period::Period;

/// What happened to a sub-processor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new sub-processor (an addition, or the new side of a replacement).
    Added,
    /// One no longer used.
    Removed,
    /// Same name, other countries or other transfer safeguards.
    Changed,
}

/// One sub-processor change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SubprocessorChange {
    /// The revision that made it.
    pub revision: u32,
    /// What happened.
    pub kind: ChangeKind,
    /// The sub-processor's name.
    pub name: String,
    /// Its countries after the change (before it, for a removal).
    pub countries: Vec<String>,
    /// The day customers were told (`announced`), when the policy says.
    pub announced: Option<String>,
    /// The day it takes effect: the revision's `effective` date.
    pub effective: String,
    /// The last day to object: the announcement plus the objection window
    /// (the notice period when the terms give no window of their own).
    pub objection_deadline: Option<String>,
}

/// Every sub-processor change of `current`'s history (`earlier` revisions of
/// any policy, in any order), newest first.
pub fn subprocessor_changes(current: &Policy, earlier: &[Policy]) -> Vec<SubprocessorChange> {
    let chain = revision_chain(current, earlier);
    let mut out: Vec<SubprocessorChange> = chain
        .windows(2)
        .flat_map(|pair| between(pair[0], pair[1]))
        .collect();
    out.reverse();
    out
}

/// The changes `next` makes to `previous`'s sub-processors.
fn between(previous: &Policy, next: &Policy) -> Vec<SubprocessorChange> {
    let change = |kind, sp: &SubProcessor| SubprocessorChange {
        revision: next.revision,
        kind,
        name: sp.name.clone(),
        countries: sp.country.0.clone(),
        announced: next.announced.clone(),
        effective: next.effective.clone(),
        objection_deadline: objection_deadline(next),
    };
    let find = |list: &'_ [SubProcessor], name: &str| list.iter().find(|s| s.name == name).cloned();
    let mut out = Vec::new();
    for sp in &next.subprocessors {
        match find(&previous.subprocessors, &sp.name) {
            None => out.push(change(ChangeKind::Added, sp)),
            Some(old) if !same_processing(&old, sp) => out.push(change(ChangeKind::Changed, sp)),
            Some(_) => {}
        }
    }
    for sp in &previous.subprocessors {
        if find(&next.subprocessors, &sp.name).is_none() {
            out.push(change(ChangeKind::Removed, sp));
        }
    }
    out
}

/// Whether a sub-processor processes in the same countries under the same
/// safeguards.
fn same_processing(old: &SubProcessor, new: &SubProcessor) -> bool {
    let mechanisms = |s: &SubProcessor| {
        s.transfers()
            .iter()
            .map(|t| t.mechanism)
            .collect::<Vec<_>>()
    };
    old.country == new.country && mechanisms(old) == mechanisms(new)
}

/// The announcement plus the objection window (else the notice period).
fn objection_deadline(policy: &Policy) -> Option<String> {
    let changes = &policy.processor.as_ref()?.subprocessor_changes;
    let window = changes
        .objection_window
        .as_ref()
        .or(changes.notice.as_ref())?;
    let announced = Date::parse(policy.announced.as_deref()?)?;
    Some(announced.after(Period::parse(window)?)?.to_string())
}

/// The finding of `subprocessor-notice-too-short` for `next` after
/// `previous`: a sub-processor added while the customers were told later
/// than the `[processor]` terms' notice period before the change takes effect.
pub fn notice_finding(previous: &Policy, next: &Policy) -> Option<Finding> {
    let notice = next
        .processor
        .as_ref()?
        .subprocessor_changes
        .notice
        .as_deref()?;
    let added: Vec<String> = between(previous, next)
        .into_iter()
        .filter(|c| c.kind == ChangeKind::Added)
        .map(|c| c.name)
        .collect();
    if added.is_empty() {
        return None;
    }
    let effective = Date::parse(&next.effective)?;
    let earliest = next
        .announced
        .as_deref()
        .and_then(Date::parse)
        .and_then(|announced| announced.after(Period::parse(notice)?));
    match earliest {
        Some(earliest) if earliest <= effective => None,
        Some(earliest) => Some(Finding::new(
            "subprocessor-notice-too-short",
            Path::root().key("effective"),
            format!(
                "{} added with less than the {notice} of notice the terms promise: announced {}, so the \
                 change takes effect on {earliest} at the earliest, not {effective}",
                added.join(", "),
                next.announced.as_deref().unwrap_or_default()
            ),
        )),
        None => Some(Finding::new(
            "subprocessor-notice-too-short",
            Path::root().key("announced"),
            format!(
                "{} added: say when customers were told (announced = \"YYYY-MM-DD\"), at least {notice} \
                 before {effective}",
                added.join(", ")
            ),
        )),
    }
}
