//! `jcs.json`: JSON texts and their canonical form (JCS, RFC 8785), the bytes
//! a record's signature covers and the ledger compares (`not-canonical`):
//! records and a receipt as they really are, then one case per rule (key
//! order by UTF-16 code units, escapes, control characters, integers up to
//! 2^53, nesting, empty containers, `null` members, whitespace, number forms).
//!
//! The expected bytes are written by `serde_jcs`, the reference (REFERENCE.md:
//! a well-kept crate rather than a hand-written encoder): core has no
//! canonicaliser of its own, and the two that matter are held to these bytes,
//! the browser's (`www/loader/records.js` `jcs`, `tests/loader/jcs.test.mjs`,
//! which also checks them against the npm reference `canonicalize`) and the
//! ledger's (`crates/assent-ledger/src/jcs.rs`, its direct path for records
//! and receipts). Every number is an integer of at most 2^53 in magnitude:
//! records hold nothing else (I-JSON, RFC 7493 §2.2).

use serde_json::{json, Value};

use crate::choice::{Context, Services};
use crate::policy::model::LegalBasis;
use crate::policy::page::{PageCategory, PageService};
use crate::record::{
    self, Controller, Method, PolicyRef, Receipt, Record, Widget, RECEIPT_SCHEMA, SCHEMA,
};
use crate::rules::DAY_MS;
use crate::{evaluate, Action, Category, Choice, Rules};

const NOW: u64 = 1_764_000_000_000;
const SUBJECT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
const LEDGER: &str = "q1xYw0gq1b7fC5mE3l9bqz0W2nD0cKkY4yJ8s6lH3Qw";

