//! Consent records and ledger receipts: the wire format of `docs/records.md`.
//!
//! A [`Record`] is one consent event, signed by the device as a JWS over its
//! JCS (RFC 8785) form and posted to a ledger, which answers with a signed
//! [`Receipt`]. These types are the format: the widget builds records from
//! them and the reference ledger (`crates/assent-ledger`) reads them, so the
//! two can never disagree on a field. Deserialising refuses unknown fields;
//! [`Record::validate`] checks every rule serde cannot express and names the
//! offending field. Nothing here signs, hashes a key or reads a clock: callers
//! do that and pass the results in. What a record says about the event (its
//! method, each purpose's state) is decided here too ([`purposes`],
//! [`Method::of`]), once for the widget, the loader and the server.
//!
//! JSON Schema: `docs/records.schema.json` (`cargo xtask schema`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

mod event;
pub use event::purposes;

use crate::policy::model::LegalBasis;
use crate::stored::MAX_TIMESTAMP_MS;
use crate::{Category, Decision};

/// The `schema` of every record of this format.
pub const SCHEMA: &str = "assent-record/1";
/// The `schema` of every receipt of this format.
pub const RECEIPT_SCHEMA: &str = "assent-receipt/1";
/// The `typ` of a record's JWS protected header.
pub const RECORD_TYP: &str = "assent-record+jws";
/// The `typ` of a receipt's JWS protected header.
pub const RECEIPT_TYP: &str = "assent-receipt+jws";

/// Pattern of a hash: `sha256:` and 64 lowercase hex digits.
pub const HASH_PATTERN: &str = "^sha256:[0-9a-f]{64}$";
/// Pattern of a subject: an RFC 7638 thumbprint, 32 bytes in unpadded base64url.
pub const SUBJECT_PATTERN: &str = "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$";
/// Pattern of a record id: a lowercase UUID, version 4.
pub const ID_PATTERN: &str =
    "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";
#[cfg(feature = "schema")]
const LANGUAGE_PATTERN: &str = "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$";
#[cfg(feature = "schema")]
const JURISDICTION_PATTERN: &str = "^[A-Z]{2}$";
#[cfg(feature = "schema")]
const SCHEMA_PATTERN: &str = "^assent-record/1$";
#[cfg(feature = "schema")]
const RECEIPT_SCHEMA_PATTERN: &str = "^assent-receipt/1$";

/// The longest free-text field (names, ids, versions) a record may carry.
const MAX_TEXT: usize = 256;
/// The longest `decision` (a stored value, cookie-sized).
const MAX_DECISION: usize = 4096;
/// The most purposes one record may list.
const MAX_PURPOSES: usize = 512;

/// One consent event, the payload of a record JWS (`docs/records.md`, "The record").
///
/// The fields of a record and of its parts are declared in the order of
/// their JSON names, so `serde_json` writes a record in its JCS (RFC 8785)
/// key order: the ledger's canonical-form check relies on it, and its tests
/// (`assent_ledger::jcs`) compare with a JCS encoder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transform = record_conditions))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Record {
    /// The host's own account id at the time of the event; absent when none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "String", length(min = 1, max = MAX_TEXT))
    )]
    pub account: Option<String>,
    /// The policy's controller.
    pub controller: Controller,
    /// The stored value the loader applies (`stored.rs`), so the record replays exactly.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_DECISION)))]
    pub decision: String,
    /// Whether the browser sent Global Privacy Control when the decision was made.
    pub gpc: bool,
    /// A random UUID (version 4, lowercase), also the idempotency key.
    #[cfg_attr(feature = "schema", schemars(pattern(ID_PATTERN)))]
    pub id: String,
    /// ISO 3166-1 alpha-2 country of the controller, else `EU`.
    #[cfg_attr(feature = "schema", schemars(pattern(JURISDICTION_PATTERN)))]
    pub jurisdiction: String,
    /// The BCP 47 tag of the UI language the user decided in.
    #[cfg_attr(feature = "schema", schemars(pattern(LANGUAGE_PATTERN)))]
    pub language: String,
    /// How the decision was collected.
    pub method: Method,
    /// The policy the user saw.
    pub policy: PolicyRef,
    /// The record hash of this device's record `seq - 1`; `null` when `seq` is 1.
    #[serde(deserialize_with = "nullable")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            required,
            pattern(HASH_PATTERN),
            extend("type" = ["string", "null"])
        )
    )]
    pub previous: Option<String>,
    /// Every category the policy declares, then every service.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_PURPOSES)))]
    pub purposes: Vec<Purpose>,
    /// Format of this record: always `assent-record/1`.
    #[cfg_attr(feature = "schema", schemars(pattern(SCHEMA_PATTERN)))]
    pub schema: String,
    /// Position in this device's chain, 1 for its first record.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = MAX_TIMESTAMP_MS)))]
    pub seq: u64,
    /// RFC 7638 JWK thumbprint (base64url SHA-256) of the device's public key.
    #[cfg_attr(feature = "schema", schemars(pattern(SUBJECT_PATTERN)))]
    pub subject: String,
    /// When the event happened, Unix milliseconds.
    #[cfg_attr(feature = "schema", schemars(range(max = MAX_TIMESTAMP_MS)))]
    pub time: u64,
    /// `time` plus the policy's consent lifetime; `null` for `expiry` records.
    #[serde(deserialize_with = "nullable")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            required,
            range(max = MAX_TIMESTAMP_MS),
            extend("type" = ["integer", "null"])
        )
    )]
    pub valid_until: Option<u64>,
    /// The widget that collected the decision.
    pub widget: Widget,
}

