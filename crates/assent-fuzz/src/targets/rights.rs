//! `rights-body`: the rights API's request bodies as its routes read them
//! (`serde_json::from_slice` into core's `rights::model`, an empty body as
//! the default where the route allows one), the answers the panel reads with
//! the same models, and RFC 3339 timestamps (`rights::time::Timestamp`).
//!
//! Oracles: a body that reads writes back and reads again the same; a
//! timestamp that parses is written as text that parses to the same instant.

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::rights::model::{
    Account, ExportOrder, GrantSpecialConsent, LiftRestriction, LiftWarning, ManualRequest,
    Problem, Request, RequestList, SpecialConsent,
};
use assent_core::rights::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::{dictionary, mutate_text, reads_back, words_of, Corpus, Target};
use crate::{ensure, json, Failure, Outcome};

/// `rights-body`.
pub const TARGET: Target = Target {
    name: "rights-body",
    extension: "json",
    about: "the rights API's bodies and answers (rights::model), RFC 3339 timestamps: what reads writes back and reads again the same",
    seeds: body_seeds,
    generate,
    mutate: mutate_text,
    check,
    twin: None,
};

/// Bodies as the panel sends them and answers as the server writes them.
const EXAMPLES: &[&str] = &[
    r#"{"type":"rectification","details":"My e-mail address is wrong."}"#,
    r#"{"type":"objection","details":"I object to profiling."}"#,
    r#"{"type":"portability"}"#,
    r#"{"type":"access"}"#,
    "",
    "  \n",
    r#"{"warning_id":"w-6f1c0c7e"}"#,
    r#"{"language":"en","statement":"I agree that my voice is cloned.","affirmed":true}"#,
    r#"{"language":"fr","statement":"J'accepte.","affirmed":false}"#,
    r#"{"request_id":"6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c11","type":"erasure","status":"open","reason":"grace_period","received_at":"2026-01-01T00:00:00.000Z","expected_by":"2026-02-01T00:00:00.000Z","extended":true,"erasure_at":"2026-01-31T00:00:00.000Z","retained":[{"data":"invoices","period":"10 years","law":"Code de commerce L123-22"}]}"#,
    r#"{"request_id":"r1","type":"access","status":"in_progress","received_at":"2026-03-29T02:30:00+02:00","expected_by":"2026-04-29T00:00:00Z","progress":{"files_done":1,"files_total":3,"bytes_done":10,"bytes_total":30}}"#,
    r#"{"request_id":"r2","type":"portability","status":"fulfilled","received_at":"2026-01-01T00:00:00.000Z","expected_by":"2026-02-01T00:00:00.000Z","results_url":"/rights/v1/exports/r2/archive","expires_at":"2026-01-08T00:00:00.000Z","archive":{"size":1024,"sha256":"sha256:00","files":2},"closed_at":"2026-01-01T01:00:00.000Z"}"#,
    r#"{"requests":[]}"#,
    r#"{"account":"user-42","state":"active","server_time":"2026-01-01T00:00:00.000Z","special_consents":[{"purpose":"voice-cloning","given":true,"given_at":"2025-12-01T00:00:00.000Z","language":"en","statement":"I agree.","statement_language":"en"}]}"#,
    r#"{"warning_id":"w1","text":"Processing resumes.","issued_at":"2026-01-01T00:00:00.000Z","expires_at":"2026-01-01T00:15:00.000Z"}"#,
    r#"{"error":"malformed","message":"the body is not valid here"}"#,
    r#""2026-12-07T01:02:03.004Z""#,
    r#""9999-12-31T23:59:59.999Z""#,
    r#""1970-01-01T00:00:00Z""#,
    r#""2024-02-29T12:00:00.123456789-05:00""#,
];

const WORDS: &[&str] = &[
    "access",
    "portability",
    "erasure",
    "rectification",
    "restriction",
    "objection",
    "consent",
    "special_category_consent",
    "open",
    "in_progress",
    "fulfilled",
    "revoked",
    "denied",
    "expired",
    "2023-02-29T00:00:00Z",
    "2026-12-31T24:00:00Z",
    "2026-06-30T23:59:60Z",
    "1969-12-31T23:59:59.999Z",
    "10000-01-01T00:00:00Z",
    "2026-01-01T00:00:00+23:59",
    "2026-01-01T00:00:00-23:59",
    "2026-01-01t00:00:00z",
    "2026-01-01T00:00:00.0000000000Z",
];

fn body_seeds(_: &Path) -> Corpus {
    let mut words = Vec::new();
    for example in EXAMPLES {
        if let Ok(tree) = serde_json::from_str::<Value>(example) {
            words_of(&tree, &mut words);
        }
    }
    Corpus {
        entries: EXAMPLES.iter().map(|e| e.as_bytes().to_vec()).collect(),
        words: dictionary(words, WORDS),
    }
}

fn generate(u: &mut Unstructured<'_>, corpus: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let words = corpus.words();
    if u.ratio(1, 6)? {
        return Ok(json::value(u, &words, 3)?.to_string().into_bytes());
    }
    let seed = u.choose(&corpus.entries)?;
    let Ok(mut tree) = serde_json::from_slice(seed) else {
        return Ok(seed.clone());
    };
    json::mutate(u, &mut tree, &words)?;
    Ok(tree.to_string().into_bytes())
}

/// Reads `input` as `T`; when it reads, it must write and read back the same
/// ([`reads_back`]).
fn round_trip<T>(input: &[u8], name: &str, read: &mut Vec<String>) -> Result<(), Failure>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(body) = serde_json::from_slice::<T>(input) else {
        return Ok(());
    };
    read.push(name.to_owned());
    reads_back(&body, name)
}

fn check(input: &[u8]) -> Result<Outcome, Failure> {
    let mut read = Vec::new();
    // `POST /rights/v1/exports` takes an empty body as the default order.
    if input.iter().all(u8::is_ascii_whitespace) {
        read.push("empty".to_owned());
    }
    round_trip::<ManualRequest>(input, "ManualRequest", &mut read)?;
    round_trip::<ExportOrder>(input, "ExportOrder", &mut read)?;
    round_trip::<LiftRestriction>(input, "LiftRestriction", &mut read)?;
    round_trip::<GrantSpecialConsent>(input, "GrantSpecialConsent", &mut read)?;
    round_trip::<Request>(input, "Request", &mut read)?;
    round_trip::<RequestList>(input, "RequestList", &mut read)?;
    round_trip::<Account>(input, "Account", &mut read)?;
    round_trip::<SpecialConsent>(input, "SpecialConsent", &mut read)?;
    round_trip::<LiftWarning>(input, "LiftWarning", &mut read)?;
    round_trip::<Problem>(input, "Problem", &mut read)?;
    if let Ok(text) = serde_json::from_slice::<String>(input) {
        timestamp(&text, &mut read)?;
    }
    timestamp(&String::from_utf8_lossy(input), &mut read)?;
    Ok(if read.is_empty() {
        "none".to_owned()
    } else {
        read.join("+")
    })
}

/// A timestamp that parses is written as text that parses to the same instant.
fn timestamp(text: &str, read: &mut Vec<String>) -> Result<(), Failure> {
    let Ok(at) = Timestamp::parse(text) else {
        return Ok(());
    };
    read.push("Timestamp".to_owned());
    ensure(at <= Timestamp::MAX, || {
        format!("{text:?} parses to {at:?}, after Timestamp::MAX")
    })?;
    let written = at.to_string();
    ensure(Timestamp::parse(&written) == Ok(at), || {
        format!("{text:?} parses to {at:?}, written {written:?}, which does not read back")
    })
}
