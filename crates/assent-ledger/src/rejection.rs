//! The ledger's answers when it does not store a record: the codes of
//! `docs/records.md` ("The ledger's checks"), each with its HTTP status, and
//! the JSON body `{"error": code, "detail": reason}`.

use std::fmt;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Why a record was not stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// Body not JSON, no `jws`, not three base64url parts, header or payload not JSON.
    Malformed,
    /// `alg` not `EdDSA`/`ES256`, `jwk` missing or not matching `alg`.
    BadHeader,
    /// The signature does not verify with the header's key.
    BadSignature,
    /// The payload bytes are not the JCS form of the record.
    NotCanonical,
    /// The record breaks the schema (field named).
    InvalidRecord,
    /// `subject` is not the thumbprint of the signing key.
    SubjectMismatch,
    /// The `Idempotency-Key` header is missing or not the record id.
    IdempotencyKey,
    /// No loaded policy has that id, revision and content hash.
    UnknownPolicy,
    /// `time` more than 5 minutes ahead of the ledger's clock.
    ClockSkew,
    /// `seq`/`previous` do not continue the subject's last stored record.
    Chain,
    /// The record id exists with different content.
    IdConflict,
    /// Body over 64 KiB.
    TooLarge,
    /// The body did not arrive within [`crate::server::BODY_TIMEOUT`] (408:
    /// the client retries).
    Timeout,
    /// More than the per-client rate.
    RateLimited,
    /// Storage failed; nothing was stored and the client should retry (503).
    Unavailable,
    /// Admin route without the right bearer token.
    Unauthorized,
    /// No such route (admin routes when no admin token is configured).
    NotFound,
}

impl Code {
    /// The `error` string of the JSON body.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Malformed => "malformed",
            Code::BadHeader => "bad-header",
            Code::BadSignature => "bad-signature",
            Code::NotCanonical => "not-canonical",
            Code::InvalidRecord => "invalid-record",
            Code::SubjectMismatch => "subject-mismatch",
            Code::IdempotencyKey => "idempotency-key",
            Code::UnknownPolicy => "unknown-policy",
            Code::ClockSkew => "clock-skew",
            Code::Chain => "chain",
            Code::IdConflict => "id-conflict",
            Code::TooLarge => "too-large",
            Code::Timeout => "timeout",
            Code::RateLimited => "rate-limited",
            Code::Unavailable => "unavailable",
            Code::Unauthorized => "unauthorized",
            Code::NotFound => "not-found",
        }
    }

    /// The HTTP status of the answer.
    pub fn status(self) -> StatusCode {
        match self {
            Code::Malformed
            | Code::BadHeader
            | Code::BadSignature
            | Code::NotCanonical
            | Code::IdempotencyKey => StatusCode::BAD_REQUEST,
            Code::InvalidRecord | Code::SubjectMismatch | Code::UnknownPolicy | Code::ClockSkew => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Code::Chain | Code::IdConflict => StatusCode::CONFLICT,
            Code::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::Timeout => StatusCode::REQUEST_TIMEOUT,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Code::Unauthorized => StatusCode::UNAUTHORIZED,
            Code::NotFound => StatusCode::NOT_FOUND,
        }
    }
}

/// A refusal: the code, the precise reason and, for 429/503, when to retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The code.
    pub code: Code,
    /// The precise reason, for people.
    pub detail: String,
    /// Seconds after which a retry may succeed (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl Rejection {
    /// A refusal with `code` and `detail`.
    pub fn new(code: Code, detail: impl Into<String>) -> Rejection {
        Rejection {
            code,
            detail: detail.into(),
            retry_after: None,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code.as_str(), "detail": self.detail });
        let mut response = (self.code.status(), axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(self.code);
        response
    }
}