/// The controller named in a record (ISO/IEC TS 27560 "controllers").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Controller {
    /// Contact e-mail for privacy requests.
    #[cfg_attr(feature = "schema", schemars(length(min = 3, max = MAX_TEXT)))]
    pub contact: String,
    /// Legal name.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_TEXT)))]
    pub name: String,
}

impl Controller {
    /// The controller of `policy`, as records and the page configuration name it.
    pub fn of(policy: &crate::policy::model::Policy) -> Controller {
        Controller {
            name: policy.controller.legal_name.clone(),
            // A policy that collects consent states a contact (lint
            // `not-stated-required`).
            contact: policy
                .controller
                .contact_email()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// The jurisdiction records name for `policy`: its controller's country,
    /// or `EU`.
    pub fn jurisdiction(policy: &crate::policy::model::Policy) -> String {
        policy
            .controller
            .country
            .clone()
            .unwrap_or_else(|| "EU".to_owned())
    }
}

/// The policy a record was made under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyRef {
    /// The policy content hash (`assent_core::policy::hash::content_hash`).
    #[cfg_attr(feature = "schema", schemars(pattern(HASH_PATTERN)))]
    pub hash: String,
    /// The policy id.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_TEXT)))]
    pub id: String,
    /// The policy revision.
    pub revision: u32,
}

/// How a decision was collected (ISO/IEC TS 27560 "collection method").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// "Accept all" in the banner or the preferences dialog.
    AcceptAll,
    /// "Reject all" in the banner or the preferences dialog.
    RejectAll,
    /// Saved category by category (or service by service) from the preferences dialog.
    Preferences,
    /// An embed's "Always allow".
    AllowService,
    /// The rights panel.
    RightsPanel,
    /// The Global Privacy Control signal, without a click.
    GpcSignal,
    /// The consent lifetime ran out.
    Expiry,
}

impl Method {
    /// Every method, in the order declared.
    pub const ALL: [Method; 7] = [
        Method::AcceptAll,
        Method::RejectAll,
        Method::Preferences,
        Method::AllowService,
        Method::RightsPanel,
        Method::GpcSignal,
        Method::Expiry,
    ];
}

/// Whether a purpose is a consent category or one service in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A consent category (`id` is its key, e.g. `analytics`).
    Category,
    /// A service (`id` is its `data-service` id; `category` names its category).
    Service,
}

/// The state of consent to one purpose (ISO/IEC TS 27560 event states, plus one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Given.
    Given,
    /// Never given, or refused again.
    Refused,
    /// Given in this device's previous record, refused now.
    Withdrawn,
    /// In an `expiry` record: the lifetime ran out.
    Expired,
    /// Strictly necessary storage, exempt from consent (ePrivacy Art 5(3)).
    NotRequired,
}

