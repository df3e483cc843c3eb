//! The JCS form (RFC 8785) of the two documents the ledger checks and signs:
//! records (the canonical-form check, `docs/records.md`) and receipts.
//!
//! Both are written by `serde_json` directly, with no intermediate tree:
//! - their fields (and those of their parts) are declared in the order of
//!   their JSON names (`assent_core::record`), so keys come out sorted, and
//!   they are ASCII, where UTF-8 byte order and JCS's UTF-16 order agree;
//! - they hold no maps and no floats, only strings, integers, booleans,
//!   `null`, arrays and those structs;
//! - `serde_json` escapes strings as JCS does (ECMAScript `JSON.stringify`):
//!   only `"`, `\` and controls; `\b \t \n \f \r`, the other controls as
//!   `\u00xx` in lowercase hex; everything else as UTF-8;
//! - integers up to 2⁵³ − 1 print the same in both. Larger ones, which a
//!   valid record never holds, go through `serde_jcs`, which prints them as
//!   the IEEE double JCS reads them as.
//!
//! `serde_jcs` stays the oracle: the tests compare the two on every kind of
//! field and on hostile strings, and both reproduce every case of the shared
//! vectors (`tests/vectors/jcs.json`) that the browser's `jcs` is held to. The direct path spares `serde_jcs`'s parse
//! of every key and buffer per value, a large part of a record's check at
//! the ledger's budget of 5,000 records a second.

use assent_core::record::{Receipt, Record};
use serde::Serialize;

/// The largest integer JCS prints exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The JCS form of a record.
pub fn record(record: &Record) -> Result<Vec<u8>, serde_json::Error> {
    let numbers = [Some(record.seq), Some(record.time), record.valid_until];
    write(record, numbers.into_iter().flatten())
}

/// The JCS form of a receipt.
pub fn receipt(receipt: &Receipt) -> Result<Vec<u8>, serde_json::Error> {
    write(receipt, [receipt.seq, receipt.received].into_iter())
}

