//! The `record` target's check and its oracle: an independent verification
//! of a record JWS, written from `docs/records.md` ("The ledger's checks")
//! with the cryptography crates directly, never the ledger's `jws` module,
//! compared with what the ledger's checks answer.

use std::collections::BTreeMap;

use assent_core::record::{record_hash, Record, RECORD_TYP};
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_ledger::check::{self, Context};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::record::fixtures;
use crate::{ensure, Failure, Outcome};

/// Runs the ledger's checks on a JWS text and holds them to [`verify`].
pub fn check(input: &[u8]) -> Result<Outcome, Failure> {
    let text = String::from_utf8_lossy(input);
    let expected = verify(&text);
    let outcome = match (check::signed_record(&text), &expected) {
        (Ok((record, _)), Ok(valid)) => {
            ensure(record == *valid, || {
                format!("the ledger read {record:?}, the verification {valid:?}")
            })?;
            "accepted".to_owned()
        }
        (Ok(_), Err(why)) => {
            return Err(Failure::Oracle(format!(
                "the ledger accepted a record that is not valid: {why}"
            )))
        }
        (Err(rejection), Ok(_)) => {
            return Err(Failure::Oracle(format!(
                "the ledger refused a valid record: {}: {}",
                rejection.code.as_str(),
                rejection.detail
            )))
        }
        (Err(rejection), Err(_)) => {
            not_canonical_only_when_so(&text, rejection.code.as_str())?;
            // The field an invalid record breaks, its indexes left out.
            let field = rejection.detail.split([':', ' ']).next().unwrap_or("");
            let field: String = field.chars().filter(|c| !c.is_ascii_digit()).collect();
            format!("{}:{field}", rejection.code.as_str())
        }
    };
    submitted(&text, input, expected.as_ref().ok())?;
    Ok(outcome)
}

/// `not-canonical` means what `docs/records.md` says: the payload bytes
/// are not the JCS form of the JSON they hold (a payload that is, but holds
/// no record, breaks the schema: `invalid-record`).
fn not_canonical_only_when_so(text: &str, code: &str) -> Result<(), Failure> {
    if code != "not-canonical" {
        return Ok(());
    }
    let payload = text
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok());
    let own = payload
        .as_deref()
        .and_then(|p| serde_json::from_slice::<Value>(p).ok())
        .and_then(|v| serde_jcs::to_vec(&v).ok());
    ensure(own.is_none() || own != payload, || {
        "the ledger says not-canonical of a payload that is its own JCS form".into()
    })
}

/// `check::submission` on the text posted as `{"jws": …}` with its record id
/// as the idempotency key, and on the raw input as a body: accepted exactly
/// when the record is valid and names a loaded policy (the clock set at the
/// latest time a record may hold, so `clock-skew` never applies).
fn submitted(text: &str, input: &[u8], valid: Option<&Record>) -> Result<(), Failure> {
    let fx = fixtures();
    let cx = Context {
        now_ms: MAX_TIMESTAMP_MS,
        policies: &fx.policies,
    };
    let body = serde_json::json!({ "jws": text }).to_string();
    let key = valid.map_or("none", |r| r.id.as_str());
    let known = valid.is_some_and(|r| fx.policies.check(&r.policy).is_ok());
    match check::submission(body.as_bytes(), Some(key), cx) {
        Ok(verified) => {
            ensure(known, || {
                "the ledger took a submission it must refuse".into()
            })?;
            ensure(
                verified.jws == text && verified.hash == record_hash(text),
                || "a submission's JWS or record hash is not the text posted".into(),
            )?;
        }
        Err(rejection) => ensure(!known, || {
            format!(
                "the ledger refused a valid submission: {}: {}",
                rejection.code.as_str(),
                rejection.detail
            )
        })?,
    }
    ensure(
        check::submission(body.as_bytes(), None, cx).is_err(),
        || "a submission without an Idempotency-Key was taken".into(),
    )?;
    if let Ok(verified) = check::submission(input, Some("none"), cx) {
        let again = verify(&verified.jws);
        ensure(again.is_ok(), || {
            format!(
                "the ledger took a body whose record is not valid: {:?}",
                again.err()
            )
        })?;
    }
    Ok(())
}