impl State {
    /// Every state, in the order declared.
    pub const ALL: [State; 5] = [
        State::Given,
        State::Refused,
        State::Withdrawn,
        State::Expired,
        State::NotRequired,
    ];
}

/// One purpose of a record: a category or a service, its state and legal basis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Purpose {
    /// The legal basis (a policy basis, `docs/records.md` "Legal basis").
    pub basis: LegalBasis,
    /// A service's category key; absent for categories.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Category"))]
    pub category: Option<String>,
    /// The category key or the service id.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 64)))]
    pub id: String,
    /// Category or service.
    pub kind: Kind,
    /// The state of consent.
    pub state: State,
}

/// The widget that collected a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Widget {
    /// The hash of the UI texts shown (`docs/records.md`, "UI texts hash").
    #[cfg_attr(feature = "schema", schemars(pattern(HASH_PATTERN)))]
    pub texts: String,
    /// The widget version.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 64)))]
    pub version: String,
}

/// A ledger's receipt for one stored record, the payload of a receipt JWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Receipt {
    /// The record hash.
    #[cfg_attr(feature = "schema", schemars(pattern(HASH_PATTERN)))]
    pub hash: String,
    /// The RFC 7638 thumbprint of the ledger key that signed the receipt.
    #[cfg_attr(feature = "schema", schemars(pattern(SUBJECT_PATTERN)))]
    pub ledger: String,
    /// When the ledger received the record, Unix milliseconds.
    #[cfg_attr(feature = "schema", schemars(range(max = MAX_TIMESTAMP_MS)))]
    pub received: u64,
    /// The record id.
    #[cfg_attr(feature = "schema", schemars(pattern(ID_PATTERN)))]
    pub record: String,
    /// Format of this receipt: always `assent-receipt/1`.
    #[cfg_attr(feature = "schema", schemars(pattern(RECEIPT_SCHEMA_PATTERN)))]
    pub schema: String,
    /// The record's `seq`.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = MAX_TIMESTAMP_MS)))]
    pub seq: u64,
    /// The record's subject.
    #[cfg_attr(feature = "schema", schemars(pattern(SUBJECT_PATTERN)))]
    pub subject: String,
}

/// A rule a record or receipt breaks, with the field that breaks it
/// (`purposes[3].category`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// The offending field, as a path from the top of the record.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

impl RecordError {
    fn new(field: impl Into<String>, problem: impl Into<String>) -> RecordError {
        RecordError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl std::error::Error for RecordError {}

impl Record {
    /// Checks every rule of the format that the types alone do not hold; the
    /// error names the first offending field.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.schema != SCHEMA {
            return Err(RecordError::new("schema", format!("must be `{SCHEMA}`")));
        }
        if !is_record_id(&self.id) {
            return Err(RecordError::new("id", "must be a lowercase UUID v4"));
        }
        check_seq("seq", self.seq)?;
        match (self.seq, &self.previous) {
            (1, Some(_)) => return Err(RecordError::new("previous", "must be null when seq is 1")),
            (1, None) => {}
            (_, None) => {
                return Err(RecordError::new(
                    "previous",
                    "must be the hash of record seq - 1 when seq is over 1",
                ))
            }
            (_, Some(hash)) => check_hash("previous", hash)?,
        }
        if !is_subject(&self.subject) {
            return Err(RecordError::new(
                "subject",
                "must be a JWK thumbprint: 43 base64url characters (32 bytes)",
            ));
        }
        if let Some(account) = &self.account {
            check_text("account", account, MAX_TEXT)?;
        }
        check_text("controller.name", &self.controller.name, MAX_TEXT)?;
        if !is_email(&self.controller.contact) {
            return Err(RecordError::new(
                "controller.contact",
                "must be an e-mail address",
            ));
        }
        if !is_jurisdiction(&self.jurisdiction) {
            return Err(RecordError::new(
                "jurisdiction",
                "must be an ISO 3166-1 alpha-2 code or EU",
            ));
        }
        check_text("policy.id", &self.policy.id, MAX_TEXT)?;
        check_hash("policy.hash", &self.policy.hash)?;
        if !is_language_tag(&self.language) {
            return Err(RecordError::new(
                "language",
                "must be a BCP 47 language tag",
            ));
        }
        self.validate_purposes()?;
        check_text("widget.version", &self.widget.version, 64)?;
        check_hash("widget.texts", &self.widget.texts)?;
        check_time("time", self.time)?;
        match (self.method, self.valid_until) {
            (Method::Expiry, None) => {}
            (Method::Expiry, Some(_)) => {
                return Err(RecordError::new(
                    "valid-until",
                    "must be null in an expiry record",
                ))
            }
            (_, None) => {
                return Err(RecordError::new(
                    "valid-until",
                    "must be set unless the method is expiry",
                ))
            }
            (_, Some(until)) => {
                check_time("valid-until", until)?;
                if until <= self.time {
                    return Err(RecordError::new("valid-until", "must be after time"));
                }
            }
        }
        if self.decision.len() > MAX_DECISION {
            return Err(RecordError::new(
                "decision",
                format!("longer than {MAX_DECISION} bytes"),
            ));
        }
        if let Err(e) = Decision::decode(&self.decision) {
            return Err(RecordError::new(
                "decision",
                format!("not a stored decision: {e}"),
            ));
        }
        Ok(())
    }