fn write<T: Serialize>(
    value: &T,
    mut numbers: impl Iterator<Item = u64>,
) -> Result<Vec<u8>, serde_json::Error> {
    if numbers.all(|n| n <= MAX_SAFE_INTEGER) {
        let mut out = Vec::with_capacity(2048);
        serde_json::to_writer(&mut out, value)?;
        Ok(out)
    } else {
        serde_jcs::to_vec(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assent_core::policy::LegalBasis;
    use assent_core::record::{
        Controller, Kind, Method, PolicyRef, Purpose, State, Widget, RECEIPT_SCHEMA, SCHEMA,
    };

    /// Strings JCS and a careless encoder could write differently.
    const HOSTILE: &[&str] = &[
        "",
        "plain",
        "quote \" backslash \\ slash /",
        "\u{0}\u{1}\u{7}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{e}\u{1f}",
        "del \u{7f} nbsp \u{a0} soft hyphen \u{ad}",
        "line separators \u{2028} \u{2029}",
        "é ß 中文 العربية",
        "astral 😀 𝄞",
        "</script><!--",
        "\u{feff}bom",
    ];

    const BASES: &[LegalBasis] = &[
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterests,
        LegalBasis::PublicTask,
        LegalBasis::LegitimateInterest,
        LegalBasis::ExplicitConsent,
    ];

    fn record(i: usize) -> Record {
        let s = |k: usize| HOSTILE[(i + k) % HOSTILE.len()].to_owned();
        Record {
            schema: SCHEMA.into(),
            id: format!("{}-{}", s(0), i),
            seq: 1 + i as u64 * 7_919,
            previous: (i % 2 == 1).then(|| s(1)),
            subject: s(2),
            account: (i % 3 != 0).then(|| s(3)),
            controller: Controller {
                name: s(4),
                contact: s(5),
            },
            jurisdiction: s(6),
            policy: PolicyRef {
                id: s(7),
                revision: u32::try_from(i).unwrap_or(u32::MAX),
                hash: s(8),
            },
            language: s(9),
            method: Method::ALL[i % Method::ALL.len()],
            gpc: i % 2 == 0,
            purposes: (0..1 + i % 5)
                .map(|k| Purpose {
                    id: s(k),
                    kind: if k % 2 == 0 {
                        Kind::Category
                    } else {
                        Kind::Service
                    },
                    category: (k % 2 == 1).then(|| s(k + 1)),
                    state: State::ALL[(i + k) % State::ALL.len()],
                    basis: BASES[(i + k) % BASES.len()],
                })
                .collect(),
            widget: Widget {
                version: s(10),
                texts: s(11),
            },
            time: 1_764_000_000_000 + i as u64,
            valid_until: (i % 4 != 0).then_some(1_780_000_000_000 + i as u64),
            decision: s(12),
        }
    }

    #[test]
    fn records_are_written_exactly_as_serde_jcs_writes_them() {
        for i in 0..200 {
            let r = record(i);
            let direct = super::record(&r).unwrap();
            let oracle = serde_jcs::to_vec(&r).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&direct),
                String::from_utf8_lossy(&oracle),
                "record {i}"
            );
        }
    }

    #[test]
    fn receipts_are_written_exactly_as_serde_jcs_writes_them() {
        for (i, s) in HOSTILE.iter().enumerate() {
            let r = Receipt {
                schema: RECEIPT_SCHEMA.into(),
                record: (*s).into(),
                hash: (*s).into(),
                subject: (*s).into(),
                seq: i as u64 + 1,
                received: 1_764_000_000_000,
                ledger: (*s).into(),
            };
            assert_eq!(super::receipt(&r).unwrap(), serde_jcs::to_vec(&r).unwrap());
        }
    }

    /// Every case of the shared vectors (`tests/vectors/jcs.json`, written by
    /// core, replayed by the browser's `jcs` too), byte for byte: the ledger's
    /// canonical form of a payload, as `check::signed_record` computes it (the
    /// direct path for a record or a receipt, `serde_jcs` for anything else).
    #[test]
    fn the_shared_jcs_vectors_are_reproduced_byte_for_byte() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/jcs.json")).unwrap();
        let (mut records, mut receipts) = (0, 0);
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let text = case["json"].as_str().unwrap();
            let want = case["canonical"].as_str().unwrap();
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let general = serde_jcs::to_vec(&value).unwrap();
            assert_eq!(String::from_utf8_lossy(&general), want, "{name}: serde_jcs");
            if let Ok(r) = serde_json::from_str::<Record>(text) {
                let direct = super::record(&r).unwrap();
                assert_eq!(String::from_utf8_lossy(&direct), want, "{name}: record");
                records += 1;
            }
            if let Ok(r) = serde_json::from_str::<Receipt>(text) {
                let direct = super::receipt(&r).unwrap();
                assert_eq!(String::from_utf8_lossy(&direct), want, "{name}: receipt");
                receipts += 1;
            }
        }
        assert!(
            records >= 3 && receipts >= 1,
            "{records} records, {receipts} receipts"
        );
    }

    #[test]
    fn integers_past_2_pow_53_are_written_as_jcs_reads_them() {
        let mut r = record(1);
        r.seq = MAX_SAFE_INTEGER;
        assert!(String::from_utf8(super::record(&r).unwrap())
            .unwrap()
            .contains("\"seq\":9007199254740991,"));
        r.seq = MAX_SAFE_INTEGER + 2;
        let direct = super::record(&r).unwrap();
        assert_eq!(direct, serde_jcs::to_vec(&r).unwrap());
        // 2^53 + 1 is not a double: JCS reads (and prints) the nearest one.
        assert!(!String::from_utf8(direct)
            .unwrap()
            .contains("9007199254740993"));
    }
}