/// Decodes strict unpadded base64url: the text must be the canonical
/// encoding of what it decodes to (no padding, no stray bits).
fn part(text: &str, name: &str) -> Result<Vec<u8>, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| format!("{name} is not base64url: {e}"))?;
    if text.is_empty() || URL_SAFE_NO_PAD.encode(&bytes) != text {
        return Err(format!("{name} is empty or not canonical base64url"));
    }
    Ok(bytes)
}

/// A member that must be absent, `null` or a string.
fn text_member<'a>(object: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("`{name}` is {other}, not a string")),
    }
}

/// Every check of `docs/records.md` that needs no storage, on a record JWS:
/// the record, or why it must be refused.
pub fn verify(jws: &str) -> Result<Record, String> {
    let parts: Vec<&str> = jws.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err("not three parts".into());
    };
    let header: Value = serde_json::from_slice(&part(header_b64, "header")?)
        .map_err(|e| format!("header is not JSON: {e}"))?;
    let payload = part(payload_b64, "payload")?;
    let signature = part(signature_b64, "signature")?;
    if !header.is_object() {
        return Err("header is not an object".into());
    }
    for name in ["typ", "kid", "alg"] {
        text_member(&header, name)?;
    }
    if !matches!(header.get("crit"), None | Some(Value::Null)) {
        return Err("header has `crit`".into());
    }
    if text_member(&header, "typ")?.is_some_and(|t| t != RECORD_TYP) {
        return Err("typ is not a record's".into());
    }
    let jwk = match header.get("jwk") {
        Some(jwk @ Value::Object(_)) => jwk,
        _ => return Err("header has no jwk object".into()),
    };
    let member = |name: &str| text_member(jwk, name);
    for name in ["kty", "crv", "x", "y", "d"] {
        member(name)?;
    }
    if member("d")?.is_some() {
        return Err("jwk has a private key".into());
    }
    let signing_input = format!("{header_b64}.{payload_b64}");
    let coordinate = |name: &str| -> Result<[u8; 32], String> {
        let text = member(name)?.ok_or(format!("jwk has no {name}"))?;
        part(text, name)?
            .try_into()
            .map_err(|_| format!("jwk {name} is not 32 bytes"))
    };
    let mut thumbprint_members = BTreeMap::new();
    match (text_member(&header, "alg")?, member("kty")?, member("crv")?) {
        (Some("EdDSA"), Some("OKP"), Some("Ed25519")) => {
            let key = ed25519_dalek::VerifyingKey::from_bytes(&coordinate("x")?)
                .map_err(|_| "x is not an Ed25519 point")?;
            let signature = ed25519_dalek::Signature::from_slice(&signature)
                .map_err(|_| "not an Ed25519 signature")?;
            key.verify_strict(signing_input.as_bytes(), &signature)
                .map_err(|_| "the Ed25519 signature does not verify")?;
        }
        (Some("ES256"), Some("EC"), Some("P-256")) => {
            use p256::ecdsa::signature::Verifier;
            let (x, y) = (coordinate("x")?, coordinate("y")?);
            let point = p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
            let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map_err(|_| "x, y is not a P-256 point")?;
            let signature = p256::ecdsa::Signature::from_slice(&signature)
                .map_err(|_| "not an ES256 signature")?;
            key.verify(signing_input.as_bytes(), &signature)
                .map_err(|_| "the ES256 signature does not verify")?;
            thumbprint_members.insert("y", member("y")?.unwrap_or_default());
        }
        _ => return Err("alg, kty and crv are not EdDSA OKP Ed25519 or ES256 EC P-256".into()),
    }
    for name in ["kty", "crv", "x"] {
        thumbprint_members.insert(name, member(name)?.unwrap_or_default());
    }
    let value: Value =
        serde_json::from_slice(&payload).map_err(|e| format!("payload is not JSON: {e}"))?;
    if serde_jcs::to_vec(&value).ok().as_deref() != Some(payload.as_slice()) {
        return Err("payload is not in JCS form".into());
    }
    let record: Record =
        serde_json::from_value(value).map_err(|e| format!("payload is not a record: {e}"))?;
    if assent_ledger::jcs::record(&record).ok().as_deref() != Some(payload.as_slice()) {
        return Err("payload is not the ledger's JCS of the record".into());
    }
    record
        .validate()
        .map_err(|e| format!("invalid record: {e}"))?;
    let canonical = serde_jcs::to_vec(&thumbprint_members).map_err(|e| e.to_string())?;
    let thumbprint = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical));
    if record.subject != thumbprint {
        return Err("subject is not the key's thumbprint".into());
    }
    Ok(record)
}