    fn validate_purposes(&self) -> Result<(), RecordError> {
        if self.purposes.is_empty() {
            return Err(RecordError::new("purposes", "must not be empty"));
        }
        if self.purposes.len() > MAX_PURPOSES {
            return Err(RecordError::new(
                "purposes",
                format!("more than {MAX_PURPOSES} purposes"),
            ));
        }
        let mut seen_service = false;
        for (i, purpose) in self.purposes.iter().enumerate() {
            let at = |field: &str| format!("purposes[{i}].{field}");
            let category = match purpose.kind {
                Kind::Category => {
                    if seen_service {
                        return Err(RecordError::new(
                            at("kind"),
                            "categories come before services",
                        ));
                    }
                    if purpose.category.is_some() {
                        return Err(RecordError::new(
                            at("category"),
                            "only a service names a category",
                        ));
                    }
                    category_key(&purpose.id)
                        .ok_or_else(|| RecordError::new(at("id"), "not a consent category"))?
                }
                Kind::Service => {
                    seen_service = true;
                    if !crate::is_service_id(&purpose.id) {
                        return Err(RecordError::new(
                            at("id"),
                            "not a service id (1 to 64 of A-Z a-z 0-9 _ -)",
                        ));
                    }
                    let Some(key) = &purpose.category else {
                        return Err(RecordError::new(
                            at("category"),
                            "a service must name its category",
                        ));
                    };
                    let category = category_key(key).ok_or_else(|| {
                        RecordError::new(at("category"), "not a consent category")
                    })?;
                    let listed = self.purposes[..i]
                        .iter()
                        .any(|p| p.kind == Kind::Category && p.id == *key);
                    if !listed {
                        return Err(RecordError::new(
                            at("category"),
                            format!("category `{key}` is not listed before its service"),
                        ));
                    }
                    category
                }
            };
            if self.purposes[..i]
                .iter()
                .any(|p| p.kind == purpose.kind && p.id == purpose.id)
            {
                return Err(RecordError::new(
                    at("id"),
                    format!("`{}` is listed twice", purpose.id),
                ));
            }
            let exempt = !category.needs_consent();
            if exempt != (purpose.state == State::NotRequired) {
                return Err(RecordError::new(
                    at("state"),
                    "not-required is the state of strictly necessary purposes, and only theirs",
                ));
            }
            if purpose.state == State::Expired && self.method != Method::Expiry {
                return Err(RecordError::new(
                    at("state"),
                    "expired only appears in an expiry record",
                ));
            }
        }
        Ok(())
    }
}

