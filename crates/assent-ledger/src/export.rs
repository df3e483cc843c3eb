//! The export document and its offline verification.
//!
//! `{"schema": "assent-ledger-export/1", "ledger-keys": JWKS, "records":
//! [{"jws", "receipt", "received"}]}`: what the admin route answers and
//! `assent-ledger export` prints. [`verify`] checks one without the ledger:
//! every record's signature, canonical form, schema and subject, each
//! subject's chain from seq 1, and every receipt against the export's ledger
//! keys and its record.

use std::collections::{BTreeMap, HashSet};

use assent_core::record::record_hash;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::check::signed_record;
use crate::receipt::verify_receipt;
use crate::store::batch::{continues, Head};
use crate::store::Stored;

/// The `schema` of export documents.
pub const EXPORT_SCHEMA: &str = "assent-ledger-export/1";

/// An export document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Export {
    /// Always [`EXPORT_SCHEMA`].
    pub schema: String,
    /// The ledger's public keys (JWKS), to verify the receipts.
    pub ledger_keys: Value,
    /// The stored records, by subject and seq.
    pub records: Vec<Stored>,
}

impl Export {
    /// The export of `records` from a ledger with the key set `jwks`.
    pub fn new(jwks: Value, records: Vec<Stored>) -> Export {
        Export {
            schema: EXPORT_SCHEMA.into(),
            ledger_keys: jwks,
            records,
        }
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Records in the export.
    pub records: usize,
    /// Distinct subjects among the records that could be read.
    pub subjects: usize,
    /// Every problem, one sentence each, naming the record.
    pub problems: Vec<String>,
}

impl Report {
    /// The closing line: `verified N records of M subjects`, or the failure count.
    pub fn summary(&self) -> String {
        if self.problems.is_empty() {
            format!(
                "verified {} records of {} subjects",
                self.records, self.subjects
            )
        } else {
            format!(
                "verification FAILED: {} problem(s) in {} records of {} subjects",
                self.problems.len(),
                self.records,
                self.subjects
            )
        }
    }
}

struct Link {
    seq: u64,
    previous: Option<String>,
    hash: String,
    id: String,
}

/// Verifies an export document (see the module docs).
pub fn verify(export: &Export) -> Report {
    let mut report = Report {
        records: export.records.len(),
        ..Report::default()
    };
    if export.schema != EXPORT_SCHEMA {
        report.problems.push(format!(
            "schema {:?} is not {EXPORT_SCHEMA:?}",
            export.schema
        ));
    }
    let mut chains: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    let mut ids = HashSet::new();
    for (i, stored) in export.records.iter().enumerate() {
        let (record, _) = match signed_record(&stored.jws) {
            Ok(found) => found,
            Err(rejection) => {
                report.problems.push(format!("records[{i}]: {rejection}"));
                continue;
            }
        };
        let at = format!("records[{i}] (id {}, seq {})", record.id, record.seq);
        let hash = record_hash(&stored.jws);
        if !ids.insert(record.id.clone()) {
            report.problems.push(format!("{at}: the id appears twice"));
        }
        match verify_receipt(&stored.receipt, &export.ledger_keys) {
            Err(e) => report.problems.push(format!("{at}: {e}")),
            Ok(receipt) => {
                let mismatches = [
                    ("record", receipt.record == record.id),
                    ("hash", receipt.hash == hash),
                    ("subject", receipt.subject == record.subject),
                    ("seq", receipt.seq == record.seq),
                    ("received", receipt.received == stored.received),
                ];
                for (field, ok) in mismatches {
                    if !ok {
                        report.problems.push(format!(
                            "{at}: the receipt's {field} does not match the record"
                        ));
                    }
                }
            }
        }
        chains
            .entry(record.subject.clone())
            .or_default()
            .push(Link {
                seq: record.seq,
                previous: record.previous.clone(),
                hash,
                id: record.id,
            });
    }
    report.subjects = chains.len();
    for (subject, mut links) in chains {
        links.sort_by_key(|l| l.seq);
        let mut head: Option<Head> = None;
        for link in links {
            if let Err(e) = continues(head.as_ref(), link.seq, link.previous.as_deref()) {
                report.problems.push(format!(
                    "subject {subject}, record {} (seq {}): chain broken: {e}",
                    link.id, link.seq
                ));
            }
            head = Some(Head {
                seq: link.seq,
                hash: link.hash,
            });
        }
    }
    report
}
