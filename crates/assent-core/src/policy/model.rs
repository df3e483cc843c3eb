//! The policy model: what a controller processes, why, on which legal basis,
//! for how long, with whom, and which cookies it sets. One file of this shape
//! (TOML for people, JSON for the script tag) drives the banner, the consent
//! manager, the rights panel and the notice. Reference: `docs/policy.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::processor::{ProcessorTerms, PurposeRole, Role};
use super::recipient::{Onward, Recipient};
use super::written::{OneOrMany, Phrase, Stated};
use crate::Category;

/// A text in each of the policy's languages (`name.en = "…"`, `name.fr = "…"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// Whether it has no language at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text in `language`, else in `fallback`, else any.
    pub fn get(&self, language: &str, fallback: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A whole policy file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// Format version of this file; `1`.
    pub format: u32,
    /// Stable identifier of the policy (e.g. `pix2clip`).
    pub id: String,
    /// Revision number; must increase with every published change.
    pub revision: u32,
    /// Date the revision takes effect, `YYYY-MM-DD`.
    pub effective: String,
    /// Date the revision was announced, `YYYY-MM-DD`: for a processor, when
    /// its customers were told of the sub-processor changes it makes, which
    /// must leave them the notice its terms promise before `effective`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<String>,
    /// Languages of every text, as BCP 47 tags; the first is the default.
    pub languages: Vec<String>,
    /// How long a consent decision is kept before asking again (`6 months` by
    /// default, at most `13 months`: CNIL deliberation 2020-092).
    #[serde(default)]
    pub consent_lifetime: Option<String>,
    /// Whether the organisation is a controller, a processor for its
    /// customers, or both (GDPR Art 4(7), 4(8)); `controller` when absent.
    #[serde(default, skip_serializing_if = "Role::is_controller")]
    pub role: Role,
    /// The organisation: who decides the purposes and means of its own
    /// processing (GDPR Art 4(7), 13(1)(a)), and the processor of its
    /// customers' when `role` says so.
    pub controller: Controller,
    /// What it commits to as a processor (Art 28(3)); required when `role` is
    /// `processor` or `both`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor: Option<ProcessorTerms>,
    /// Why personal data is processed, each with its legal basis (Art 6, 9).
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// Cookie and storage categories and the services in each (ePrivacy Art 5(3)).
    #[serde(default)]
    pub categories: Vec<CookieCategory>,
    /// Categories of personal data (Art 14(1)(d)).
    #[serde(default)]
    pub data: Vec<DataCategory>,
    /// How long each data category is kept (Art 13(2)(a)).
    #[serde(default)]
    pub retention: Vec<Retention>,
    /// Processors and sub-processors, with their transfers (Art 28, 44–49).
    #[serde(default)]
    pub subprocessors: Vec<SubProcessor>,
    /// Recipients that are not processors: independent and joint controllers
    /// (Art 13(1)(e), 26).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<Recipient>,
    /// The rights offered and how to exercise them (Art 12–22).
    pub rights: Rights,
    /// Processing that needs its own consent screen, such as voice cloning.
    #[serde(default)]
    pub special: Vec<SpecialProcessing>,
}

/// The controller.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Controller {
    /// Registered legal name.
    pub legal_name: String,
    /// Legal form (SAS, s.r.o., GmbH…).
    #[serde(default)]
    pub form: Option<String>,
    /// Company registration (e.g. `SIREN 940 163 496`).
    #[serde(default)]
    pub registration: Option<String>,
    /// Registered address.
    pub address: String,
    /// Country of establishment, ISO 3166-1 alpha-2: the jurisdiction consent
    /// records name (`docs/records.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The controller's IANA time zone (`Europe/Paris`): the calendar in which
    /// the deadlines of rights requests end (GDPR Art 12(3)); UTC when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Contact e-mail for privacy requests, or `not-stated`.
    pub email: Stated<String>,
    /// Data protection officer, or the contact point when none is appointed
    /// (Art 37), or `not-stated`.
    pub dpo: Stated<Dpo>,
    /// The competent supervisory authority (Art 13(2)(d), 77), or `not-stated`.
    pub authority: Stated<Authority>,
}

impl Controller {
    /// Where people write about their data: the privacy e-mail, else the
    /// DPO's or contact point's; `None` when the source states neither.
    pub fn contact_email(&self) -> Option<&str> {
        self.email
            .value()
            .or(self.dpo.value().map(|d| &d.email))
            .map(String::as_str)
    }
}