impl Receipt {
    /// Checks the receipt's fields; the error names the first offending field.
    pub fn validate(&self) -> Result<(), RecordError> {
        if self.schema != RECEIPT_SCHEMA {
            return Err(RecordError::new(
                "schema",
                format!("must be `{RECEIPT_SCHEMA}`"),
            ));
        }
        if !is_record_id(&self.record) {
            return Err(RecordError::new("record", "must be a lowercase UUID v4"));
        }
        check_hash("hash", &self.hash)?;
        if !is_subject(&self.subject) {
            return Err(RecordError::new("subject", "must be a JWK thumbprint"));
        }
        check_seq("seq", self.seq)?;
        check_time("received", self.received)?;
        if !is_subject(&self.ledger) {
            return Err(RecordError::new("ledger", "must be a JWK thumbprint"));
        }
        Ok(())
    }
}

/// The record hash of a compact JWS: `sha256:` and the lowercase hex SHA-256 of
/// its ASCII bytes (header, payload and signature: a chain binds signatures).
#[cfg(feature = "policy-text")]
pub fn record_hash(jws: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(jws.as_bytes());
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// Whether `text` is a hash of this format: `sha256:` and 64 lowercase hex digits.
pub fn is_hash(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Whether `text` is the canonical unpadded base64url form of 32 bytes, as an
/// RFC 7638 SHA-256 thumbprint is.
pub fn is_subject(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 43
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        // The last character carries 4 bits of data and 2 zero padding bits.
        && b"AEIMQUYcgkosw048".contains(&bytes[42])
}

/// Whether `text` is a lowercase version 4 UUID in its hyphenated form.
pub fn is_record_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            14 => *b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b'),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}

/// Whether `text` has the form of a BCP 47 language tag (`fr`, `en-GB`, `zh-Hant-TW`).
pub fn is_language_tag(text: &str) -> bool {
    let mut subtags = text.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && text.len() <= 35
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_jurisdiction(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    text.len() <= MAX_TEXT
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The category whose key is exactly `key`.
fn category_key(key: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.key() == key)
}

fn check_hash(field: &str, hash: &str) -> Result<(), RecordError> {
    if is_hash(hash) {
        Ok(())
    } else {
        Err(RecordError::new(
            field,
            "must be `sha256:` and 64 lowercase hex digits",
        ))
    }
}

fn check_seq(field: &str, seq: u64) -> Result<(), RecordError> {
    if (1..=MAX_TIMESTAMP_MS).contains(&seq) {
        Ok(())
    } else {
        Err(RecordError::new(field, "must be from 1 to 2^53 - 1"))
    }
}

fn check_time(field: &str, ms: u64) -> Result<(), RecordError> {
    if ms <= MAX_TIMESTAMP_MS {
        Ok(())
    } else {
        Err(RecordError::new(
            field,
            "must be Unix milliseconds no larger than 2^53 - 1",
        ))
    }
}

fn check_text(field: &str, text: &str, max: usize) -> Result<(), RecordError> {
    if text.trim().is_empty() {
        Err(RecordError::new(field, "must not be empty"))
    } else if text.len() > max {
        Err(RecordError::new(field, format!("longer than {max} bytes")))
    } else if text.chars().any(char::is_control) {
        Err(RecordError::new(
            field,
            "must not contain control characters",
        ))
    } else {
        Ok(())
    }
}

/// A field that must be present and may be `null`.
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// A field that may be absent but, when present, is never `null`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The rules of `previous` and `valid-until` that depend on another field, as
/// JSON Schema conditions.
#[cfg(feature = "schema")]
fn record_conditions(schema: &mut schemars::Schema) {
    schema.insert(
        "allOf".into(),
        serde_json::json!([
            {
                "if": { "properties": { "seq": { "const": 1 } } },
                "then": { "properties": { "previous": { "type": "null" } } },
                "else": { "properties": { "previous": { "type": "string" } } }
            },
            {
                "if": { "properties": { "method": { "const": "expiry" } } },
                "then": { "properties": { "valid-until": { "type": "null" } } },
                "else": { "properties": { "valid-until": { "type": "integer" } } }
            }
        ]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBJECT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    fn hash(digit: char) -> String {
        format!("sha256:{}", digit.to_string().repeat(64))
    }

    fn purpose(id: &str, kind: Kind, state: State) -> Purpose {
        Purpose {
            id: id.into(),
            kind,
            category: None,
            state,
            basis: LegalBasis::Consent,
        }
    }

    fn record() -> Record {
        let mut youtube = purpose("youtube", Kind::Service, State::Given);
        youtube.category = Some("marketing".into());
        Record {
            schema: SCHEMA.into(),
            id: "6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10".into(),
            seq: 2,
            previous: Some(hash('9')),
            subject: SUBJECT.into(),
            account: Some("user-42".into()),
            controller: Controller {
                name: "QR Communication".into(),
                contact: "contact@qrcommunication.com".into(),
            },
            jurisdiction: "FR".into(),
            policy: PolicyRef {
                id: "pix2clip".into(),
                revision: 1,
                hash: hash('2'),
            },
            language: "fr".into(),
            method: Method::Preferences,
            gpc: false,
            purposes: vec![
                Purpose {
                    basis: LegalBasis::LegitimateInterest,
                    ..purpose("necessary", Kind::Category, State::NotRequired)
                },
                purpose("analytics", Kind::Category, State::Given),
                purpose("marketing", Kind::Category, State::Withdrawn),
                youtube,
            ],
            widget: Widget {
                version: "0.1.0".into(),
                texts: hash('5'),
            },
            time: 1_763_906_400_000,
            valid_until: Some(1_779_631_200_000),
            decision: "v2.a1m0p0.preferences.1763906400000.1.0.+youtube".into(),
        }
    }

    #[test]
    fn a_complete_record_is_valid() {
        assert_eq!(record().validate(), Ok(()));
    }

    /// Each rule of `docs/records.md`, broken alone, is refused and named.
    #[test]
    fn every_rule_names_the_field_it_protects() {
        type Break = fn(&mut Record);
        let table: &[(&str, Break)] = &[
            ("schema", |r| r.schema = "assent-record/2".into()),
            ("id", |r| {
                r.id = "6F1C0C7E-5B8A-4D55-9E1E-3D1B2F6A9C10".into()
            }),
            ("id", |r| {
                r.id = "6f1c0c7e-5b8a-1d55-9e1e-3d1b2f6a9c10".into()
            }),
            ("id", |r| r.id = "not-a-uuid".into()),
            ("seq", |r| r.seq = 0),
            ("previous", |r| r.previous = None),
            ("previous", |r| r.seq = 1),
            ("previous", |r| r.previous = Some("sha256:ABC".into())),
            ("subject", |r| r.subject = "short".into()),
            ("subject", |r| r.subject = format!("{}B", &SUBJECT[..42])),
            ("subject", |r| r.subject = format!("{}=", &SUBJECT[..42])),
            ("account", |r| r.account = Some(" ".into())),
            ("controller.name", |r| r.controller.name.clear()),
            ("controller.contact", |r| {
                r.controller.contact = "nobody".into()
            }),
            ("jurisdiction", |r| r.jurisdiction = "France".into()),
            ("jurisdiction", |r| r.jurisdiction = "fr".into()),
            ("policy.id", |r| r.policy.id.clear()),
            ("policy.hash", |r| r.policy.hash = hash('G')),
            ("policy.hash", |r| r.policy.hash = hash('A')),
            ("language", |r| r.language = "french language".into()),
            ("purposes", |r| r.purposes.clear()),
            ("purposes[3].category", |r| r.purposes[3].category = None),
            ("purposes[3].category", |r| {
                r.purposes[3].category = Some("personalization".into())
            }),
            ("purposes[3].category", |r| {
                r.purposes[3].category = Some("ads".into())
            }),
            ("purposes[1].category", |r| {
                r.purposes[1].category = Some("analytics".into())
            }),
            ("purposes[1].id", |r| r.purposes[1].id = "ads".into()),
            ("purposes[2].id", |r| r.purposes[2].id = "analytics".into()),
            ("purposes[3].id", |r| r.purposes[3].id = "you tube".into()),
            ("purposes[4].kind", |r| {
                r.purposes
                    .push(purpose("personalization", Kind::Category, State::Refused))
            }),
            ("purposes[0].state", |r| r.purposes[0].state = State::Given),
            ("purposes[1].state", |r| {
                r.purposes[1].state = State::NotRequired
            }),
            ("purposes[1].state", |r| {
                r.purposes[1].state = State::Expired
            }),
            ("widget.version", |r| r.widget.version.clear()),
            ("widget.texts", |r| r.widget.texts = "sha1:abc".into()),
            ("time", |r| r.time = MAX_TIMESTAMP_MS + 1),
            ("valid-until", |r| r.valid_until = None),
            ("valid-until", |r| r.valid_until = Some(r.time)),
            ("valid-until", |r| r.method = Method::Expiry),
            ("decision", |r| r.decision = "granted everything".into()),
        ];
        for (field, break_rule) in table {
            let mut r = record();
            break_rule(&mut r);
            let error = r.validate().expect_err(field);
            assert_eq!(error.field, *field, "{error}");
        }
    }

    #[test]
    fn an_expiry_record_has_no_validity_and_may_say_expired() {
        let mut r = record();
        r.method = Method::Expiry;
        r.valid_until = None;
        r.purposes[1].state = State::Expired;
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn a_first_record_has_no_previous() {
        let mut r = record();
        r.seq = 1;
        r.previous = None;
        r.account = None;
        assert_eq!(r.validate(), Ok(()));
    }

    /// `previous` and `valid-until` must be present, as `null` when empty, and
    /// `account` is absent rather than `null`: one record, one JSON form.
    #[cfg(feature = "policy-text")]
    #[test]
    fn optional_fields_have_one_json_form() {
        let mut first = record();
        first.seq = 1;
        first.previous = None;
        first.account = None;
        let json = serde_json::to_value(&first).unwrap();
        assert_eq!(json["previous"], serde_json::Value::Null);
        assert!(json.get("account").is_none());
        assert_eq!(
            serde_json::from_value::<Record>(json.clone()).unwrap(),
            first
        );

        let mut missing = json.clone();
        missing.as_object_mut().unwrap().remove("previous");
        let error = serde_json::from_value::<Record>(missing).unwrap_err();
        assert!(error.to_string().contains("previous"), "{error}");

        let mut null_account = json.clone();
        null_account["account"] = serde_json::Value::Null;
        assert!(serde_json::from_value::<Record>(null_account).is_err());

        let mut extra = json;
        extra["note"] = "hello".into();
        let error = serde_json::from_value::<Record>(extra).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `note`"),
            "{error}"
        );
    }

    /// The example in `docs/records.md` uses exactly the model's field names and
    /// values (its hashes are shortened with `…`, so only those fail to validate).
    #[cfg(feature = "policy-text")]
    #[test]
    fn the_documented_example_is_a_record() {
        let doc = include_str!("../../../docs/records.md");
        let start = doc
            .find("```json\n{\n  \"schema\": \"assent-record/1\"")
            .unwrap();
        let json = &doc[start + "```json\n".len()..];
        let json = &json[..json.find("```").unwrap()];
        let example: Record = serde_json::from_str(json).unwrap();
        let error = example.validate().unwrap_err();
        assert_eq!(error.field, "previous", "{error}");
    }

    #[test]
    fn receipts_are_checked() {
        let receipt = Receipt {
            schema: RECEIPT_SCHEMA.into(),
            record: "6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10".into(),
            hash: hash('a'),
            subject: SUBJECT.into(),
            seq: 2,
            received: 1_763_906_400_123,
            ledger: SUBJECT.into(),
        };
        assert_eq!(receipt.validate(), Ok(()));
        let broken = Receipt {
            seq: 0,
            ..receipt.clone()
        };
        assert_eq!(broken.validate().unwrap_err().field, "seq");
        let broken = Receipt {
            hash: "sha256:".into(),
            ..receipt
        };
        assert_eq!(broken.validate().unwrap_err().field, "hash");
    }

    #[cfg(feature = "policy-text")]
    #[test]
    fn record_hash_is_sha256_of_the_jws_text() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            record_hash("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_hash(&record_hash("a.b.c")));
    }

    #[test]
    fn language_tags() {
        for ok in ["fr", "en-GB", "zh-Hant-TW", "de-CH-1996"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "f", "en_GB", "en-", "-en", "fr-toolongsubtag", "1a"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
