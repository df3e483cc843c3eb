//! Explicit consents to special-category processing (GDPR Art 9(2)(a)), kept
//! as proof (Art 7(1)): each giving and withdrawal is a record with the
//! statement shown, its language and the server's time, marked
//! special-category, signed by the ledger's key as a compact JWS
//! (`typ: assent-special-consent+jws`) that anyone verifies with the
//! ledger's JWKS (`GET /v1/keys`), and stored append-only.

use assent_core::policy::model::{SpecialProcessing, Text};
use assent_core::rights::model::Problem;
use assent_core::rights::time::Timestamp;
use serde_json::{json, Value};

use super::db::{Db, DbError, Statement};
use super::service::Rights;
use crate::vals;

/// The `schema` of a special-category consent record.
pub const SCHEMA: &str = "assent-special-consent/1";
/// The `typ` of its JWS header.
pub const TYP: &str = "assent-special-consent+jws";

/// One giving or withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentEvent {
    /// Given (true) or withdrawn (false).
    pub given: bool,
    /// When, on the server's clock.
    pub time: Timestamp,
    /// The language of the statement.
    pub language: String,
    /// The statement affirmed.
    pub statement: String,
}

/// The events of `account` for `purpose`, oldest first.
pub async fn events(db: &Db, account: &str, purpose: &str) -> Result<Vec<ConsentEvent>, DbError> {
    Ok(db
        .query(
            "SELECT state, time, language, statement FROM rights_consents
             WHERE account = $1 AND purpose = $2 ORDER BY time, id",
            vals![account, purpose],
        )
        .await?
        .into_iter()
        .map(|r| ConsentEvent {
            given: r[0].text() == Some("given"),
            time: Timestamp(r[1].int().unwrap_or(0).max(0) as u64),
            language: r[2].string(),
            statement: r[3].string(),
        })
        .collect())
}

/// The signed records of `account`, oldest first (for its export).
pub async fn signed(db: &Db, account: &str) -> Result<Vec<String>, DbError> {
    Ok(db
        .query(
            "SELECT jws FROM rights_consents WHERE account = $1 ORDER BY time, id",
            vals![account],
        )
        .await?
        .into_iter()
        .map(|r| r[0].string())
        .collect())
}

/// The special categories of the data `special` processes (`biometric`).
fn special_categories(rights: &Rights, special: &SpecialProcessing) -> Vec<Value> {
    rights
        .policy
        .data
        .iter()
        .filter(|d| special.data.contains(&d.id))
        .filter_map(|d| d.special.and_then(|s| serde_json::to_value(s).ok()))
        .collect()
}

/// The signed record of `event` and the statement that stores it.
pub fn store(
    rights: &Rights,
    account: &str,
    special: &SpecialProcessing,
    event: &ConsentEvent,
) -> Result<Statement, Problem> {
    let id = uuid::Uuid::new_v4().to_string();
    let text = |t: &Text| t.get(&event.language, "en").to_owned();
    let controller = &rights.policy.controller;
    let payload = json!({
        "account": account,
        "controller": { "contact": controller.email, "name": controller.legal_name },
        "data": special.data,
        "id": id,
        "language": event.language,
        "policy": {
            "hash": rights.policy_hash,
            "id": rights.policy.id,
            "revision": rights.policy.revision,
        },
        "purpose": special.id,
        "purpose-name": text(&special.name),
        "recipients": special.recipients,
        "schema": SCHEMA,
        "special-categories": special_categories(rights, special),
        "state": if event.given { "given" } else { "withdrawn" },
        "statement": event.statement,
        "time": event.time.to_string(),
        "basis": "explicit-consent",
    });
    let jws = rights.key.sign_json(TYP, &payload).map_err(|e| {
        tracing::error!(error = %e, "cannot sign a consent");
        super::service::problem(
            assent_core::rights::model::ErrorCode::Unavailable,
            "the consent could not be signed; retry",
        )
    })?;
    Ok((
        "INSERT INTO rights_consents (id, account, purpose, state, language, statement, time, jws)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vals![
            id,
            account,
            &special.id,
            if event.given { "given" } else { "withdrawn" },
            &event.language,
            &event.statement,
            event.time.0,
            jws
        ],
    ))
}
