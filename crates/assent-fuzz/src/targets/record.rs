//! `record`: consent records as the ledger receives them, compact JWS texts
//! through `check::signed_record` and `check::submission` (and through it
//! `Record::validate`). Inputs are made by real signing devices (the load
//! generator's `Device`, Ed25519 and P-256, keys from fixed seeds) from the
//! repository's policies, then changed: the record's fields (kept valid or
//! not), its JSON tree, the payload's form (JCS or not), the header, or the
//! JWS text's bytes; a changed payload is mostly signed again, so inputs
//! reach the checks behind the signature.
//!
//! Oracle (`record_oracle`): the ledger accepts a text exactly when an
//! independent verification does: strict base64url parts, the header's key
//! and algorithm, the signature (`verify_strict` / `p256`), payload bytes
//! equal to `serde_jcs` and to the ledger's `jcs::record` of the record, a
//! valid record, and a subject that is the RFC 7638 thumbprint of the key.
//! So an accepted invalid record fails, and so does a refused valid one.

use std::path::Path;
use std::sync::OnceLock;

use arbitrary::Unstructured;
use assent_core::record::{Method, Record};
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_ledger::jws::{b64, unb64};
use assent_ledger::load::{Algorithm, Device, Template};
use assent_ledger::policies::Policies;
use serde_json::Value;

use super::{Corpus, Target};
use crate::{json, mutate, seeds};

use super::record_gen::{hash, header, payload, tweak, uuid};
pub use super::record_oracle::check;

/// `record`.
pub const TARGET: Target = Target {
    name: "record",
    extension: "jws",
    about: "signed consent records (JWS): the ledger's checks accept exactly what an independent verification accepts",
    seeds: record_seeds,
    generate,
    mutate: mutate_record,
    check,
    twin: None,
};

/// The signing devices, the templates of the repository's policies, the
/// policies the ledger knows, and stored values for `decision`.
pub struct Fixtures {
    /// Ed25519 and P-256 devices, keys from fixed seeds.
    pub devices: Vec<Device>,
    templates: Vec<Template>,
    /// Every policy of the repository, as the ledger loads them.
    pub policies: Policies,
    /// Stored values for `decision` (the shared vectors').
    pub stored: Vec<String>,
}

/// The fixtures, made once.
pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = crate::root();
        let parsed = seeds::parsed_policies(&root);
        let mut policies = Policies::default();
        let mut templates = Vec::new();
        for policy in &parsed {
            policies.insert(policy);
            if !policy.categories.is_empty() {
                templates.push(Template::from_policy(policy, "en"));
            }
        }
        Fixtures {
            devices: vec![
                Device::from_seed(Algorithm::Ed25519, b"assent-fuzz ed25519"),
                Device::from_seed(Algorithm::P256, b"assent-fuzz p256"),
                Device::from_seed(Algorithm::Ed25519, b"assent-fuzz another"),
            ],
            templates,
            policies,
            stored: seeds::stored_values(&root),
        }
    })
}

/// The ledger's "now" of the generated records.
pub(super) const NOW: u64 = 1_764_000_000_000;

/// Tokens of records, headers and base64url.
pub(super) const WORDS: &[&str] = &[
    "assent-record/1",
    "assent-record+jws",
    "EdDSA",
    "ES256",
    "HS256",
    "none",
    "OKP",
    "EC",
    "Ed25519",
    "P-256",
    "crit",
    "kid",
    "d",
    "accept-all",
    "expiry",
    "given",
    "withdrawn",
    "not-required",
    "category",
    "service",
    "sha256:",
    "=",
    "A",
    "_",
    "-",
];

fn record_seeds(_: &Path) -> Corpus {
    let fx = fixtures();
    let mut entries = Vec::new();
    for device in &fx.devices {
        for template in &fx.templates {
            for method in [Method::AcceptAll, Method::RejectAll] {
                let record = template.record(device, method, NOW);
                entries.push(device.sign(&with_id(record, 1)).jws.into_bytes());
            }
        }
    }
    Corpus {
        entries,
        words: WORDS.iter().map(|w| (*w).to_owned()).collect(),
    }
}

/// `record` with a fixed id (the template draws a random one).
fn with_id(mut record: Record, n: u64) -> Record {
    record.id = format!("6f1c0c7e-5b8a-4d55-9e1e-{n:012x}");
    record
}

fn generate(u: &mut Unstructured<'_>, _: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let fx = fixtures();
    let device = u.choose(&fx.devices)?;
    let template = u.choose(&fx.templates)?;
    let method = *u.choose(&[Method::AcceptAll, Method::RejectAll])?;
    let time = match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=MAX_TIMESTAMP_MS)?,
        1 => MAX_TIMESTAMP_MS - u.int_in_range(0..=400 * 86_400_000)?,
        _ => NOW,
    };
    let mut record = template.record(device, method, time);
    record.id = uuid(u)?;
    if u.ratio(1, 2)? {
        record.seq = u.int_in_range(2..=10)?;
        record.previous = Some(hash(u)?);
    }
    for _ in 0..u.int_in_range(0..=3)? {
        tweak(u, &mut record, fx)?;
    }
    let mut tree = serde_json::to_value(&record).unwrap_or(Value::Null);
    if u.ratio(1, 5)? {
        json::mutate(u, &mut tree, WORDS)?;
    }
    let payload = payload(u, &tree)?;
    let mut jws = device.sign_raw(&header(u, device, fx)?, &payload);
    if u.ratio(1, 6)? {
        let changed = mutate::bytes(u, jws.as_bytes(), &[], WORDS)?;
        jws = String::from_utf8_lossy(&changed).into_owned();
    }
    Ok(jws.into_bytes())
}

/// The device whose header `header_b64` is, if one of the fixtures'.
fn signer<'a>(fx: &'a Fixtures, header_b64: &str) -> Option<&'a Device> {
    fx.devices
        .iter()
        .find(|d| b64(d.header().to_string().as_bytes()) == header_b64)
}

/// A record's payload changed and signed again by its own device, or the
/// text's bytes changed.
fn mutate_record(
    u: &mut Unstructured<'_>,
    input: &[u8],
    corpus: &Corpus,
) -> arbitrary::Result<Vec<u8>> {
    let fx = fixtures();
    let text = String::from_utf8_lossy(input);
    let parts: Vec<&str> = text.split('.').collect();
    if let ([h, p, _], true) = (parts.as_slice(), u.ratio(2, 3)?) {
        let device = signer(fx, h);
        let tree = unb64(p).and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok());
        if let (Some(device), Some(mut tree)) = (device, tree) {
            match serde_json::from_value::<Record>(tree.clone()) {
                Ok(mut record) if u.ratio(1, 2)? => {
                    tweak(u, &mut record, fx)?;
                    tree = serde_json::to_value(&record).unwrap_or(Value::Null);
                }
                _ => json::mutate(u, &mut tree, WORDS)?,
            }
            let payload = payload(u, &tree)?;
            return Ok(device.sign_raw(&device.header(), &payload).into_bytes());
        }
    }
    mutate::bytes(u, input, &corpus.entries, WORDS)
}
