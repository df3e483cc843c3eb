//! A signing device as the browser is one: a key pair (Ed25519 or P-256),
//! its subject (the key's thumbprint) and its chain (`seq`, `previous`); and
//! a record template drawn from a policy file, so generated records are the
//! records a site with that policy would receive.

use assent_core::policy::config::{category_basis, texts_hash};
use assent_core::policy::{lifetime_days, Policy};
use assent_core::record::{
    record_hash, Controller, Kind, Method, PolicyRef, Purpose, Record, State, Widget, RECORD_TYP,
    SCHEMA,
};
use assent_core::rules::DEFAULT_LIFETIME_DAYS;
use assent_core::{Category, Choice, Decision, Services};
use ed25519_dalek::Signer;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::jws::{b64, PublicKey};

/// The signature algorithm of a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Ed25519 (`EdDSA`), what Chromium's WebCrypto offers first.
    Ed25519,
    /// ECDSA P-256 (`ES256`), the fallback.
    P256,
}

enum SigningKey {
    Ed25519(ed25519_dalek::SigningKey),
    P256(p256::ecdsa::SigningKey),
}

/// A device: a key and its chain of records.
pub struct Device {
    key: SigningKey,
    alg: &'static str,
    jwk: Value,
    subject: String,
    seq: u64,
    previous: Option<String>,
    /// Whether the last record granted the optional categories.
    granted: bool,
}

/// One signed record.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The record.
    pub record: Record,
    /// Its compact JWS.
    pub jws: String,
    /// Its record hash.
    pub hash: String,
}

impl Device {
    /// A device whose key is derived from `seed` (the same seed, the same key).
    pub fn from_seed(algorithm: Algorithm, seed: &[u8]) -> Device {
        let mut secret: [u8; 32] = Sha256::digest(seed).into();
        let (key, public) = match algorithm {
            Algorithm::Ed25519 => {
                let key = ed25519_dalek::SigningKey::from_bytes(&secret);
                let public = PublicKey::Ed25519(key.verifying_key());
                (SigningKey::Ed25519(key), public)
            }
            Algorithm::P256 => loop {
                // A scalar at or above the group order (odds ~2^-32) is rehashed.
                if let Ok(key) = p256::ecdsa::SigningKey::from_bytes(&secret.into()) {
                    let public = PublicKey::P256(*key.verifying_key());
                    break (SigningKey::P256(key), public);
                }
                secret = Sha256::digest(secret).into();
            },
        };
        let members = public.jwk_members();
        Device {
            alg: match algorithm {
                Algorithm::Ed25519 => "EdDSA",
                Algorithm::P256 => "ES256",
            },
            jwk: json!(members),
            subject: public.thumbprint(),
            key,
            seq: 0,
            previous: None,
            granted: false,
        }
    }

    /// A device with a fresh random key.
    pub fn random(algorithm: Algorithm) -> Device {
        let mut seed = [0u8; 32];
        // Without OS randomness, a time-based seed still gives distinct test keys.
        if getrandom::fill(&mut seed).is_err() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            seed[..16].copy_from_slice(&now.to_le_bytes());
        }
        Device::from_seed(algorithm, &seed)
    }

    /// The device's subject: the RFC 7638 thumbprint of its public key.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The `seq` of the last record made by [`Device::next`].
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The protected header of this device's records.
    pub fn header(&self) -> Value {
        json!({ "alg": self.alg, "jwk": self.jwk, "typ": RECORD_TYP })
    }

    /// A compact JWS of `payload` bytes as they are, under `header`.
    pub fn sign_raw(&self, header: &Value, payload: &[u8]) -> String {
        let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(payload));
        let signature = match &self.key {
            SigningKey::Ed25519(key) => key.sign(input.as_bytes()).to_bytes().to_vec(),
            SigningKey::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(input.as_bytes());
                signature.to_bytes().to_vec()
            }
        };
        format!("{input}.{}", b64(&signature))
    }

    /// The record's JWS: its JCS form, signed under this device's header.
    pub fn sign(&self, record: &Record) -> Signed {
        // A record is strings, integers and booleans: JCS cannot fail on it.
        let payload = serde_jcs::to_vec(record).unwrap_or_default();
        let jws = self.sign_raw(&self.header(), &payload);
        Signed {
            hash: record_hash(&jws),
            record: record.clone(),
            jws,
        }
    }

    /// The device's next record from `template` at `time`, signed; the chain
    /// moves on.
    pub fn next(&mut self, template: &Template, method: Method, time: u64) -> Signed {
        let record = template.record(self, method, time);
        let signed = self.sign(&record);
        self.seq = record.seq;
        self.previous = Some(signed.hash.clone());
        self.granted = method == Method::AcceptAll;
        signed
    }
}

