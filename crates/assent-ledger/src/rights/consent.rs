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

/// Checks `special-consents.json` of an export offline (`assent-ledger
/// verify`): every consent is a JWS of type [`TYP`] signed by one of the
/// document's `keys`, whose payload is a special-category consent record.
/// The problems found, one line each (none: all verify), and the count.
pub fn verify_document(document: &Value) -> (usize, Vec<String>) {
    let keys = document.get("keys").cloned().unwrap_or(Value::Null);
    let consents = document
        .get("consents")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut problems = Vec::new();
    for (i, jws) in consents.iter().enumerate() {
        let Some(jws) = jws.as_str() else {
            problems.push(format!("consents[{i}]: not a compact JWS"));
            continue;
        };
        if let Err(problem) = verify_one(jws, &keys) {
            problems.push(format!("consents[{i}]: {problem}"));
        }
    }
    (consents.len(), problems)
}

fn verify_one(jws: &str, keys: &Value) -> Result<(), String> {
    let header = jws
        .split('.')
        .next()
        .and_then(crate::jws::unb64)
        .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
        .ok_or("the header is not base64url JSON")?;
    if header.get("typ").and_then(Value::as_str) != Some(TYP) {
        return Err(format!("typ is not {TYP}"));
    }
    let (_, payload) = crate::receipt::verify_ledger_signed(jws, keys, "consent")?;
    let payload: Value =
        serde_json::from_slice(&payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
    if payload.get("schema").and_then(Value::as_str) != Some(SCHEMA) {
        return Err(format!("schema is not {SCHEMA}"));
    }
    for field in [
        "account",
        "purpose",
        "state",
        "statement",
        "language",
        "time",
    ] {
        if payload.get(field).and_then(Value::as_str).is_none() {
            return Err(format!("the payload has no {field}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::LedgerKey;

    fn consent(key: &LedgerKey) -> String {
        let payload = json!({
            "account": "acct-1", "purpose": "voice-cloning", "state": "given",
            "statement": "I give my explicit consent…", "language": "en",
            "time": "2026-12-07T10:00:00.000Z", "schema": SCHEMA,
        });
        key.sign_json(TYP, &payload).unwrap()
    }

    /// Art 7(1): the proof of an explicit consent checks offline, and a
    /// changed statement or another key is found.
    #[test]
    fn art_7_1_special_consents_verify_offline_and_tampering_is_found() {
        let key = LedgerKey::from_seed([7; 32]);
        let good = consent(&key);
        let document = json!({ "keys": key.jwks(), "consents": [good] });
        assert_eq!(verify_document(&document), (1, vec![]));

        let parts: Vec<&str> = good.split('.').collect();
        let mut payload: Value =
            serde_json::from_slice(&crate::jws::unb64(parts[1]).unwrap()).unwrap();
        payload["statement"] = json!("I agree to anything");
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            crate::jws::b64(payload.to_string().as_bytes()),
            parts[2]
        );
        let other = LedgerKey::from_seed([8; 32]);
        let document = json!({
            "keys": key.jwks(),
            "consents": [forged, consent(&other), 3],
        });
        let (count, problems) = verify_document(&document);
        assert_eq!(count, 3);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains("signature does not verify"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("no ledger key has kid"),
            "{problems:?}"
        );
    }
}
