//! The rights API's bodies (`docs/rights-api.yaml`): what the panel and a
//! site's backend exchange. The server serialises these types and the panel
//! reads them, so the two can never disagree on a field.
//!
//! Requests and their status use the vocabulary of the Data Rights Protocol
//! 1.0 (`status`, `reason`, `received_at`, `expected_by`, `results_url`,
//! `expires_at`, `processing_details`), extended with the GDPR request types
//! it lacks (access, portability, erasure, rectification, restriction,
//! objection, consent, special-category consent) and with what a
//! self-service panel shows: an export's progress, the end of an erasure's
//! grace period (`erasure_at`), what an erasure keeps and why (`retained`).
//! JSON names are snake_case, as in the protocol.

use serde::{Deserialize, Serialize};

use super::time::Timestamp;
use crate::policy::model::LegalBasis;

/// The path every route of this version of the API starts with.
pub const BASE_PATH: &str = "/rights/v1";

/// The longest free text a request may carry (`details`, a statement).
pub const MAX_TEXT: usize = 4000;

/// What a request asks for: the Data Rights Protocol's actions, in GDPR terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestType {
    /// A copy of everything held (GDPR Art 15): the export.
    Access,
    /// The data in a portable, machine-readable form (Art 20): the same export.
    Portability,
    /// Erasure of the account (Art 17), after the grace period.
    Erasure,
    /// Correction of inaccurate data (Art 16), answered by the controller.
    Rectification,
    /// Restriction of processing (Art 18): the account in read-only mode.
    Restriction,
    /// Objection to processing on legitimate interest (Art 21).
    Objection,
    /// Giving or withdrawing an ordinary consent (Art 7(3)).
    Consent,
    /// Giving or withdrawing explicit consent to special-category data
    /// (Art 9(2)(a)), such as a voice sample.
    SpecialCategoryConsent,
}

impl RequestType {
    /// The article the request rests on.
    pub fn article(self) -> &'static str {
        match self {
            RequestType::Access => "GDPR Art. 15",
            RequestType::Portability => "GDPR Art. 20",
            RequestType::Erasure => "GDPR Art. 17",
            RequestType::Rectification => "GDPR Art. 16",
            RequestType::Restriction => "GDPR Art. 18",
            RequestType::Objection => "GDPR Art. 21",
            RequestType::Consent => "GDPR Art. 7(3)",
            RequestType::SpecialCategoryConsent => "GDPR Art. 9(2)(a)",
        }
    }

    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestType::Access => "access",
            RequestType::Portability => "portability",
            RequestType::Erasure => "erasure",
            RequestType::Rectification => "rectification",
            RequestType::Restriction => "restriction",
            RequestType::Objection => "objection",
            RequestType::Consent => "consent",
            RequestType::SpecialCategoryConsent => "special_category_consent",
        }
    }

    /// The type named `name` (as in JSON).
    pub fn parse(name: &str) -> Option<RequestType> {
        [
            RequestType::Access,
            RequestType::Portability,
            RequestType::Erasure,
            RequestType::Rectification,
            RequestType::Restriction,
            RequestType::Objection,
            RequestType::Consent,
            RequestType::SpecialCategoryConsent,
        ]
        .into_iter()
        .find(|t| t.as_str() == name)
    }
}

/// Where a request stands (Data Rights Protocol 1.0 `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, not started.
    Open,
    /// Being carried out (an export being written, an erasure in its grace period).
    InProgress,
    /// Done (final). An export's archive is at `results_url` until `expires_at`.
    Fulfilled,
    /// Withdrawn by the person (final): a cancelled erasure, a revoked export link.
    Revoked,
    /// Refused (final), with a `reason`.
    Denied,
    /// Its result is no longer available (final): an export past `expires_at`.
    Expired,
}

