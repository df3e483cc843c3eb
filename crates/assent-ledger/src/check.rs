//! The checks of a posted record that need no storage, in the order of
//! `docs/records.md` ("The ledger's checks"): body, JWS parts, header,
//! signature, canonical form, schema, subject, idempotency key, policy, clock.
//! They run in the request handlers, in parallel; chain and idempotency
//! against stored records are the writer's (`store`).
//!
//! [`signed_record`] is also the offline verifier's (`export::verify`).

use std::collections::HashMap;
use std::sync::Arc;

use assent_core::record::{record_hash, Record, RECORD_TYP};
use serde_json::Value;

use crate::jws::{Compact, Header, PublicKey};
use crate::policies::Policies;
use crate::rejection::{Code, Rejection};

/// The largest request body, 64 KiB.
pub const MAX_BODY: usize = 64 * 1024;
/// How far ahead of the ledger's clock a record's `time` may be: 5 minutes.
pub const MAX_CLOCK_SKEW_MS: u64 = 5 * 60 * 1000;

/// A record whose signature, form, schema, key, policy and time all hold.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The record.
    pub record: Record,
    /// The compact JWS as posted.
    pub jws: String,
    /// The record hash (`sha256:` of the JWS text).
    pub hash: String,
}

/// What the checks need besides the request.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The ledger's clock, Unix milliseconds.
    pub now_ms: u64,
    /// The policies records may name.
    pub policies: &'a Policies,
}

/// Runs every storage-free check on a posted body with its `Idempotency-Key`.
pub fn submission(
    body: &[u8],
    idempotency_key: Option<&str>,
    cx: Context<'_>,
) -> Result<Verified, Rejection> {
    let jws = body_jws(body)?;
    let (record, _) = signed_record(&jws)?;
    match idempotency_key {
        None => {
            return Err(Rejection::new(
                Code::IdempotencyKey,
                "the Idempotency-Key header is missing (it must be the record id)",
            ))
        }
        Some(key) if key != record.id => {
            return Err(Rejection::new(
                Code::IdempotencyKey,
                format!("Idempotency-Key {key:?} is not the record id {}", record.id),
            ))
        }
        Some(_) => {}
    }
    cx.policies
        .check(&record.policy)
        .map_err(|detail| Rejection::new(Code::UnknownPolicy, detail))?;
    let limit = cx.now_ms.saturating_add(MAX_CLOCK_SKEW_MS);
    if record.time > limit {
        return Err(Rejection::new(
            Code::ClockSkew,
            format!(
                "time {} is {} s ahead of the ledger's clock ({}); at most {} s are allowed",
                record.time,
                (record.time - cx.now_ms) / 1000,
                cx.now_ms,
                MAX_CLOCK_SKEW_MS / 1000
            ),
        ));
    }
    Ok(Verified {
        hash: record_hash(&jws),
        jws,
        record,
    })
}

/// The `jws` string of a posted body `{"jws": "…"}` (other members ignored).
fn body_jws(body: &[u8]) -> Result<String, Rejection> {
    #[derive(serde::Deserialize)]
    struct Body {
        jws: Option<Value>,
    }
    let body: Body = serde_json::from_slice(body)
        .map_err(|e| Rejection::new(Code::Malformed, format!("body is not a JSON object: {e}")))?;
    match body.jws {
        Some(Value::String(jws)) => Ok(jws),
        _ => Err(Rejection::new(Code::Malformed, "body has no `jws` string")),
    }
}

