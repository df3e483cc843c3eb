//! `jcs`: JSON texts and their canonical form (JCS, RFC 8785), the bytes a
//! record's signature covers and the ledger compares (`not-canonical`).
//!
//! Oracles: `serde_jcs` (the reference) is idempotent; a record's or a
//! receipt's own JSON has the same JCS bytes through the ledger's direct
//! path (`assent_ledger::jcs`), which the canonical-form check relies on;
//! core's `policy::hash::canonical_value` writes what `serde_jcs` writes on
//! the values it promises (ASCII keys, integers of at most 2^53). Twin:
//! `www/loader/jcs.js` writes the same bytes for every text whose numbers
//! are integers of at most 2^53 in magnitude (all a record holds; the
//! vectors' promise, `tests/vectors/jcs.json`).

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::policy::hash::canonical_value;
use assent_core::record::{Receipt, Record};
use serde_json::{json, Value};

use super::{dictionary, mutate_text, words_of, Corpus, Target};
use crate::{ensure, json, seeds, Failure, Outcome};

/// `jcs`.
pub const TARGET: Target = Target {
    name: "jcs",
    extension: "json",
    about: "JSON texts: serde_jcs, the ledger's JCS of records and receipts, core's canonical_value agree; twin jcs.js",
    seeds: jcs_seeds,
    generate,
    mutate: mutate_text,
    check,
    twin: Some(twin_cases),
};

/// The largest integer JavaScript numbers hold exactly.
const MAX_SAFE: u64 = (1 << 53) - 1;

fn jcs_seeds(root: &Path) -> Corpus {
    let texts = seeds::case_strings(&seeds::vectors(root, "jcs.json"), "json");
    let mut words = Vec::new();
    for text in &texts {
        if let Ok(tree) = serde_json::from_str::<Value>(text) {
            words_of(&tree, &mut words);
        }
    }
    Corpus {
        entries: texts.into_iter().map(String::into_bytes).collect(),
        words: dictionary(words, &[]),
    }
}

/// A JSON tree, arbitrary or a seed's mutated, written compactly, pretty or
/// with whitespace between tokens.
fn generate(u: &mut Unstructured<'_>, corpus: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let words = corpus.words();
    let tree = if u.ratio(1, 2)? {
        json::value(u, &words, 4)?
    } else {
        let seed = u.choose(&corpus.entries)?;
        let Ok(mut tree) = serde_json::from_slice(seed) else {
            return Ok(seed.clone());
        };
        json::mutate(u, &mut tree, &words)?;
        tree
    };
    Ok(match u.int_in_range(0..=2)? {
        0 => serde_json::to_vec_pretty(&tree).unwrap_or_default(),
        1 => serde_jcs::to_vec(&tree).unwrap_or_default(),
        _ => serde_json::to_vec(&tree).unwrap_or_default(),
    })
}

fn check(input: &[u8]) -> Result<Outcome, Failure> {
    let Ok(value) = serde_json::from_slice::<Value>(input) else {
        return Ok("not-json".into());
    };
    let canonical = serde_jcs::to_vec(&value)
        .map_err(|e| Failure::Oracle(format!("serde_jcs cannot write a JSON value: {e}")))?;
    let again: Value = serde_json::from_slice(&canonical)
        .map_err(|e| Failure::Oracle(format!("serde_jcs wrote text that is not JSON: {e}")))?;
    ensure(
        serde_jcs::to_vec(&again).ok().as_ref() == Some(&canonical),
        || {
            format!(
                "JCS is not idempotent on {}",
                String::from_utf8_lossy(&canonical)
            )
        },
    )?;
    let mut outcome = "json".to_owned();
    // serde's derive also reads a struct from an array of its fields; such a
    // text reads as a record but is not one's JSON (the ledger refuses it as
    // `invalid-record`): the direct path is promised on a record's own JSON.
    let own = |tree: Result<Value, _>| tree.ok().as_ref() == Some(&value);
    if let Some(record) = serde_json::from_value::<Record>(value.clone())
        .ok()
        .filter(|r| own(serde_json::to_value(r)))
    {
        outcome = "record".into();
        let direct = assent_ledger::jcs::record(&record).ok();
        ensure(direct.as_ref() == Some(&canonical), || {
            format!(
                "the ledger's JCS of a record is {:?}, serde_jcs of its text {:?}",
                direct.map(|d| String::from_utf8_lossy(&d).into_owned()),
                String::from_utf8_lossy(&canonical)
            )
        })?;
        let _ = record.validate();
    }
    if let Some(receipt) = serde_json::from_value::<Receipt>(value.clone())
        .ok()
        .filter(|r| own(serde_json::to_value(r)))
    {
        outcome = "receipt".into();
        let direct = assent_ledger::jcs::receipt(&receipt).ok();
        ensure(direct.as_ref() == Some(&canonical), || {
            "the ledger's JCS of a receipt is not serde_jcs's".into()
        })?;
        let _ = receipt.validate();
    }
    if in_hash_domain(&value) {
        let core = canonical_value(&value);
        ensure(core.as_bytes() == canonical.as_slice(), || {
            format!(
                "core's canonical_value wrote {core:?}, serde_jcs {:?}",
                String::from_utf8_lossy(&canonical)
            )
        })?;
    }
    Ok(outcome)
}

/// Whether every number in `value` is an integer of magnitude at most `max`.
fn integers_up_to(value: &Value, max: u64) -> bool {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_i64().map(i64::unsigned_abs))
            .is_some_and(|n| n <= max),
        Value::Array(items) => items.iter().all(|v| integers_up_to(v, max)),
        Value::Object(map) => map.values().all(|v| integers_up_to(v, max)),
        _ => true,
    }
}

/// What `canonical_value` promises RFC 8785 for: ASCII keys, integers of
/// at most 2^53 in magnitude.
fn in_hash_domain(value: &Value) -> bool {
    fn ascii_keys(value: &Value) -> bool {
        match value {
            Value::Array(items) => items.iter().all(ascii_keys),
            Value::Object(map) => map.iter().all(|(k, v)| k.is_ascii() && ascii_keys(v)),
            _ => true,
        }
    }
    integers_up_to(value, MAX_SAFE + 1) && ascii_keys(value)
}

/// The twin's case: the text and serde_jcs's canonical form, in the shape of
/// `tests/vectors/jcs.json`, for texts in the twin's domain.
fn twin_cases(input: &[u8]) -> Vec<Value> {
    let (Ok(text), Ok(value)) = (
        std::str::from_utf8(input),
        serde_json::from_slice::<Value>(input),
    ) else {
        return Vec::new();
    };
    if !integers_up_to(&value, MAX_SAFE + 1) {
        return Vec::new();
    }
    let Ok(canonical) = serde_jcs::to_string(&value) else {
        return Vec::new();
    };
    vec![json!({
        "kind": "jcs",
        "target": "jcs",
        "input": text,
        "name": "fuzz",
        "json": text,
        "canonical": canonical,
    })]
}