impl Status {
    /// Whether nothing will change the request any more.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Open | Status::InProgress)
    }

    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Fulfilled => "fulfilled",
            Status::Revoked => "revoked",
            Status::Denied => "denied",
            Status::Expired => "expired",
        }
    }

    /// The status named `name` (as in JSON).
    pub fn parse(name: &str) -> Option<Status> {
        [
            Status::Open,
            Status::InProgress,
            Status::Fulfilled,
            Status::Revoked,
            Status::Denied,
            Status::Expired,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// Why a request is in its status (Data Rights Protocol 1.0 `reason`, plus
/// `grace_period`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// In progress: the person must verify their identity first.
    NeedUserVerification,
    /// Denied: the request looks fraudulent.
    SuspectedFraud,
    /// Denied: identity could not be verified.
    InsufficientVerification,
    /// Denied: no data matches the person.
    NoMatch,
    /// Denied: the law does not grant what was asked.
    ClaimNotCovered,
    /// Denied: the person is outside the jurisdictions served.
    OutsideJurisdiction,
    /// Denied: too many requests (GDPR Art 12(5), manifestly excessive).
    TooManyRequests,
    /// Any other reason, explained in `processing_details`.
    Other,
    /// In progress: an erasure waits for the end of its grace period
    /// (`erasure_at`), and can still be cancelled.
    GracePeriod,
}

impl Reason {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NeedUserVerification => "need_user_verification",
            Reason::SuspectedFraud => "suspected_fraud",
            Reason::InsufficientVerification => "insufficient_verification",
            Reason::NoMatch => "no_match",
            Reason::ClaimNotCovered => "claim_not_covered",
            Reason::OutsideJurisdiction => "outside_jurisdiction",
            Reason::TooManyRequests => "too_many_requests",
            Reason::Other => "other",
            Reason::GracePeriod => "grace_period",
        }
    }

    /// The reason named `name` (as in JSON).
    pub fn parse(name: &str) -> Option<Reason> {
        [
            Reason::NeedUserVerification,
            Reason::SuspectedFraud,
            Reason::InsufficientVerification,
            Reason::NoMatch,
            Reason::ClaimNotCovered,
            Reason::OutsideJurisdiction,
            Reason::TooManyRequests,
            Reason::Other,
            Reason::GracePeriod,
        ]
        .into_iter()
        .find(|r| r.as_str() == name)
    }
}

/// One request and its status (the protocol's status object, extended).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The request's id (a random UUID).
    pub request_id: String,
    /// What it asks for.
    #[serde(rename = "type")]
    pub kind: RequestType,
    /// Where it stands.
    pub status: Status,
    /// Why, where the status needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// When the server received it.
    pub received_at: Timestamp,
    /// The date by which it is answered (GDPR Art 12(3): one month, or three
    /// when the controller extended it), computed by the server in the
    /// controller's time zone.
    pub expected_by: Timestamp,
    /// Whether the controller extended the answer date by two months.
    #[serde(default, skip_serializing_if = "is_false")]
    pub extended: bool,
    /// Free text about the processing (what was done, why it was denied).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_details: Option<String>,
    /// An export's archive, once written (a path on the rights API's origin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_url: Option<String>,
    /// Until when `results_url` works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// An erasure: when the account is erased (the end of the grace period);
    /// a withdrawn special-category consent: the latest moment its data is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasure_at: Option<Timestamp>,
    /// When it reached its final status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// An export being written: how far it has got.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// An export's archive: its size and hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<Archive>,
    /// An erasure: what it keeps, for how long and why (GDPR Art 17(3)(b)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retained: Vec<Retained>,
    /// A consent request: the special processing or purpose it is about
    /// (`voice-cloning`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// A lifted restriction: when the person was told that processing would
    /// resume (GDPR Art 18(3)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warned_at: Option<Timestamp>,
    /// A lifted restriction: when processing resumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifted_at: Option<Timestamp>,
}

impl Request {
    /// A request with only what every request has: its id, type, status,
    /// when it was received and when it is due.
    pub fn new(
        request_id: String,
        kind: RequestType,
        status: Status,
        received_at: Timestamp,
        expected_by: Timestamp,
    ) -> Request {
        Request {
            request_id,
            kind,
            status,
            reason: None,
            received_at,
            expected_by,
            extended: false,
            processing_details: None,
            results_url: None,
            expires_at: None,
            erasure_at: None,
            closed_at: None,
            progress: None,
            archive: None,
            retained: Vec::new(),
            purpose: None,
            warned_at: None,
            lifted_at: None,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// How far an export has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Archive entries written.
    pub files_done: u64,
    /// Archive entries in all.
    pub files_total: u64,
    /// Bytes written (before compression).
    pub bytes_done: u64,
    /// Bytes in all (before compression).
    pub bytes_total: u64,
}

/// A written export archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Archive {
    /// Its size in bytes.
    pub size: u64,
    /// `sha256:` and the hex SHA-256 of the archive.
    pub sha256: String,
    /// The entries it holds.
    pub files: u64,
}

/// Data an erasure keeps, because a law requires it (GDPR Art 17(3)(b)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Retained {
    /// The policy's data category id (`billing`).
    pub data: String,
    /// Its name in the request's language.
    pub name: String,
    /// How long it is kept (`10 years`).
    pub period: String,
    /// The legal basis of keeping it.
    pub basis: LegalBasis,
    /// The law that requires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// How many items of it the account had (`None` before the erasure ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

/// The state of an account, as far as rights are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    /// Processing as usual.
    Active,
    /// Read-only mode: processing restricted (GDPR Art 18).
    Restricted,
    /// An erasure is scheduled; the account works until `erasure_at`.
    DeletionScheduled,
}

