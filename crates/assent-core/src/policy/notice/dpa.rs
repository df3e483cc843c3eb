//! The annex of a processor's data processing agreement (GDPR Art 28(3)) in
//! one language, as data: the description of the processing, the
//! processor's commitments, its security measures and its sub-processors,
//! every label resolved, so that a page renders it without knowing the law.
//! Built from the policy's `[processor]` terms; `None` for a controller.

use serde::Serialize;

pub use super::dpa_labels::{dpa_labels, DpaLabels};
use super::{data_refs, labels, NoticeDataRef, NoticeSubProcessor};
use crate::policy::model::{Policy, Text};

/// The annex of `policy`'s data processing agreement in one language.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct DpaAnnex {
    /// The language.
    pub lang: String,
    /// The annex's title.
    pub title: String,
    /// The processor's legal name.
    pub processor: String,
    /// The description of the processing, as label and value.
    pub description: DpaPart,
    /// The categories of personal data processed for the customer.
    pub data: Vec<NoticeDataRef>,
    /// The processor's commitments (heading, then one part each).
    pub commitments: (String, Vec<DpaPart>),
    /// The security measures (heading, then one line each).
    pub security: (String, Vec<String>),
    /// The sub-processors (heading, then each as the notice has it).
    pub subprocessors: (String, Vec<NoticeSubProcessor>),
}

/// A headed list of facts: (label, value).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DpaPart {
    /// Its heading.
    pub heading: String,
    /// Its facts, in order; a fact the policy does not state says so.
    pub facts: Vec<(String, String)>,
}

/// The annex of `policy` in `lang`, when the policy has processor terms.
pub fn annex(policy: &Policy, lang: &str) -> Option<DpaAnnex> {
    let terms = policy.processor.as_ref()?;
    let l = dpa_labels(lang);
    let words = labels(lang);
    let fallback = policy.languages.first().map(String::as_str).unwrap_or("en");
    let text = |t: &Text| t.get(lang, fallback).to_owned();
    let data = data_refs(policy, lang, &terms.data);
    let names = |list: &[String]| list.join(", ");
    let yes_no = |b: bool| if b { l.yes } else { l.no }.to_owned();
    let period = |p: &Option<String>| p.as_deref().map(|p| words.periods.name(p));
    let part = |heading: &str, facts: Vec<(&str, Option<String>)>| DpaPart {
        heading: heading.to_owned(),
        facts: facts
            .into_iter()
            .map(|(label, value)| {
                let value = value.unwrap_or_else(|| words.not_stated.to_owned());
                (label.to_owned(), value)
            })
            .collect(),
    };
    let breach = &terms.breach_notification;
    let changes = &terms.subprocessor_changes;
    let end = &terms.end_of_contract;
    let mut commitments = vec![
        part(
            l.breach,
            vec![
                (l.breach_within, period(&breach.within)),
                (l.channel, breach.channel.as_ref().map(text)),
            ],
        ),
        part(
            l.changes,
            vec![
                (l.change_notice, period(&changes.notice)),
                (l.channel, changes.channel.as_ref().map(text)),
                (l.objection_window, period(&changes.objection_window)),
                (l.on_objection, changes.on_objection.as_ref().map(text)),
            ],
        ),
    ];
    let assistance = terms.assistance.as_ref();
    commitments.push(part(
        l.assistance,
        vec![
            (
                l.response_time,
                period(&assistance.and_then(|a| a.response_time.clone())),
            ),
            (l.note, assistance.and_then(|a| a.note.as_ref()).map(text)),
        ],
    ));
    let audits = terms.audits.as_ref();
    commitments.push(part(
        l.audits,
        vec![
            (
                l.audit_notice,
                period(&audits.and_then(|a| a.notice.clone())),
            ),
            (
                l.frequency,
                audits.and_then(|a| a.frequency.as_ref()).map(text),
            ),
        ],
    ));
    commitments.push(part(
        l.end_of_contract,
        vec![
            (l.deadline, period(&end.deadline)),
            (l.choice_window, period(&end.choice_window)),
            (l.return_offered, Some(yes_no(end.return_offered))),
            (l.format, end.format.as_ref().map(text)),
            (l.certificate, Some(yes_no(end.certificate))),
            (l.legal_hold, end.legal_hold.as_ref().map(text)),
        ],
    ));
    let subjects: Vec<String> = terms.subjects.iter().map(text).collect();
    let data_names: Vec<String> = data.iter().map(|d| d.name.clone()).collect();
    Some(DpaAnnex {
        lang: lang.to_owned(),
        title: l.title.to_owned(),
        processor: policy.controller.legal_name.clone(),
        description: part(
            l.description,
            vec![
                (l.customer, Some(text(&terms.customer))),
                (l.nature, Some(text(&terms.nature))),
                (l.subjects, (!subjects.is_empty()).then(|| names(&subjects))),
                (l.data, (!data_names.is_empty()).then(|| names(&data_names))),
            ],
        ),
        data,
        commitments: (l.commitments.to_owned(), commitments),
        security: (
            l.security.to_owned(),
            terms.security_measures.iter().map(text).collect(),
        ),
        subprocessors: (
            l.subprocessors.to_owned(),
            super::recipients::subprocessors(policy, lang),
        ),
    })
}
