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
use assent_core::policy::LegalBasis;
use assent_core::record::{Kind, Method, Purpose, Record, State};
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_ledger::jws::{b64, unb64};
use assent_ledger::load::{Algorithm, Device, Template};
use assent_ledger::policies::Policies;
use serde_json::Value;

use super::{Corpus, Target};
use crate::{json, mutate, seeds};

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
    stored: Vec<String>,
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

const NOW: u64 = 1_764_000_000_000;

const WORDS: &[&str] = &[
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

fn uuid(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let hex = |u: &mut Unstructured<'_>, n: usize| -> arbitrary::Result<String> {
        (0..n)
            .map(|_| Ok(char::from(*u.choose(b"0123456789abcdef")?)))
            .collect()
    };
    let variant = char::from(*u.choose(b"89ab")?);
    let id = format!(
        "{}-{}-4{}-{variant}{}-{}",
        hex(u, 8)?,
        hex(u, 4)?,
        hex(u, 3)?,
        hex(u, 3)?,
        hex(u, 12)?
    );
    Ok(if u.ratio(1, 10)? {
        id.to_uppercase()
    } else {
        id
    })
}

fn hash(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let hex: String = (0..64)
        .map(|_| Ok(char::from(*u.choose(b"0123456789abcdef")?)))
        .collect::<arbitrary::Result<_>>()?;
    Ok(format!("sha256:{hex}"))
}

/// One change to a record's fields, most of which keep it valid.
fn tweak(u: &mut Unstructured<'_>, record: &mut Record, fx: &Fixtures) -> arbitrary::Result<()> {
    match u.int_in_range(0..=11)? {
        0 => record.account = Some(json::string(u, &["user-42", "é", ""])?),
        1 => record.controller.name = json::string(u, &["Société Exemple", "x"])?,
        2 => {
            record.controller.contact =
                (*u.choose(&["dpo@example.fr", "a@b", "x", "", "a@b@c", "@b.c"])?).to_owned()
        }
        3 => {
            record.language = (*u.choose(&[
                "en",
                "fr",
                "en-GB",
                "zh-Hant-TW",
                "e",
                "abcdefghi",
                "en_GB",
                "en-",
                "fr-123456789",
            ])?)
            .to_owned()
        }
        4 => {
            record.jurisdiction =
                (*u.choose(&["FR", "EU", "DE", "fr", "XX", "F", "EEA"])?).to_owned()
        }
        5 if !fx.stored.is_empty() => {
            record.decision = u.choose(&fx.stored)?.clone();
            if u.ratio(1, 3)? {
                let damaged = mutate::bytes(u, record.decision.as_bytes(), &[], &["~", "."])?;
                record.decision = String::from_utf8_lossy(&damaged).into_owned();
            }
        }
        6 if !record.purposes.is_empty() => {
            let i = u.choose_index(record.purposes.len())?;
            match u.int_in_range(0..=4)? {
                0 => {
                    record.purposes.remove(i);
                }
                1 => {
                    let copy = record.purposes[i].clone();
                    record.purposes.insert(i, copy);
                }
                2 => {
                    record.purposes[i].state = *u.choose(&[
                        State::Given,
                        State::Refused,
                        State::Withdrawn,
                        State::Expired,
                        State::NotRequired,
                    ])?
                }
                3 => {
                    let j = u.choose_index(record.purposes.len())?;
                    record.purposes.swap(i, j);
                }
                _ => record.purposes.push(Purpose {
                    id: json::string(u, &["youtube", "analytics", "a-b_C9"])?,
                    kind: *u.choose(&[Kind::Category, Kind::Service])?,
                    category: if u.arbitrary()? {
                        Some(
                            (*u.choose(&["analytics", "marketing", "necessary", "ads"])?)
                                .to_owned(),
                        )
                    } else {
                        None
                    },
                    state: State::Refused,
                    basis: *u.choose(&[LegalBasis::Consent, LegalBasis::LegitimateInterest])?,
                }),
            }
        }
        7 => {
            record.method = *u.choose(&[
                Method::AcceptAll,
                Method::RejectAll,
                Method::Preferences,
                Method::AllowService,
                Method::RightsPanel,
                Method::GpcSignal,
                Method::Expiry,
            ])?;
            if record.method == Method::Expiry && u.ratio(3, 4)? {
                record.valid_until = None;
            }
        }
        8 => {
            record.seq =
                *u.choose(&[0, 1, 2, 3, MAX_TIMESTAMP_MS, MAX_TIMESTAMP_MS + 1, u64::MAX])?;
            record.previous = if record.seq == 1 && u.ratio(3, 4)? {
                None
            } else {
                Some(hash(u)?)
            };
        }
        9 => {
            record.time =
                *u.choose(&[0, 1, NOW, MAX_TIMESTAMP_MS, MAX_TIMESTAMP_MS + 1, u64::MAX])?;
            record.valid_until = match u.int_in_range(0..=3)? {
                0 => None,
                1 => Some(record.time),
                _ => Some(record.time.saturating_add(u.int_in_range(1..=1000)?)),
            };
        }
        10 => record.subject = u.choose(&fx.devices)?.subject().to_owned(),
        _ => record.widget.version = json::string(u, &["0.1.0", ""])?,
    }
    Ok(())
}

/// The payload bytes of `tree`: its JCS form mostly, else another form.
fn payload(u: &mut Unstructured<'_>, tree: &Value) -> arbitrary::Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=9)? {
        0 => serde_json::to_vec_pretty(tree).unwrap_or_default(),
        1 => {
            let mut text = serde_jcs::to_vec(tree).unwrap_or_default();
            let at = u.int_in_range(0..=text.len())?;
            text.insert(at, b' ');
            text
        }
        _ => serde_jcs::to_vec(tree).unwrap_or_default(),
    })
}

/// A header: the device's, changed, or another device's.
fn header(u: &mut Unstructured<'_>, device: &Device, fx: &Fixtures) -> arbitrary::Result<Value> {
    let mut header = device.header();
    match u.int_in_range(0..=11)? {
        0 => json::mutate(u, &mut header, WORDS)?,
        1 => header = u.choose(&fx.devices)?.header(),
        2 => {
            header.as_object_mut().map(|h| h.remove("typ"));
        }
        3 => header["kid"] = Value::String(json::string(u, WORDS)?),
        4 => header["crit"] = json::value(u, WORDS, 1)?,
        _ => {}
    }
    Ok(header)
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