/// Parses and verifies a record JWS: parts, header, signature, canonical
/// payload, schema and subject. Returns the record and the signing key.
pub fn signed_record(jws: &str) -> Result<(Record, PublicKey), Rejection> {
    let malformed = |detail: String| Rejection::new(Code::Malformed, detail);
    let compact = Compact::parse(jws).map_err(malformed)?;
    // A header seen before (a device's records all have the same one) was
    // an object whose key passed every check: its key and thumbprint are
    // those computed then.
    let header: Result<Arc<Key>, Value> = match KEYS.get(compact.header_b64) {
        Some(known) => Ok(known),
        None => {
            let header: Value = serde_json::from_slice(&compact.header)
                .map_err(|e| malformed(format!("the header is not JSON: {e}")))?;
            if !header.is_object() {
                return Err(malformed("the header is not a JSON object".into()));
            }
            Err(header)
        }
    };
    // The common case reads the record directly; anything else is read as
    // plain JSON, to report its first problem in the contract's order.
    let payload = match serde_json::from_slice::<Record>(&compact.payload) {
        Ok(record) => Payload::Record(Box::new(record)),
        Err(_) => Payload::Other(
            serde_json::from_slice(&compact.payload)
                .map_err(|e| malformed(format!("the payload is not JSON: {e}")))?,
        ),
    };

    let (key, fresh) = match header {
        Ok(known) => (known, false),
        Err(header) => {
            let key = header_key(header)?;
            let thumbprint = key.thumbprint();
            (Arc::new(Key { key, thumbprint }), true)
        }
    };
    if !key.key.verify(&compact.signing_input(), &compact.signature) {
        return Err(Rejection::new(
            Code::BadSignature,
            "the signature does not verify with the header's jwk",
        ));
    }
    if fresh {
        KEYS.insert(compact.header_b64, &key);
    }

    // A record read as such serialises back to the same JSON value as its
    // payload (no floats, no null-or-absent ambiguity, no duplicate keys), so
    // its JCS form is the payload's, unless a part of it was written as an
    // array of its fields, which serde's derive also reads (below).
    let canonical = match &payload {
        Payload::Record(record) => crate::jcs::record(record),
        Payload::Other(value) => serde_jcs::to_vec(value),
    }
    .map_err(|e| {
        Rejection::new(
            Code::NotCanonical,
            format!("the payload has no JCS form: {e}"),
        )
    })?;
    if canonical != compact.payload {
        // A payload that is its own JCS form but not the record's has a part
        // written as an array of its fields (`"widget": ["sha256:…", "0.1.0"]`):
        // it reads as a record, yet the format's parts are objects. It breaks
        // the schema, not the canonical form (found by `cargo xtask fuzz`,
        // tests/fuzz/regressions/jcs/d230cc49174e.json).
        if let Payload::Record(_) = &payload {
            let own = serde_json::from_slice::<Value>(&compact.payload)
                .ok()
                .and_then(|value| serde_jcs::to_vec(&value).ok());
            if own.as_deref() == Some(compact.payload.as_slice()) {
                return Err(Rejection::new(
                    Code::InvalidRecord,
                    "record: a part of the record is not a JSON object (an array of its fields is not the record format)",
                ));
            }
        }
        let at = canonical
            .iter()
            .zip(&compact.payload)
            .position(|(a, b)| a != b)
            .unwrap_or(canonical.len().min(compact.payload.len()));
        return Err(Rejection::new(
            Code::NotCanonical,
            format!("the payload is not the JCS form (RFC 8785) of the record: first difference at byte {at}"),
        ));
    }

    let record = match payload {
        Payload::Record(record) => *record,
        Payload::Other(value) => serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." {
                "record".to_owned()
            } else {
                path
            };
            Rejection::new(Code::InvalidRecord, format!("{field}: {}", e.into_inner()))
        })?,
    };
    record
        .validate()
        .map_err(|e| Rejection::new(Code::InvalidRecord, e.to_string()))?;

    if record.subject != key.thumbprint {
        return Err(Rejection::new(
            Code::SubjectMismatch,
            format!(
                "subject {} is not {}, the RFC 7638 thumbprint of the signing key",
                record.subject, key.thumbprint
            ),
        ));
    }
    Ok((record, key.key.clone()))
}

/// A header's verified-usable key and its RFC 7638 thumbprint.
struct Key {
    key: PublicKey,
    thumbprint: String,
}

/// The keys of headers already seen (by their base64url text, exactly as
/// sent), so a device's later records skip reading the header, decoding its
/// key and hashing its thumbprint: all functions of those bytes alone. Only
/// headers whose key verified a signature are kept; at most
/// [`KeyCache::CAPACITY`] of them (then it starts again, empty).
static KEYS: KeyCache = KeyCache {
    map: std::sync::Mutex::new(None),
};

struct KeyCache {
    map: std::sync::Mutex<Option<HashMap<String, Arc<Key>>>>,
}

impl KeyCache {
    const CAPACITY: usize = 10_000;

    fn get(&self, header_b64: &str) -> Option<Arc<Key>> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.as_ref()?.get(header_b64).cloned()
    }

    fn insert(&self, header_b64: &str, key: &Arc<Key>) {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let map = map.get_or_insert_with(HashMap::new);
        if map.len() >= Self::CAPACITY {
            map.clear();
        }
        map.insert(header_b64.to_owned(), Arc::clone(key));
    }
}

/// A payload read as a record, or as JSON that is not one.
enum Payload {
    Record(Box<Record>),
    Other(Value),
}

/// The public key a record header names, checked against its `alg`.
fn header_key(header: Value) -> Result<PublicKey, Rejection> {
    let bad = |detail: String| Rejection::new(Code::BadHeader, detail);
    let header: Header = serde_json::from_value(header).map_err(|e| bad(format!("header: {e}")))?;
    if header.crit.is_some() {
        return Err(bad("`crit` extensions are not supported".into()));
    }
    if let Some(typ) = header.typ.as_deref().filter(|t| *t != RECORD_TYP) {
        return Err(bad(format!("typ {typ:?} is not {RECORD_TYP:?}")));
    }
    let alg = header
        .alg
        .ok_or_else(|| bad("the header has no `alg`".into()))?;
    if alg != "EdDSA" && alg != "ES256" {
        return Err(bad(format!("alg {alg:?} is not EdDSA or ES256")));
    }
    let jwk = header
        .jwk
        .ok_or_else(|| bad("the header has no `jwk` (the signer's public key)".into()))?;
    PublicKey::from_jwk(&alg, &jwk).map_err(bad)
}
