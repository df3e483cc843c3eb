//! The organisation's role (GDPR Art 4(7) controller, Art 4(8) processor) and
//! what a processor commits to in its data processing agreement (Art 28(3)),
//! as data: a policy can describe a company that is a controller for its own
//! users and a processor for its business customers, or a processor only.
//! Reference for authors: `docs/policy.md`, "Roles and processor terms".

use serde::{Deserialize, Serialize};

use super::model::Text;

/// In which role the organisation processes personal data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// It decides the purposes and means (Art 4(7)): every purpose is its own.
    #[default]
    Controller,
    /// It processes on behalf of its customers (Art 4(8)): its purposes are
    /// its customers' unless a purpose says `role = "controller"`.
    Processor,
    /// Controller for some processing, processor for other: a purpose is the
    /// organisation's own unless it says `role = "processor"`.
    Both,
}

impl Role {
    /// Whether the organisation is a controller only (the default, left out
    /// when a policy or notice is written).
    pub fn is_controller(&self) -> bool {
        *self == Role::Controller
    }

    /// Whether the organisation processes data on behalf of customers.
    pub fn processes_for_customers(self) -> bool {
        self != Role::Controller
    }
}

/// The role in which one purpose is pursued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PurposeRole {
    /// The organisation's own purpose: it names the legal basis.
    Controller,
    /// A purpose of the customer, pursued on its documented instructions
    /// (Art 28(3)(a)): the customer determines the legal basis.
    Processor,
}

/// What a processor commits to (GDPR Art 28(3)): the `[processor]` table,
/// required when the policy's `role` is `processor` or `both`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProcessorTerms {
    /// Who the controller is: the customer, as the agreement names it.
    pub customer: Text,
    /// The nature and purpose of the processing done for the customer (Art 28(3)).
    pub nature: Text,
    /// The categories of data subjects (Art 28(3)).
    #[serde(default)]
    pub subjects: Vec<Text>,
    /// The categories of personal data processed for the customer (ids of `[[data]]`).
    #[serde(default)]
    pub data: Vec<String>,
    /// Telling the customer of a personal-data breach (Art 28(3)(f), Art 33(2)).
    pub breach_notification: BreachNotification,
    /// Adding or replacing a sub-processor (Art 28(2), (4)).
    pub subprocessor_changes: SubprocessorChanges,
    /// Helping the customer answer data subjects' requests (Art 28(3)(e)).
    #[serde(default)]
    pub assistance: Option<Assistance>,
    /// Audits and inspections (Art 28(3)(h)).
    #[serde(default)]
    pub audits: Option<Audits>,
    /// Return or deletion of the data when the contract ends (Art 28(3)(g)).
    pub end_of_contract: EndOfContract,
    /// The security measures taken (Art 28(3)(c), Art 32), one per line.
    #[serde(default)]
    pub security_measures: Vec<Text>,
}

/// How the customer hears of a personal-data breach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BreachNotification {
    /// At the latest this long after the processor becomes aware (`48 hours`);
    /// it must leave the customer its own 72 hours (Art 33(1)).
    #[serde(default)]
    pub within: Option<String>,
    /// How (`e-mail to the account's owner`).
    #[serde(default)]
    pub channel: Option<Text>,
}

/// Notice of a new or replaced sub-processor and the customer's objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubprocessorChanges {
    /// How long before the change the customer is told (`30 days`).
    #[serde(default)]
    pub notice: Option<String>,
    /// How the customer is told.
    #[serde(default)]
    pub channel: Option<Text>,
    /// How long the customer has to object (`14 days`); absent: not stated.
    #[serde(default)]
    pub objection_window: Option<String>,
    /// What happens on an objection (`the customer may end the affected service`).
    #[serde(default)]
    pub on_objection: Option<Text>,
}

/// Help with data subjects' requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assistance {
    /// How fast the processor helps (`10 days`).
    #[serde(default)]
    pub response_time: Option<String>,
    /// What it does (`forwards any request it receives, answers none itself`).
    #[serde(default)]
    pub note: Option<Text>,
}

/// The customer's audits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Audits {
    /// How long before an audit the customer asks (`30 days`).
    #[serde(default)]
    pub notice: Option<String>,
    /// How often (`once a year, more after a major incident`).
    #[serde(default)]
    pub frequency: Option<Text>,
}

/// The data when the contract ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndOfContract {
    /// Returned or deleted at the latest this long after the end (`90 days`).
    #[serde(default)]
    pub deadline: Option<String>,
    /// Whether the customer can have the data returned (else it is deleted).
    #[serde(default)]
    pub return_offered: bool,
    /// The format of returned data (`a structured, commonly used format`).
    #[serde(default)]
    pub format: Option<Text>,
    /// Whether the deletion is certified in writing.
    #[serde(default)]
    pub certificate: bool,
    /// How long after the end the customer has to choose between return and
    /// deletion (`30 days`), when the agreement gives it a choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_window: Option<String>,
    /// What the processor may keep after the end, and why (`accounting records
    /// the law requires`): a statutory duty that remains reserved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<Text>,
}
