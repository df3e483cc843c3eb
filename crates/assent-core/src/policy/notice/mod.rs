//! "What we hold about you": the privacy notice of a policy in one language,
//! as data.
//!
//! [`notice`] resolves every text of a [`Policy`] in one language and names
//! every legal basis, mechanism, channel and right with that language's
//! [`labels`]. The preview pages (`cargo xtask preview`), the rights API
//! server (with the account's own counts per data category,
//! [`Notice::with_counts`]) and the "GDPR & my data" panel all render this one
//! model, so they cannot disagree on what the notice says. Ids (data
//! categories, purposes, enums) are kept beside the names for callers that
//! join on them.

pub mod dpa;
mod dpa_labels;
mod dpa_labels_da_sk;
mod labels;
mod labels_da;
mod labels_sk;
mod period_words;
mod recipients;
mod special_words;
mod text;

use serde::{Deserialize, Serialize};

pub use labels::{
    labels, BasisWords, ChannelWords, MechanismWords, NoticeLabels, PeriodWords, RightWords,
    SpecialWords,
};
pub use recipients::{NoticeOnward, NoticeRecipient, NoticeSubProcessor, NoticeTransfer};

use crate::policy::model::{
    Authority, Channel, Cookie, LegalBasis, Policy, Right, SpecialCategory, Text,
};
use crate::policy::processor::{PurposeRole, Role};
use crate::Category;

/// The notice of a policy in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct Notice {
    /// The language asked for (texts the policy lacks in it are in its first language).
    pub lang: String,
    /// The policy's id.
    pub policy: String,
    /// The policy's revision.
    pub revision: u32,
    /// The date the revision takes effect, `YYYY-MM-DD`.
    pub effective: String,
    /// Every language of the policy, the first being its default.
    pub languages: Vec<String>,
    /// Whether the organisation is a controller, a processor for its
    /// customers, or both (Art 4(7), 4(8)); absent: controller.
    #[serde(default, skip_serializing_if = "Role::is_controller")]
    pub role: Role,
    /// Who is responsible, and how to reach them (Art 13(1)(a), (b)).
    pub controller: NoticeController,
    /// Why data is processed, and on which legal basis (Art 13(1)(c), (d)).
    pub purposes: Vec<NoticePurpose>,
    /// Cookies and storage, per category (ePrivacy Art 5(3)).
    pub cookies: Vec<NoticeCookieCategory>,
    /// The categories of personal data (Art 14(1)(d)).
    pub data: Vec<NoticeData>,
    /// How long each category is kept (Art 13(2)(a)).
    pub retention: Vec<NoticeRetention>,
    /// Who processes data on the controller's behalf, where (Art 13(1)(e), (f)).
    pub subprocessors: Vec<NoticeSubProcessor>,
    /// Other recipients: independent and joint controllers (Art 13(1)(e), 26).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<NoticeRecipient>,
    /// The rights offered and how to exercise them (Art 13(2)(b)–(c)).
    pub rights: NoticeRights,
    /// Processing under its own explicit consent (Art 9(2)(a)).
    pub special: Vec<NoticeSpecial>,
    /// Where to lodge a complaint (Art 13(2)(d), 77); `null` when the
    /// policy's source does not state it.
    pub authority: Option<Authority>,
}

/// The controller's identity and contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeController {
    /// Registered legal name.
    pub legal_name: String,
    /// Legal form (SAS, GmbH…).
    pub form: Option<String>,
    /// Company registration.
    pub registration: Option<String>,
    /// Registered address.
    pub address: String,
    /// Country of establishment, ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Contact e-mail for privacy requests; `null` when the policy's source
    /// does not state it.
    pub email: Option<String>,
    /// The data protection officer, or the contact point; `null` when the
    /// policy's source does not state it.
    pub dpo: Option<NoticeDpo>,
}

/// The data protection officer or, when none is appointed, the contact point (Art 37).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeDpo {
    /// Whether a DPO is appointed (else this is a contact point).
    pub appointed: bool,
    /// The DPO's name, when appointed.
    pub name: Option<String>,
    /// E-mail.
    pub email: String,
    /// Why none is appointed, or other details.
    pub note: Option<String>,
}

/// A legal basis, named in the notice's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeBasis {
    /// Which basis.
    pub basis: LegalBasis,
    /// Its name (`contract`).
    pub name: String,
    /// The article it rests on (`GDPR Art. 6(1)(b)`).
    pub article: String,
}

/// A data category named where it is referred to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeDataRef {
    /// The data category's id.
    pub id: String,
    /// Its name (the id when the policy does not declare it).
    pub name: String,
}

/// A channel a right or a withdrawal is exercised through.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeChannel {
    /// Which channel.
    pub channel: Channel,
    /// Its name (`account panel`).
    pub name: String,
}