/// Data protection officer (Art 37–39).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Dpo {
    /// Whether a DPO is appointed.
    pub appointed: bool,
    /// DPO or contact-point e-mail.
    pub email: String,
    /// Name, when appointed.
    #[serde(default)]
    pub name: Option<String>,
    /// Why none is appointed, or other details.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A supervisory authority.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Authority {
    /// Name (e.g. `CNIL`).
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Web site.
    #[serde(default)]
    pub url: Option<String>,
}

/// A legal basis for processing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LegalBasis {
    /// Art 6(1)(a).
    Consent,
    /// Art 6(1)(b).
    Contract,
    /// Art 6(1)(c).
    LegalObligation,
    /// Art 6(1)(d).
    VitalInterests,
    /// Art 6(1)(e).
    PublicTask,
    /// Art 6(1)(f).
    LegitimateInterest,
    /// Art 9(2)(a): explicit consent, for special categories.
    ExplicitConsent,
}

impl LegalBasis {
    /// The article it rests on, for notices.
    pub fn article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "GDPR Art. 6(1)(a)",
            LegalBasis::Contract => "GDPR Art. 6(1)(b)",
            LegalBasis::LegalObligation => "GDPR Art. 6(1)(c)",
            LegalBasis::VitalInterests => "GDPR Art. 6(1)(d)",
            LegalBasis::PublicTask => "GDPR Art. 6(1)(e)",
            LegalBasis::LegitimateInterest => "GDPR Art. 6(1)(f)",
            LegalBasis::ExplicitConsent => "GDPR Art. 9(2)(a)",
        }
    }

    /// Whether the basis is consent (ordinary or explicit).
    pub fn is_consent(self) -> bool {
        matches!(self, LegalBasis::Consent | LegalBasis::ExplicitConsent)
    }
}

/// Where a consent can be withdrawn (Art 7(3)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// The consent manager (banner / "Privacy settings").
    ConsentManager,
    /// The signed-in rights panel ("Settings > GDPR & my data").
    Panel,
    /// Writing to the controller's contact address.
    Contact,
    /// Through the customer, the controller, whom a processor assists
    /// (Art 28(3)(e)): a processor's policy offers rights this way.
    Customer,
}

/// A purpose of processing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Purpose {
    /// Identifier, unique in the file.
    pub id: String,
    /// Name shown to users.
    pub name: Text,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<Text>,
    /// Whether the organisation pursues this purpose as controller or on its
    /// customers' behalf as processor; absent: as processor in a processor's
    /// policy, else as controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<PurposeRole>,
    /// Legal bases; several when parts of the purpose rest on different ones.
    /// None for a processor's purpose: the customer determines it.
    #[serde(default)]
    pub basis: Vec<LegalBasis>,
    /// The legitimate interest pursued, when a basis is `legitimate-interest` (Art 13(1)(d)).
    #[serde(default)]
    pub legitimate_interest: Option<Text>,
    /// Data categories processed (ids of `[[data]]`).
    #[serde(default)]
    pub data: Vec<String>,
    /// The cookie category this purpose stores or reads on the device, if any.
    #[serde(default)]
    pub category: Option<Category>,
    /// Whether consent starts granted. Must be `false` (EDPB taskforce practice B).
    #[serde(default)]
    pub on_by_default: bool,
    /// Whether the user can refuse. Must be `true` for consent (practice A).
    #[serde(default = "yes")]
    pub rejectable: bool,
    /// Where consent to this purpose is withdrawn (Art 7(3)).
    #[serde(default)]
    pub withdrawal: Vec<Channel>,
}

fn yes() -> bool {
    true
}

impl Purpose {
    /// The role in which `policy`'s organisation pursues this purpose.
    pub fn role_in(&self, policy: &Policy) -> PurposeRole {
        self.role.unwrap_or(match policy.role {
            Role::Processor => PurposeRole::Processor,
            Role::Controller | Role::Both => PurposeRole::Controller,
        })
    }
}

/// What a service does, to check that "strictly necessary" is really so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// Sign-in sessions.
    Authentication,
    /// Anti-CSRF, fraud prevention, load balancing.
    Security,
    /// Remembering a choice the user made (language, consent itself).
    Preferences,
    /// Shopping cart or another feature the user asked for.
    UserRequested,
    /// Audience measurement.
    Analytics,
    /// Advertising and its measurement.
    Advertising,
    /// Personalised content or recommendations.
    Personalization,
    /// Social network plug-ins.
    Social,
    /// Embedded third-party media (video, maps).
    Media,
}

