//! What a batch of verified records does to the ledger, decided without I/O:
//! given the stored records with the batch's ids and the last stored record
//! of each of its subjects, each submission is stored, a replay, or refused
//! (`chain`, `id-conflict`). Submissions are taken in arrival order and see
//! the ones before them in the same batch, so a batch is equivalent to
//! storing its records one by one.

use std::collections::HashMap;

use super::{Outcome, Row, Submission};

/// A subject's last stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its `seq`.
    pub seq: u64,
    /// Its record hash.
    pub hash: String,
}

/// A stored record, as a replay answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existing {
    /// The stored JWS.
    pub jws: String,
    /// The receipt given when it was stored.
    pub receipt: String,
    /// When it was received, Unix milliseconds.
    pub received: u64,
}

/// The outcome of each submission, in order, and the rows to insert.
pub fn decide<'a>(
    batch: &'a [Submission],
    existing: &HashMap<String, Existing>,
    heads: &HashMap<String, Head>,
) -> (Vec<Outcome>, Vec<&'a Row>) {
    let mut added: HashMap<&str, &Row> = HashMap::new();
    let mut moved: HashMap<&str, Head> = HashMap::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut rows = Vec::with_capacity(batch.len());
    for submission in batch {
        let row = &submission.row;
        let same_id = added
            .get(row.id.as_str())
            .map(|r| Existing {
                jws: r.jws.clone(),
                receipt: r.receipt.clone(),
                received: r.received,
            })
            .or_else(|| existing.get(&row.id).cloned());
        if let Some(stored) = &same_id {
            if stored.jws == row.jws {
                outcomes.push(Outcome::Replayed {
                    receipt: stored.receipt.clone(),
                    received: stored.received,
                });
                continue;
            }
        }
        let head = moved
            .get(row.subject.as_str())
            .or_else(|| heads.get(&row.subject));
        if let Err(detail) = continues(head, row.seq, submission.previous.as_deref()) {
            outcomes.push(Outcome::Chain(detail));
            continue;
        }
        if same_id.is_some() {
            outcomes.push(Outcome::IdConflict(format!(
                "record id {} is already stored with different content",
                row.id
            )));
            continue;
        }
        added.insert(&row.id, row);
        moved.insert(
            &row.subject,
            Head {
                seq: row.seq,
                hash: row.hash.clone(),
            },
        );
        rows.push(row);
        outcomes.push(Outcome::Stored);
    }
    (outcomes, rows)
}

/// Whether a record at `seq` with `previous` continues a chain whose last
/// stored record is `head`; the error is the precise reason.
pub fn continues(head: Option<&Head>, seq: u64, previous: Option<&str>) -> Result<(), String> {
    match head {
        None if seq == 1 => Ok(()),
        None => Err(format!(
            "this subject has no stored record: its first must be seq 1, not {seq}"
        )),
        Some(head) if seq <= head.seq => Err(format!(
            "seq {seq} is already taken: the subject's chain is at seq {} (a fork)",
            head.seq
        )),
        Some(head) if seq > head.seq + 1 => Err(format!(
            "seq {seq} leaves a gap: the subject's chain is at seq {}, the next is {}",
            head.seq,
            head.seq + 1
        )),
        Some(head) if previous != Some(head.hash.as_str()) => Err(format!(
            "previous {} is not {}, the hash of the subject's record seq {}",
            previous.unwrap_or("null"),
            head.hash,
            head.seq
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(
        id: &str,
        subject: &str,
        seq: u64,
        previous: Option<&str>,
        hash: &str,
        jws: &str,
    ) -> Submission {
        Submission {
            row: Row {
                id: id.into(),
                subject: subject.into(),
                seq,
                hash: hash.into(),
                jws: jws.into(),
                receipt: format!("receipt-{id}"),
                received: 10,
            },
            previous: previous.map(str::to_owned),
        }
    }

    #[test]
    fn a_batch_sees_its_own_earlier_records() {
        let batch = [
            submission("a", "s", 1, None, "h1", "jws-a"),
            submission("b", "s", 2, Some("h1"), "h2", "jws-b"),
            submission("a", "s", 1, None, "h1", "jws-a"),
            submission("c", "s", 2, Some("h1"), "h2'", "jws-c"),
            submission("a", "s", 3, Some("h2"), "h3", "jws-a-changed"),
        ];
        let (outcomes, rows) = decide(&batch, &HashMap::new(), &HashMap::new());
        assert_eq!(outcomes[0], Outcome::Stored);
        assert_eq!(outcomes[1], Outcome::Stored);
        assert_eq!(
            outcomes[2],
            Outcome::Replayed {
                receipt: "receipt-a".into(),
                received: 10
            }
        );
        assert!(
            matches!(&outcomes[3], Outcome::Chain(d) if d.contains("fork")),
            "{:?}",
            outcomes[3]
        );
        assert!(
            matches!(outcomes[4], Outcome::IdConflict(_)),
            "{:?}",
            outcomes[4]
        );
        assert_eq!(
            rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn stored_heads_and_ids_are_respected() {
        let heads = HashMap::from([(
            "s".to_owned(),
            Head {
                seq: 4,
                hash: "h4".into(),
            },
        )]);
        let existing = HashMap::from([(
            "old".to_owned(),
            Existing {
                jws: "jws-old".into(),
                receipt: "r-old".into(),
                received: 1,
            },
        )]);
        let batch = [
            submission("x", "s", 6, Some("h5"), "h6", "jws-x"),
            submission("y", "s", 5, Some("nope"), "h5", "jws-y"),
            submission("y", "s", 5, None, "h5", "jws-y"),
            submission("old", "s", 5, Some("h4"), "h5", "jws-other"),
            submission("old", "t", 1, None, "t1", "jws-old"),
            submission("z", "t", 2, Some("t0"), "t2", "jws-z"),
        ];
        let (outcomes, rows) = decide(&batch, &existing, &heads);
        assert!(matches!(&outcomes[0], Outcome::Chain(d) if d.contains("gap")));
        assert!(matches!(&outcomes[1], Outcome::Chain(d) if d.contains("previous")));
        assert!(matches!(&outcomes[2], Outcome::Chain(d) if d.contains("previous null")));
        assert!(matches!(outcomes[3], Outcome::IdConflict(_)));
        assert!(matches!(outcomes[4], Outcome::Replayed { .. }));
        assert!(matches!(&outcomes[5], Outcome::Chain(d) if d.contains("first must be seq 1")));
        assert!(rows.is_empty());
    }
}
