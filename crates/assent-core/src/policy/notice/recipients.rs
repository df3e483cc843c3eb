//! Where data goes, in the notice: the processors and sub-processors, the
//! other recipients (independent and joint controllers, Art 26), and the
//! onward transfers of either, each with its countries and safeguards in the
//! notice's language.

use serde::{Deserialize, Serialize};

use super::{data_refs, labels, NoticeDataRef};
use crate::policy::model::{Mechanism, Policy, Text, Transfer};
use crate::policy::place;
use crate::policy::recipient::{Onward, RecipientKind};
use crate::policy::written::{OneOrMany, Stated};

/// A processor or sub-processor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeSubProcessor {
    /// Legal name.
    pub name: String,
    /// What it does for the controller.
    pub role: String,
    /// Every country it processes data in, ISO 3166-1 alpha-2.
    pub countries: Vec<String>,
    /// Region or site detail.
    pub region: Option<String>,
    /// Whether every country is in the EEA (no transfer safeguard needed).
    pub in_eea: bool,
    /// The data categories it receives.
    pub data: Vec<NoticeDataRef>,
    /// Its transfer safeguards (GDPR Chapter V), contingencies included.
    pub transfers: Vec<NoticeTransfer>,
    /// Transfers it makes in turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onward: Vec<NoticeOnward>,
}

/// The safeguard of a transfer outside the EEA (GDPR Chapter V).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeTransfer {
    /// Which mechanism.
    pub mechanism: Mechanism,
    /// Its name.
    pub name: String,
    /// The SCC module (1–4), for standard contractual clauses, or
    /// `not-stated` when the policy's source does not name it.
    pub module: Option<Stated<u8>>,
    /// Supplementary measures.
    pub measures: Option<String>,
    /// Kept only in case the data ever leaves the EEA or an adequate country.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contingency: bool,
}

/// A recipient that is not a processor (Art 13(1)(e)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeRecipient {
    /// Legal name.
    pub name: String,
    /// Independent or joint controller.
    pub kind: RecipientKind,
    /// That, in the notice's language.
    pub kind_name: String,
    /// Why it receives the data.
    pub role: String,
    /// Every country it processes data in, ISO 3166-1 alpha-2.
    pub countries: Vec<String>,
    /// Whether every country is in the EEA.
    pub in_eea: bool,
    /// The data categories it receives.
    pub data: Vec<NoticeDataRef>,
    /// Its transfer safeguards.
    pub transfers: Vec<NoticeTransfer>,
    /// For a joint controller, the essence of the arrangement (Art 26(2)).
    pub arrangement: Option<String>,
    /// Where its own privacy notice is.
    pub notice_url: Option<String>,
    /// Transfers it makes in turn.
    pub onward: Vec<NoticeOnward>,
}

/// A transfer a recipient makes in turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeOnward {
    /// To whom.
    pub to: String,
    /// Every country, ISO 3166-1 alpha-2.
    pub countries: Vec<String>,
    /// Whether every country is in the EEA.
    pub in_eea: bool,
    /// Its safeguards.
    pub transfers: Vec<NoticeTransfer>,
}

/// The sub-processors of `policy`, in `lang`.
pub(super) fn subprocessors(policy: &Policy, lang: &str) -> Vec<NoticeSubProcessor> {
    let text = resolve(policy, lang);
    policy
        .subprocessors
        .iter()
        .map(|s| NoticeSubProcessor {
            name: s.name.clone(),
            role: text(&s.role),
            countries: s.country.0.clone(),
            region: s.region.clone(),
            in_eea: s.countries().all(place::in_eea),
            data: data_refs(policy, lang, &s.data),
            transfers: transfers(policy, lang, s.transfer.as_ref()),
            onward: onward(policy, lang, &s.onward),
        })
        .collect()
}

/// The other recipients of `policy`, in `lang`.
pub(super) fn recipients(policy: &Policy, lang: &str) -> Vec<NoticeRecipient> {
    let words = labels(lang);
    let text = resolve(policy, lang);
    policy
        .recipients
        .iter()
        .map(|r| NoticeRecipient {
            name: r.name.clone(),
            kind: r.kind,
            kind_name: words.recipient_kind(r.kind).to_owned(),
            role: text(&r.role),
            countries: r.country.0.clone(),
            in_eea: r.country.iter().all(|c| place::in_eea(c)),
            data: data_refs(policy, lang, &r.data),
            transfers: transfers(policy, lang, r.transfer.as_ref()),
            arrangement: r.arrangement.as_ref().map(&text),
            notice_url: r.notice_url.clone(),
            onward: onward(policy, lang, &r.onward),
        })
        .collect()
}

fn onward(policy: &Policy, lang: &str, list: &[Onward]) -> Vec<NoticeOnward> {
    let text = resolve(policy, lang);
    list.iter()
        .map(|o| NoticeOnward {
            to: text(&o.to),
            countries: o.country.0.clone(),
            in_eea: o.country.iter().all(|c| place::in_eea(c)),
            transfers: transfers(policy, lang, o.transfer.as_ref()),
        })
        .collect()
}

fn transfers(
    policy: &Policy,
    lang: &str,
    list: Option<&OneOrMany<Transfer>>,
) -> Vec<NoticeTransfer> {
    let words = labels(lang);
    let text = resolve(policy, lang);
    list.map_or(&[][..], |l| l.0.as_slice())
        .iter()
        .map(|t| NoticeTransfer {
            mechanism: t.mechanism,
            name: words.mechanism_name(t.mechanism).to_owned(),
            module: t.module,
            measures: t.measures.as_ref().map(&text),
            contingency: t.contingency,
        })
        .collect()
}

/// A policy text in `lang`, else in the policy's first language.
fn resolve<'a>(policy: &'a Policy, lang: &'a str) -> impl Fn(&Text) -> String + 'a {
    let fallback = policy.languages.first().map(String::as_str).unwrap_or("en");
    move |t: &Text| t.get(lang, fallback).to_owned()
}