impl ServiceKind {
    /// Whether this kind can be exempt from consent under ePrivacy Art 5(3).
    pub fn can_be_strictly_necessary(self) -> bool {
        matches!(
            self,
            ServiceKind::Authentication
                | ServiceKind::Security
                | ServiceKind::Preferences
                | ServiceKind::UserRequested
        )
    }
}

/// Google Consent Mode v2 consent types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ConsentModeType {
    AdStorage,
    AdUserData,
    AdPersonalization,
    AnalyticsStorage,
    FunctionalityStorage,
    PersonalizationStorage,
    SecurityStorage,
}

/// A cookie/storage category as shown in the consent manager.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CookieCategory {
    /// Which category.
    pub id: Category,
    /// Name shown to users.
    pub name: Text,
    /// What it is for.
    pub description: Text,
    /// Legal basis of the storage: `consent`, or none for strictly necessary.
    #[serde(default)]
    pub basis: Option<LegalBasis>,
    /// Google Consent Mode types granted with this category.
    #[serde(default)]
    pub consent_mode: Vec<ConsentModeType>,
    /// The services in this category.
    #[serde(default)]
    pub services: Vec<Service>,
}

/// A service that stores or reads on the device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Service {
    /// Identifier (`data-service` in the page).
    pub id: String,
    /// Its name for users (`Sign-in session`), in each language; absent: it
    /// is named by its provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Who provides it.
    pub provider: String,
    /// What it does.
    pub kind: ServiceKind,
    /// What it is for, for users.
    pub purpose: Text,
    /// Its cookies and storage keys, cleared on withdrawal.
    #[serde(default)]
    pub cookies: Vec<Cookie>,
}

/// Where a cookie-like item is stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    /// An HTTP cookie.
    #[default]
    Cookie,
    /// `localStorage`.
    LocalStorage,
    /// `sessionStorage`.
    SessionStorage,
    /// IndexedDB.
    Indexeddb,
}

/// A cookie or storage key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Cookie {
    /// Exact name, or a pattern with `*` (e.g. `_ga_*`).
    pub name: String,
    /// Where it is stored.
    #[serde(default)]
    pub storage: Storage,
    /// Cookie domain, when not the page's host.
    #[serde(default)]
    pub domain: Option<String>,
    /// Cookie path, when not `/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Lifetime: `session` or a period such as `13 months`.
    pub lifetime: String,
}

/// Special categories of data (Art 9(1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum SpecialCategory {
    Biometric,
    Health,
    Genetic,
    RacialOrEthnicOrigin,
    PoliticalOpinions,
    ReligiousBeliefs,
    TradeUnion,
    SexLife,
}

/// A category of personal data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataCategory {
    /// Identifier, unique in the file.
    pub id: String,
    /// Name shown to users.
    pub name: Text,
    /// Examples or details.
    #[serde(default)]
    pub description: Option<Text>,
    /// Set when the data is a special category (Art 9).
    #[serde(default)]
    pub special: Option<SpecialCategory>,
    /// Whose data it is (users, customers' end users…), in each language.
    #[serde(default)]
    pub subjects: Vec<Phrase>,
    /// Where the data comes from when it is not collected from the person
    /// (Art 14(2)(f): the source, and whether it is publicly accessible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
}

/// A retention rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Retention {
    /// Data categories it applies to.
    pub data: Vec<String>,
    /// How long: a period (`1 year`, `30 days`) or `until-deleted` / `transaction`.
    pub period: String,
    /// The period is an upper bound: the data goes "no later than" its end.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_most: bool,
    /// The data is kept for the life of another item and goes with it (`the
    /// project it belongs to`); `period` is then usually `until-deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tied_to: Option<Text>,
    /// What happens at the end: deleted (when absent), anonymised, or either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<RetentionEnd>,
    /// When the data may be kept longer: a legal hold, a statutory duty that
    /// remains reserved, a dispute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<Text>,
    /// The event the period counts from (e.g. "last login"); creation when absent.
    #[serde(default)]
    pub after: Option<Text>,
    /// The rule's legal reference (e.g. "French Commercial Code Art. L123-22"),
    /// in each language.
    #[serde(default)]
    pub reference: Option<Phrase>,
    /// `legal-obligation` when a law requires keeping the data this long: the
    /// data then outlives an erasure of the account (GDPR Art 17(3)(b)) until
    /// the period ends. Absent: the rule is the controller's own choice, and an
    /// erasure deletes the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<LegalBasis>,
}

