//! The `record` target's changes to a record: its fields (mostly kept
//! valid: ids, chains, methods, times, purposes, texts, stored decisions),
//! its payload's form (JCS mostly, else pretty or with a stray space), and
//! its header (the device's, changed, or another device's).

use arbitrary::Unstructured;
use assent_core::policy::LegalBasis;
use assent_core::record::{Kind, Method, Purpose, Record, State};
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_ledger::load::Device;
use serde_json::Value;

use super::record::{Fixtures, NOW, WORDS};
use crate::{json, mutate};

pub(super) fn uuid(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
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

pub(super) fn hash(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let hex: String = (0..64)
        .map(|_| Ok(char::from(*u.choose(b"0123456789abcdef")?)))
        .collect::<arbitrary::Result<_>>()?;
    Ok(format!("sha256:{hex}"))
}

/// One change to a record's fields, most of which keep it valid.
pub(super) fn tweak(
    u: &mut Unstructured<'_>,
    record: &mut Record,
    fx: &Fixtures,
) -> arbitrary::Result<()> {
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
                2 => record.purposes[i].state = *u.choose(&State::ALL)?,
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
            record.method = *u.choose(&Method::ALL)?;
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
pub(super) fn payload(u: &mut Unstructured<'_>, tree: &Value) -> arbitrary::Result<Vec<u8>> {
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
pub(super) fn header(
    u: &mut Unstructured<'_>,
    device: &Device,
    fx: &Fixtures,
) -> arbitrary::Result<Value> {
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