impl AccountState {
    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::Restricted => "restricted",
            AccountState::DeletionScheduled => "deletion_scheduled",
        }
    }
}

/// `GET /rights/v1/account`: the account's state and what is under way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The site's account id.
    pub account: String,
    /// Its state; restricted wins over deletion scheduled when both hold.
    pub state: AccountState,
    /// The server's time now: the panel counts down from it, never from the
    /// browser's clock.
    pub server_time: Timestamp,
    /// The restriction in effect (a `restriction` request), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restriction: Option<Request>,
    /// The erasure scheduled (an `erasure` request in its grace period), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasure: Option<Request>,
    /// Each special processing of the policy and the account's consent to it.
    pub special_consents: Vec<SpecialConsent>,
}

/// The account's explicit consent to one special processing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpecialConsent {
    /// The special processing's id in the policy (`voice-cloning`).
    pub purpose: String,
    /// Whether consent is given now.
    pub given: bool,
    /// When it was last given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_at: Option<Timestamp>,
    /// When it was last withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<Timestamp>,
    /// The language of the statement affirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The statement to show, in the language asked for: the text a person
    /// affirms to give consent.
    pub statement: String,
    /// The language of `statement`.
    pub statement_language: String,
    /// The withdrawal's data deletion, while under way (a
    /// `special_category_consent` request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion: Option<Request>,
}

/// `GET /rights/v1/requests`: every request of the account, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestList {
    /// The requests.
    pub requests: Vec<Request>,
}

/// `POST /rights/v1/exports`: ask for a copy of everything (Art 15) or for
/// the portable data (Art 20); both give the same archive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportOrder {
    /// `access` (default) or `portability`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<RequestType>,
}

/// `POST /rights/v1/requests`: a request the controller answers by hand
/// (rectification, objection), within the Art 12(3) deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualRequest {
    /// `rectification` or `objection`.
    #[serde(rename = "type")]
    pub kind: RequestType,
    /// What the person asks, in their words (at most 4,000 characters).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_TEXT)))]
    pub details: String,
}

/// `POST /rights/v1/restriction/lift-warnings`: what the person must be told
/// before a restriction is lifted (GDPR Art 18(3)), to quote when lifting it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LiftWarning {
    /// Quote it in [`LiftRestriction`].
    pub warning_id: String,
    /// The text to show.
    pub text: String,
    /// When the server issued it (recorded as `warned_at`).
    pub issued_at: Timestamp,
    /// Until when it can be quoted.
    pub expires_at: Timestamp,
}

/// `DELETE /rights/v1/restriction`: lift the restriction, after the warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LiftRestriction {
    /// The warning shown ([`LiftWarning::warning_id`]).
    pub warning_id: String,
}

/// `POST /rights/v1/special-consents/{purpose}`: explicit consent, given by
/// affirming the policy's statement (GDPR Art 9(2)(a)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GrantSpecialConsent {
    /// The language of the statement shown.
    pub language: String,
    /// The statement shown, exactly as the policy words it in that language.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_TEXT)))]
    pub statement: String,
    /// The person ticked or clicked "I agree" to that statement: must be `true`.
    pub affirmed: bool,
}

/// A refused call: the error every route answers with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// What went wrong, for programs.
    pub error: ErrorCode,
    /// What went wrong, for people (English).
    pub message: String,
}