/// What every record of a site with one policy has in common.
#[derive(Clone, Debug)]
pub struct Template {
    policy: PolicyRef,
    controller: Controller,
    jurisdiction: String,
    language: String,
    /// (category, services) as the policy declares them, with their basis.
    categories: Vec<(Category, Vec<String>, assent_core::policy::LegalBasis)>,
    texts: String,
    lifetime_ms: u64,
}

impl Template {
    /// The template of records made under `policy` in `language`.
    pub fn from_policy(policy: &Policy, language: &str) -> Template {
        let days = policy
            .consent_lifetime
            .as_deref()
            .and_then(lifetime_days)
            .unwrap_or(DEFAULT_LIFETIME_DAYS);
        Template {
            policy: PolicyRef {
                id: policy.id.clone(),
                revision: policy.revision,
                hash: assent_core::policy::hash::content_hash(policy),
            },
            controller: Controller::of(policy),
            jurisdiction: Controller::jurisdiction(policy),
            language: language.into(),
            categories: policy
                .categories
                .iter()
                .map(|c| {
                    let services = c.services.iter().map(|s| s.id.clone()).collect();
                    (c.id, services, category_basis(policy, c.id))
                })
                .collect(),
            texts: texts_hash(policy, language),
            lifetime_ms: u64::from(days) * 86_400_000,
        }
    }

    /// The policy reference records name.
    pub fn policy(&self) -> &PolicyRef {
        &self.policy
    }

    /// The next record of `device` (seq and previous from its chain), an
    /// `accept-all` or `reject-all` decision at `time`.
    pub fn record(&self, device: &Device, method: Method, time: u64) -> Record {
        let granted = method == Method::AcceptAll;
        let was_granted = device.granted;
        let state = |category: Category| {
            if !category.needs_consent() {
                State::NotRequired
            } else if granted {
                State::Given
            } else if was_granted {
                State::Withdrawn
            } else {
                State::Refused
            }
        };
        let mut purposes = Vec::new();
        let mut services = Vec::new();
        for (category, ids, basis) in &self.categories {
            purposes.push(Purpose {
                id: category.key().into(),
                kind: Kind::Category,
                category: None,
                state: state(*category),
                basis: *basis,
            });
            services.extend(ids.iter().map(|id| Purpose {
                id: id.clone(),
                kind: Kind::Service,
                category: Some(category.key().into()),
                state: state(*category),
                basis: *basis,
            }));
        }
        purposes.extend(services);
        let decision = Decision {
            choice: if granted {
                Choice::accept_all()
            } else {
                Choice::reject_all()
            },
            services: Services::new(),
            method: if granted {
                assent_core::Method::AcceptAll
            } else {
                assent_core::Method::RejectAll
            },
            decided_at_ms: time,
            revision: self.policy.revision,
            gpc: false,
        };
        Record {
            schema: SCHEMA.into(),
            id: uuid::Uuid::new_v4().to_string(),
            seq: device.seq + 1,
            previous: device.previous.clone(),
            subject: device.subject.clone(),
            account: None,
            controller: self.controller.clone(),
            jurisdiction: self.jurisdiction.clone(),
            policy: self.policy.clone(),
            language: self.language.clone(),
            method,
            gpc: false,
            purposes,
            widget: Widget {
                version: env!("CARGO_PKG_VERSION").into(),
                texts: self.texts.clone(),
            },
            time,
            valid_until: Some(time + self.lifetime_ms),
            decision: decision.encode(),
        }
    }
}