/// A purpose of processing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticePurpose {
    /// The purpose's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Longer explanation.
    pub description: Option<String>,
    /// Whether it is pursued on customers' behalf, as their processor: its
    /// legal basis is then theirs to determine, and `bases` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub for_customers: bool,
    /// Its legal bases.
    pub bases: Vec<NoticeBasis>,
    /// The legitimate interest pursued, for a `legitimate-interest` basis.
    pub legitimate_interest: Option<String>,
    /// The data categories it processes.
    pub data: Vec<NoticeDataRef>,
    /// Where consent to it is withdrawn.
    pub withdrawal: Vec<NoticeChannel>,
}

/// A cookie category and its services.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeCookieCategory {
    /// Which category.
    pub category: Category,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Its legal basis; none for strictly necessary storage.
    pub basis: Option<NoticeBasis>,
    /// Its services.
    pub services: Vec<NoticeService>,
}

/// A service that stores or reads on the device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeService {
    /// The service's id (`data-service` in the page).
    pub id: String,
    /// Its own name, when the policy gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Who provides it.
    pub provider: String,
    /// What it is for.
    pub purpose: String,
    /// Its cookies and storage keys.
    pub cookies: Vec<Cookie>,
}

/// A category of personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeData {
    /// The category's id (what [`Notice::with_counts`] joins on).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Examples or details.
    pub description: Option<String>,
    /// The special category (Art 9), if it is one.
    pub special: Option<SpecialCategory>,
    /// Its name in the notice's language (`données biométriques`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_name: Option<String>,
    /// Whose data it is.
    pub subjects: Vec<String>,
    /// Where it comes from when not from the person (Art 14(2)(f)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How many items of it the controller holds about the reader, when the
    /// notice is served for an account; absent in the general notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// A retention rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeRetention {
    /// The data categories it applies to.
    pub data: Vec<NoticeDataRef>,
    /// How long, in the notice's language (`3 ans`, `au plus 90 jours`).
    pub period: String,
    /// The item whose life the data is kept for, when the policy ties it to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_to: Option<String>,
    /// What becomes of the data at the end, in the notice's language, when
    /// the policy says (`then anonymised`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// When the data may be kept longer (a legal hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<String>,
    /// The event the period counts from; "creation" when the policy names none.
    pub counted_from: String,
    /// The rule's legal reference.
    pub reference: Option<String>,
    /// Why it is kept that long, where the policy says: `legal-obligation`
    /// marks data an erasure keeps (GDPR Art 17(3)(b)), which the panel's
    /// deletion section lists before the person confirms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<LegalBasis>,
}

/// The rights offered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeRights {
    /// Answer time (`1 month`); `null` when the policy's source does not state it.
    pub response_time: Option<String>,
    /// Extension for complex requests (`2 months`).
    pub extension: Option<String>,
    /// Each right and how to exercise it.
    pub offered: Vec<NoticeRight>,
}

/// One right and how to exercise it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeRight {
    /// Which right.
    pub right: Right,
    /// Its name (`access`).
    pub name: String,
    /// The article it rests on (`GDPR Art. 15`).
    pub article: String,
    /// Where it is exercised.
    pub channels: Vec<NoticeChannel>,
    /// Details for users.
    pub note: Option<String>,
}

/// Processing under its own explicit consent (e.g. voice cloning).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub struct NoticeSpecial {
    /// The processing's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What is done and why.
    pub description: String,
    /// The purpose (id) it belongs to.
    pub purpose: String,
    /// The data categories it processes.
    pub data: Vec<NoticeDataRef>,
    /// Who receives the data (sub-processor names).
    pub recipients: Vec<String>,
    /// What withdrawing consent does.
    pub withdrawal: String,
    /// How soon the consequence of withdrawal happens (`30 days`).
    pub deletion_deadline: String,
}

impl Notice {
    /// The notice with the reader's own count of each data category: a
    /// category listed in `counts` (by id, the first entry wins) gets its
    /// count, the others keep theirs.
    pub fn with_counts(mut self, counts: &[(String, u64)]) -> Notice {
        for data in &mut self.data {
            if let Some((_, count)) = counts.iter().find(|(id, _)| *id == data.id) {
                data.count = Some(*count);
            }
        }
        self
    }
}

/// The data categories `ids` of `policy`, each with its name in `lang` (else
/// in the policy's first language; an undeclared id names itself).
fn data_refs(policy: &Policy, lang: &str, ids: &[String]) -> Vec<NoticeDataRef> {
    let fallback = policy.languages.first().map(String::as_str).unwrap_or("en");
    ids.iter()
        .map(|id| NoticeDataRef {
            id: id.clone(),
            name: policy
                .data
                .iter()
                .find(|d| d.id == *id)
                .map_or_else(|| id.clone(), |d| d.name.get(lang, fallback).to_owned()),
        })
        .collect()
}