/// One rule of JCS: its name and a JSON text that exercises it.
const RULES: &[(&str, &str)] = &[
    (
        "RFC 8785 §3.2.3: keys sort by UTF-16 code units",
        r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
    ),
    (
        "a non-BMP key sorts before U+E000..U+FFFF (UTF-16, not code points or UTF-8)",
        r#"{"\ufffd":1,"\ue000":2,"\ud800\udc00":3,"\uffff":4,"\ud7ff":5,"😀":6}"#,
    ),
    (
        "non-ASCII keys",
        r#"{"é":1,"e":2,"z":3,"ß":4,"中文":5,"Z":6,"ÿ":7,"Ā":8}"#,
    ),
    (
        "integer-like keys sort as strings",
        r#"{"10":"ten","2":"two","1":"one","b":"b","-1":"minus one","01":"zero one"}"#,
    ),
    (
        "a key that prefixes another sorts first",
        r#"{"ab":1,"a":2,"aa":3,"a\u0000":4,"":5,"A":6}"#,
    ),
    (
        "escapes: quote and backslash escaped, solidus not, short forms for \\b \\f \\n \\r \\t",
        r#"["\"","\\","\/","/","\b\f\n\r\t","\u0022\u005C\u002F"]"#,
    ),
    (
        "control characters: \\u00xx in lowercase hex, DEL as is",
        r#"["\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007","\u000b\u000e\u000f\u0010\u0011\u0012\u0013\u0014","\u0015\u0016\u0017\u0018\u0019\u001A\u001b\u001C\u001d\u001e\u001F","\u007f"]"#,
    ),
    (
        "non-ASCII text as UTF-8: U+2028, U+2029, BOM, accents, non-BMP",
        r#"["\u2028\u2029","\ufeffbom","\u00E9t\u00e9","😀𝄞","\ud834\udd1e","中文 العربية"]"#,
    ),
    (
        "control characters in keys",
        r#"{"\n":1,"\t":2,"\u001f":3," ":4}"#,
    ),
    (
        "integers up to 2^53",
        r#"[0,1,-1,42,1763906400000,9007199254740991,-9007199254740991,9007199254740992,-9007199254740992]"#,
    ),
    (
        "integers written other ways",
        r#"[-0,1.0,1e2,1E+2,100e-2,0.0]"#,
    ),
    (
        "nested arrays and objects: array order kept, every object sorted",
        r#"{"z":[3,{"b":[],"a":{"d":null,"c":[[1,[2]]]}},"x"],"a":[{"y":1,"x":2}],"m":{"n":{"o":{}}}}"#,
    ),
    ("empty containers", r#"[{},[],"",{"":{}},[[]],{"a":[]}]"#),
    ("null members are kept", r#"{"b":null,"a":null,"c":[null]}"#),
    (
        "whitespace between tokens is dropped",
        " \n\t{ \"b\" :\r\n [ 1 ,\t2 ] ,\n \"a\" : { } } \n",
    ),
    ("booleans and null", r#"[true,false,null]"#),
    ("a lone string", r#""x""#),
    ("a lone integer", "42"),
    ("a lone null", "null"),
    ("a lone true", "true"),
    ("an empty object", "{}"),
    ("an empty array", "[]"),
];

fn service(id: &str) -> PageService {
    PageService {
        id: id.to_owned(),
        name: Default::default(),
        provider: id.to_owned(),
        purpose: Default::default(),
        cookies: Vec::new(),
    }
}

fn category(id: Category, basis: LegalBasis, services: &[&str]) -> PageCategory {
    PageCategory {
        id,
        basis: Some(basis),
        name: Default::default(),
        description: Default::default(),
        consent_mode: Vec::new(),
        services: services.iter().map(|s| service(s)).collect(),
    }
}

/// Records as the browser makes them: a first one, a withdrawal with an
/// account and a French controller, an expiry.
fn records() -> Vec<(&'static str, Record)> {
    let categories = [
        category(Category::Necessary, LegalBasis::LegitimateInterest, &[]),
        category(Category::Analytics, LegalBasis::Consent, &["audience"]),
        category(Category::Marketing, LegalBasis::Consent, &["youtube"]),
    ];
    let rules = Rules {
        revision: 3,
        consent_revision: 2,
        lifetime_days: 182,
    };
    let decide = |action: Action, now_ms| {
        let context = Context {
            now_ms,
            revision: 3,
            gpc: false,
        };
        action.decide(context, None).encode()
    };
    let record = |seq: u64, stored: &str, now_ms: u64, asked: Option<Method>, previous| {
        let verdict = evaluate(Some(stored), &rules, now_ms, false);
        let decision = verdict.decision.clone().unwrap_or_default();
        let expiry = asked == Some(Method::Expiry);
        let expires = rules.expires_at_ms(&decision);
        Record {
            account: (seq == 2).then(|| "user-42".to_owned()),
            controller: Controller {
                contact: "dpo@exemple.fr".into(),
                name: "Société Exemple — Données & Vie privée".into(),
            },
            decision: stored.to_owned(),
            gpc: decision.gpc,
            id: format!("6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c1{seq}"),
            jurisdiction: "FR".into(),
            language: "fr".into(),
            method: Method::of(asked, &decision),
            policy: PolicyRef {
                hash: format!("sha256:{}", "2b".repeat(32)),
                id: "exemple".into(),
                revision: 3,
            },
            previous: (seq > 1).then(|| format!("sha256:{}", format!("{seq:02x}").repeat(32))),
            purposes: record::purposes(&categories, &verdict, previous),
            schema: SCHEMA.into(),
            seq,
            subject: SUBJECT.into(),
            time: if expiry {
                expires
            } else {
                decision.decided_at_ms
            },
            valid_until: (!expiry).then_some(expires),
            widget: Widget {
                texts: format!("sha256:{}", "52".repeat(32)),
                version: "0.1.0".into(),
            },
        }
    };
    let accepted = decide(Action::AcceptAll, NOW - 1000);
    let first = record(1, &accepted, NOW, None, &[]);
    let withdrawn = decide(
        Action::Save(
            Choice::reject_all().with(Category::Analytics, true),
            Services::from([("audience".to_owned(), false)]),
        ),
        NOW,
    );
    let second = record(2, &withdrawn, NOW, None, &first.purposes);
    let lapsed = NOW + 182 * DAY_MS;
    let third = record(
        3,
        &withdrawn,
        lapsed,
        Some(Method::Expiry),
        &second.purposes,
    );
    vec![
        ("a first record: accept all", first),
        (
            "a withdrawal, with an account and a French controller",
            second,
        ),
        ("an expiry record", third),
    ]
}

fn receipt() -> Receipt {
    Receipt {
        hash: format!("sha256:{}", "a7".repeat(32)),
        ledger: LEDGER.into(),
        received: NOW + 123,
        record: "6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c11".into(),
        schema: RECEIPT_SCHEMA.into(),
        seq: 1,
        subject: SUBJECT.into(),
    }
}

/// A case: its name, the JSON text, and that text's canonical form.
fn case(name: &str, text: &str) -> Value {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let canonical = serde_jcs::to_string(&value).unwrap_or_default();
    json!({ "name": name, "json": text, "canonical": canonical })
}

/// Every case, as the JSON document written to `tests/vectors/jcs.json`.
pub fn generate() -> Value {
    let mut cases = Vec::new();
    for (name, record) in records() {
        let compact = serde_json::to_string(&record).unwrap_or_default();
        cases.push(case(&format!("record: {name}"), &compact));
    }
    if let Some((name, record)) = records().pop() {
        let pretty = serde_json::to_string_pretty(&record).unwrap_or_default();
        cases.push(case(&format!("record: {name}, pretty-printed"), &pretty));
    }
    let receipt = serde_json::to_string(&receipt()).unwrap_or_default();
    cases.push(case("receipt", &receipt));
    for (name, text) in RULES {
        cases.push(case(name, text));
    }
    json!({
        "about": super::about("jcs"),
        "bytes": "a case's canonical bytes are the UTF-8 encoding of `canonical`; `json` is the text canonicalised",
        "cases": cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_parses_and_every_record_is_valid() {
        for (name, text) in RULES {
            assert!(serde_json::from_str::<Value>(text).is_ok(), "{name}");
        }
        for (name, record) in records() {
            assert_eq!(record.validate(), Ok(()), "{name}");
        }
        assert_eq!(receipt().validate(), Ok(()));
    }

    #[test]
    fn rfc_8785_3_2_3_sorting_example() {
        let v = generate();
        let case = v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"].as_str().unwrap().starts_with("RFC 8785"))
            .unwrap();
        // The order the RFC gives: \r, 1, U+0080, ö, €, 😀, U+FB33.
        let canonical = case["canonical"].as_str().unwrap();
        let at = |k: &str| canonical.find(&format!("\"{k}\":")).unwrap();
        let order = ["\\r", "1", "\u{80}", "ö", "€", "😀", "\u{fb33}"];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{canonical}");
    }
}