/// The rights API's error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 401: no valid session cookie or bearer token.
    Unauthenticated,
    /// 403: a cookie-authenticated call that changes something lacks the
    /// session's CSRF value in `X-CSRF-Token`.
    CsrfFailed,
    /// 404: no such route, request or download (also for another account's).
    NotFound,
    /// 400: the body, a header or a parameter is malformed.
    Malformed,
    /// 428: a call that changes something lacks its `Idempotency-Key`.
    IdempotencyKeyMissing,
    /// 422: an `Idempotency-Key` was used before for a different call.
    IdempotencyKeyReused,
    /// 423: the account is in read-only mode (GDPR Art 18); lift the
    /// restriction first.
    AccountRestricted,
    /// 410: the account has been erased.
    AccountErased,
    /// 409: the call conflicts with the account's state (an erasure already
    /// scheduled, a consent already given, a request already final).
    Conflict,
    /// 410: a download link that expired or was revoked.
    LinkGone,
    /// 422: an explicit consent to a statement other than the policy's, or
    /// not affirmed.
    StatementMismatch,
    /// 403: the feature needs an explicit consent that is not given (or was
    /// withdrawn): the reference app's voice synthesis.
    ConsentRequired,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 503: storage is unavailable; retry.
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status of the code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Unauthenticated => 401,
            ErrorCode::CsrfFailed => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Malformed => 400,
            ErrorCode::IdempotencyKeyMissing => 428,
            ErrorCode::IdempotencyKeyReused => 422,
            ErrorCode::AccountRestricted => 423,
            ErrorCode::AccountErased | ErrorCode::LinkGone => 410,
            ErrorCode::Conflict => 409,
            ErrorCode::StatementMismatch => 422,
            ErrorCode::ConsentRequired => 403,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The snake_case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Malformed => "malformed",
            ErrorCode::IdempotencyKeyMissing => "idempotency_key_missing",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::AccountRestricted => "account_restricted",
            ErrorCode::AccountErased => "account_erased",
            ErrorCode::Conflict => "conflict",
            ErrorCode::LinkGone => "link_gone",
            ErrorCode::StatementMismatch => "statement_mismatch",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
        }
    }
}

#[cfg(all(test, feature = "policy-text"))]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_json() {
        for t in [
            RequestType::Access,
            RequestType::Portability,
            RequestType::Erasure,
            RequestType::Rectification,
            RequestType::Restriction,
            RequestType::Objection,
            RequestType::Consent,
            RequestType::SpecialCategoryConsent,
        ] {
            let json = serde_json::to_value(t).unwrap();
            assert_eq!(json.as_str(), Some(t.as_str()));
            assert_eq!(RequestType::parse(t.as_str()), Some(t));
        }
        for s in [
            "open",
            "in_progress",
            "fulfilled",
            "revoked",
            "denied",
            "expired",
        ] {
            let status = Status::parse(s).unwrap();
            assert_eq!(serde_json::to_value(status).unwrap(), s);
        }
        assert_eq!(
            serde_json::to_value(Reason::GracePeriod).unwrap(),
            "grace_period"
        );
        assert_eq!(Reason::parse("no_match"), Some(Reason::NoMatch));
    }

    /// A deletion in its grace period is `in_progress` with reason
    /// `grace_period` and its `erasure_at` (the contract's own words).
    #[test]
    fn an_erasure_in_its_grace_period_reads_as_the_contract_says() {
        let mut request = Request::new(
            "r".into(),
            RequestType::Erasure,
            Status::InProgress,
            Timestamp(0),
            Timestamp(1),
        );
        request.reason = Some(Reason::GracePeriod);
        request.erasure_at = Some(Timestamp(2_592_000_000));
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["type"], "erasure");
        assert_eq!(json["status"], "in_progress");
        assert_eq!(json["reason"], "grace_period");
        assert_eq!(json["erasure_at"], "1970-01-31T00:00:00.000Z");
        assert!(json.get("results_url").is_none());
        let back: Request = serde_json::from_value(json).unwrap();
        assert_eq!(back, request);
    }

    #[test]
    fn every_error_code_has_a_client_or_server_error_status() {
        for code in [
            ErrorCode::Unauthenticated,
            ErrorCode::CsrfFailed,
            ErrorCode::NotFound,
            ErrorCode::Malformed,
            ErrorCode::IdempotencyKeyMissing,
            ErrorCode::IdempotencyKeyReused,
            ErrorCode::AccountRestricted,
            ErrorCode::AccountErased,
            ErrorCode::Conflict,
            ErrorCode::LinkGone,
            ErrorCode::StatementMismatch,
            ErrorCode::ConsentRequired,
            ErrorCode::RateLimited,
            ErrorCode::Unavailable,
        ] {
            assert!((400..600).contains(&code.http_status()), "{code:?}");
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