/// The notice of `policy` in `lang`: each text in `lang`, else in the policy's
/// first language ([`Text::get`]); the labels' language for names of bases,
/// mechanisms, channels and rights (English when `lang` is not one of them).
pub fn notice(policy: &Policy, lang: &str) -> Notice {
    let words = labels(lang);
    let fallback = policy.languages.first().map(String::as_str).unwrap_or("en");
    let text = |t: &Text| t.get(lang, fallback).to_owned();
    let optional = |t: &Option<Text>| t.as_ref().map(text);
    let data_refs = |ids: &[String]| data_refs(policy, lang, ids);
    let basis = |basis: LegalBasis| NoticeBasis {
        basis,
        name: words.basis_name(basis).to_owned(),
        article: words.basis_article(basis).to_owned(),
    };
    let channels = |channels: &[Channel]| -> Vec<NoticeChannel> {
        channels
            .iter()
            .map(|&channel| NoticeChannel {
                channel,
                name: words.channel_name(channel).to_owned(),
            })
            .collect()
    };
    let c = &policy.controller;
    Notice {
        lang: lang.to_owned(),
        policy: policy.id.clone(),
        revision: policy.revision,
        effective: policy.effective.clone(),
        languages: policy.languages.clone(),
        role: policy.role,
        controller: NoticeController {
            legal_name: c.legal_name.clone(),
            form: c.form.clone(),
            registration: c.registration.clone(),
            address: c.address.clone(),
            country: c.country.clone(),
            email: c.email.value().cloned(),
            dpo: c.dpo.value().map(|dpo| NoticeDpo {
                appointed: dpo.appointed,
                name: dpo.name.clone(),
                email: dpo.email.clone(),
                note: optional(&dpo.note),
            }),
        },
        purposes: policy
            .purposes
            .iter()
            .map(|p| NoticePurpose {
                id: p.id.clone(),
                name: text(&p.name),
                description: optional(&p.description),
                for_customers: p.role_in(policy) == PurposeRole::Processor,
                bases: p.basis.iter().copied().map(basis).collect(),
                legitimate_interest: optional(&p.legitimate_interest),
                data: data_refs(&p.data),
                withdrawal: channels(&p.withdrawal),
            })
            .collect(),
        cookies: policy
            .categories
            .iter()
            .map(|cat| NoticeCookieCategory {
                category: cat.id,
                name: text(&cat.name),
                description: text(&cat.description),
                basis: cat.basis.map(basis),
                services: cat
                    .services
                    .iter()
                    .map(|s| NoticeService {
                        id: s.id.clone(),
                        name: optional(&s.name),
                        provider: s.provider.clone(),
                        purpose: text(&s.purpose),
                        cookies: s.cookies.clone(),
                    })
                    .collect(),
            })
            .collect(),
        data: policy
            .data
            .iter()
            .map(|d| NoticeData {
                id: d.id.clone(),
                name: text(&d.name),
                description: optional(&d.description),
                special: d.special,
                special_name: d.special.map(|c| words.special_names.of(c).to_owned()),
                subjects: d.subjects.iter().map(|s| s.get(lang, fallback)).collect(),
                source: optional(&d.source),
                count: None,
            })
            .collect(),
        retention: policy
            .retention
            .iter()
            .map(|r| NoticeRetention {
                data: data_refs(&r.data),
                period: words.periods.bound(&r.period, r.at_most),
                tied_to: optional(&r.tied_to),
                end: r.end.map(|end| words.retention_end(end).to_owned()),
                legal_hold: optional(&r.legal_hold),
                counted_from: r
                    .after
                    .as_ref()
                    .map_or_else(|| words.creation.to_owned(), text),
                reference: r.reference.as_ref().map(|p| p.get(lang, fallback)),
                basis: r.basis,
            })
            .collect(),
        subprocessors: recipients::subprocessors(policy, lang),
        recipients: recipients::recipients(policy, lang),
        rights: NoticeRights {
            response_time: policy
                .rights
                .response_time
                .value()
                .map(|t| words.periods.name(t)),
            extension: policy
                .rights
                .extension
                .as_ref()
                .map(|e| words.periods.name(e)),
            offered: policy
                .rights
                .offered
                .iter()
                .map(|r| NoticeRight {
                    right: r.right,
                    name: words.right_name(r.right).to_owned(),
                    article: words.right_article(r.right).to_owned(),
                    channels: channels(&r.how),
                    note: optional(&r.note),
                })
                .collect(),
        },
        special: policy
            .special
            .iter()
            .map(|s| NoticeSpecial {
                id: s.id.clone(),
                name: text(&s.name),
                description: text(&s.description),
                purpose: s.purpose.clone(),
                data: data_refs(&s.data),
                recipients: s.recipients.clone(),
                withdrawal: text(&s.withdrawal),
                deletion_deadline: words.periods.name(&s.deletion_deadline),
            })
            .collect(),
        authority: c.authority.value().cloned(),
    }
}