/// What becomes of data at the end of its retention period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RetentionEnd {
    /// Deleted.
    Deleted,
    /// Anonymised (no longer personal data, Recital 26).
    Anonymised,
    /// Deleted or anonymised.
    DeletedOrAnonymised,
}

/// How a transfer outside the EEA is lawful (Chapter V GDPR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Mechanism {
    /// Country with an adequacy decision (Art 45).
    Adequacy,
    /// EU–US Data Privacy Framework certification (adequacy decision of 2023).
    Dpf,
    /// Standard contractual clauses, Decision 2021/914 (Art 46(2)(c)).
    Scc,
    /// Binding corporate rules (Art 47).
    Bcr,
    /// A derogation of Art 49.
    Derogation,
}

/// A transfer of data outside the EEA.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Transfer {
    /// The legal mechanism.
    pub mechanism: Mechanism,
    /// SCC module (1–4), when `scc`, or `not-stated`.
    #[serde(default)]
    pub module: Option<Stated<u8>>,
    /// Supplementary measures (encryption, minimisation…).
    #[serde(default)]
    pub measures: Option<Text>,
    /// A fallback, not the safeguard relied on now: kept in case the data
    /// ever leaves the EEA or an adequate country, or another safeguard
    /// lapses. The notice says so; it covers no country for the lint.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contingency: bool,
}

/// A processor or sub-processor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubProcessor {
    /// Legal name.
    pub name: String,
    /// What it does for the controller.
    pub role: Text,
    /// Where the data is processed: an ISO 3166-1 alpha-2 code (`DE`, `CN`,
    /// `US`), or a list of them for a recipient that processes in several.
    pub country: OneOrMany<String>,
    /// Region or site detail (e.g. `fr-par`).
    #[serde(default)]
    pub region: Option<String>,
    /// Data categories it receives.
    #[serde(default)]
    pub data: Vec<String>,
    /// The transfer safeguard, required outside the EEA and adequate
    /// countries; a list when several apply at once (SCC modules 2 and 3,
    /// SCCs beside the Data Privacy Framework, one kept as a contingency).
    #[serde(default)]
    pub transfer: Option<OneOrMany<Transfer>>,
    /// Transfers it makes in turn, to its affiliates or its own
    /// sub-processors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onward: Vec<Onward>,
}

impl SubProcessor {
    /// The countries it processes data in.
    pub fn countries(&self) -> impl Iterator<Item = &str> + Clone {
        self.country.iter().map(String::as_str)
    }

    /// Its transfer safeguards, contingencies included.
    pub fn transfers(&self) -> &[Transfer] {
        self.transfer.as_ref().map_or(&[], |t| t.0.as_slice())
    }
}

/// A data-subject right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Right {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
    /// Art 22: not to be subject to a decision based solely on automated
    /// processing, and to obtain human intervention.
    AutomatedDecisions,
    WithdrawConsent,
    /// Art 9(2)(a), 7(3): withdrawing an explicit consent to special-category
    /// processing (a voice model, say), with what the withdrawal does.
    WithdrawSpecialConsent,
    PostMortemDirectives,
}

/// The rights offered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rights {
    /// Answer time (Art 12(3): one month), or `not-stated`.
    pub response_time: Stated<String>,
    /// Extension for complex requests (Art 12(3): two further months).
    #[serde(default)]
    pub extension: Option<String>,
    /// Each right and where it is exercised.
    pub offered: Vec<RightOffer>,
}

/// One right and how to exercise it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RightOffer {
    /// Which right.
    pub right: Right,
    /// Where it is exercised.
    pub how: Vec<Channel>,
    /// Details for users.
    #[serde(default)]
    pub note: Option<Text>,
}

/// Processing with its own explicit-consent screen (e.g. voice cloning).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SpecialProcessing {
    /// Identifier.
    pub id: String,
    /// Name shown to users.
    pub name: Text,
    /// What is done and why.
    pub description: Text,
    /// The purpose (id) it belongs to; its basis must be `explicit-consent`.
    pub purpose: String,
    /// Data categories (ids).
    pub data: Vec<String>,
    /// Recipients: sub-processor names.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// What withdrawing consent does.
    pub withdrawal: Text,
    /// Deadline for the consequence of withdrawal (e.g. `30 days`).
    pub deletion_deadline: String,
    /// The express statement a person affirms to give explicit consent
    /// (GDPR Art 9(2)(a); EDPB Guidelines 05/2020 §§ 91–98), in each language.
    /// The rights API refuses a consent given to any other text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Text>,
}
