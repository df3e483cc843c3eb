//! `stored-value`: the stored consent value (cookie and `localStorage`) as
//! core reads it, on one page view: `Decision::decode`, `evaluate` under the
//! page's rules and clock, `gate` and `Verdict::state` for elements with any
//! `data-category`/`data-service`, and the loader's Accept all / Reject all on
//! top of it. An input is one page view, a JSON object in the shape of a
//! case of `tests/vectors/consent.json` without core's answers ([`View`]).
//!
//! Oracles: a decoded decision encodes to a cookie-safe value that decodes to
//! itself; nothing optional runs unless a valid decision allows it (fail
//! closed). Twins: `www/loader/rules.js` and `choice.js` must give core's
//! answers ([`super::stored_twin`]).

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::rules::DAY_MS;
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_core::{
    evaluate, gate, Category, Choice, Decision, Gate, Method, Rules, Services, Status,
};
use serde::{Deserialize, Serialize};

use super::{dictionary, Corpus, Target};
use crate::{ensure, json, mutate, seeds, Failure, Outcome};

pub use super::stored_twin::cases as twin_cases;

/// `stored-value`.
pub const TARGET: Target = Target {
    name: "stored-value",
    extension: "json",
    about: "stored consent values: decode, evaluate, gate, state, decide; decode(encode(d)) == d, fail closed; twins rules.js and choice.js",
    seeds: view_seeds,
    generate,
    mutate: mutate_view,
    check,
    twin: Some(twin_cases),
};

/// One page view: the stored value and the page's circumstances, in the
/// kebab-case keys of `tests/vectors/consent.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct View {
    /// The cookie or `localStorage` value, if any.
    pub stored: Option<String>,
    /// The page's policy revision.
    pub revision: u32,
    /// Its consent revision.
    pub consent_revision: u32,
    /// The lifetime of a decision in days (before clamping).
    pub lifetime_days: u32,
    /// Now, Unix milliseconds.
    pub now: u64,
    /// The browser's GPC signal.
    pub gpc: bool,
    /// The gated elements: `data-category` and `data-service`.
    pub gates: Vec<Probe>,
}

/// A gated element.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Its `data-category`.
    pub category: String,
    /// Its `data-service`.
    pub service: Option<String>,
}

impl View {
    /// The page's rules.
    pub fn rules(&self) -> Rules {
        Rules {
            revision: self.revision,
            consent_revision: self.consent_revision,
            lifetime_days: self.lifetime_days,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A page view from its file (`None`: not one).
pub fn read(input: &[u8]) -> Option<View> {
    serde_json::from_slice(input).ok()
}

const NOW: u64 = 1_764_000_000_000;

/// Service ids worth storing: plain ones, the longest allowed, one too long,
/// and names of `Object.prototype` members.
const SERVICES: &[&str] = &[
    "youtube",
    "ads",
    "audience",
    "a-b_C9",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "x",
];

/// Pieces of `data-category` values.
const CATEGORY_WORDS: &[&str] = &[
    "necessary",
    "analytics",
    "marketing",
    "personalization",
    "ANALYTICS",
    "Marketing",
    "mar\u{212a}eting",
    "ads",
    "",
];

/// Separators of `data-category` keys, and characters around them.
const SEPARATORS: &[&str] = &[
    " ", ",", ", ", "\t", "\n", "\u{a0}", "\u{85}", "\u{feff}", "\u{2028}", "\u{3000}", ";", "|",
];

fn view_seeds(root: &Path) -> Corpus {
    let probes = vec![
        probe("necessary", None),
        probe("analytics", None),
        probe("marketing", Some("ads")),
        probe("analytics marketing", None),
        probe(" ANALYTICS ", None),
        probe("marketing", Some("youtube")),
    ];
    let mut entries: Vec<Vec<u8>> = seeds::stored_values(root)
        .into_iter()
        .map(|stored| {
            View {
                stored: Some(stored),
                revision: 2,
                consent_revision: 2,
                lifetime_days: 182,
                now: NOW,
                gpc: false,
                gates: probes.clone(),
            }
            .bytes()
        })
        .collect();
    entries.sort();
    entries.dedup();
    let mut words = seeds::stored_values(root);
    words.extend(
        [
            "v2",
            "a1m1p1",
            "a0m0p0",
            "accept-all",
            "reject-all",
            "preferences",
            "~+",
            "~-",
        ]
        .map(String::from),
    );
    Corpus {
        entries,
        words: dictionary(words, SERVICES),
    }
}

fn probe(category: &str, service: Option<&str>) -> Probe {
    Probe {
        category: category.to_owned(),
        service: service.map(str::to_owned),
    }
}

fn service_id(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => "s".repeat(64),
        1 => "s".repeat(65),
        2 => json::string(u, SERVICES)?,
        _ => (*u.choose(SERVICES)?).to_owned(),
    })
}

/// A decision built from arbitrary parts, encoded, sometimes damaged.
fn stored(u: &mut Unstructured<'_>, now: u64) -> arbitrary::Result<Option<String>> {
    if u.ratio(1, 20)? {
        return Ok(None);
    }
    let mut choice = Choice::reject_all();
    for c in Category::OPTIONAL {
        choice = choice.with(c, u.arbitrary()?);
    }
    let mut services = Services::new();
    for _ in 0..u.int_in_range(0..=3)? {
        services.insert(service_id(u)?, u.arbitrary()?);
    }
    let decided_at_ms = match u.int_in_range(0..=4)? {
        0 => now.saturating_sub(u.int_in_range(0..=400)? * DAY_MS),
        1 => now + DAY_MS + u.int_in_range(0..=1)?,
        2 => MAX_TIMESTAMP_MS - u.int_in_range(0..=1)?,
        3 => u.int_in_range(0..=MAX_TIMESTAMP_MS)?,
        _ => now.saturating_sub(u.int_in_range(0..=1000)?),
    };
    let decision = Decision {
        choice,
        services,
        method: *u.choose(&Method::ALL)?,
        decided_at_ms,
        revision: *u.choose(&[0, 1, 2, 3, u32::MAX])?,
        gpc: u.arbitrary()?,
    };
    let mut text = decision.encode();
    if u.ratio(1, 3)? {
        let damaged = mutate::bytes(
            u,
            text.as_bytes(),
            &[],
            &["~", ".", "+", "-", "v2", "\u{85}", "\u{feff}"],
        )?;
        text = String::from_utf8_lossy(&damaged).into_owned();
    }
    if u.ratio(1, 8)? {
        let (before, after) = (u.choose(SEPARATORS)?, u.choose(SEPARATORS)?);
        text = format!("{before}{text}{after}");
    }
    Ok(Some(text))
}

fn category_value(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut value = String::new();
    for i in 0..u.int_in_range(1..=3)? {
        if i > 0 || u.ratio(1, 6)? {
            value.push_str(u.choose(SEPARATORS)?);
        }
        value.push_str(u.choose(CATEGORY_WORDS)?);
    }
    if u.ratio(1, 6)? {
        value.push_str(u.choose(SEPARATORS)?);
    }
    Ok(value)
}

fn generate(u: &mut Unstructured<'_>, _: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let now = match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=(1u64 << 52))?,
        1 => DAY_MS * u.int_in_range(0..=3)?,
        _ => NOW + u.int_in_range(0..=DAY_MS * 400)?,
    };
    let lifetimes = [0, 1, 30, 182, 395, 396, u32::MAX];
    let mut gates = Vec::new();
    for _ in 0..u.int_in_range(1..=6)? {
        let service = if u.ratio(1, 2)? {
            let mut id = service_id(u)?;
            if u.ratio(1, 6)? {
                id = format!("{}{id}{}", u.choose(SEPARATORS)?, u.choose(SEPARATORS)?);
            }
            Some(id)
        } else {
            None
        };
        gates.push(Probe {
            category: category_value(u)?,
            service,
        });
    }
    Ok(View {
        stored: stored(u, now)?,
        revision: *u.choose(&[0, 1, 2, 3, u32::MAX])?,
        consent_revision: *u.choose(&[0, 1, 2, 3, u32::MAX])?,
        lifetime_days: *u.choose(&lifetimes)?,
        now,
        gpc: u.arbitrary()?,
        gates,
    }
    .bytes())
}

/// The stored value or one gated element's attributes, byte-mutated.
fn mutate_view(
    u: &mut Unstructured<'_>,
    input: &[u8],
    corpus: &Corpus,
) -> arbitrary::Result<Vec<u8>> {
    let Some(mut view) = read(input) else {
        return mutate::bytes(u, input, &corpus.entries, &corpus.words());
    };
    let words = corpus.words();
    let text = |u: &mut Unstructured<'_>, s: &str| -> arbitrary::Result<String> {
        Ok(String::from_utf8_lossy(&mutate::bytes(u, s.as_bytes(), &[], &words)?).into_owned())
    };
    match u.int_in_range(0..=3)? {
        0 | 1 => view.stored = Some(text(u, view.stored.as_deref().unwrap_or(""))?),
        2 if !view.gates.is_empty() => {
            let i = u.choose_index(view.gates.len())?;
            view.gates[i].category = text(u, &view.gates[i].category)?;
        }
        _ if !view.gates.is_empty() => {
            let i = u.choose_index(view.gates.len())?;
            let service = view.gates[i].service.clone().unwrap_or_default();
            view.gates[i].service = Some(text(u, &service)?);
        }
        _ => {}
    }
    Ok(view.bytes())
}

fn check(input: &[u8]) -> Result<Outcome, Failure> {
    let Some(view) = read(input) else {
        return Ok("not-a-view".into());
    };
    let decoded = view.stored.as_deref().map(Decision::decode);
    if let Some(Ok(d)) = &decoded {
        let encoded = d.encode();
        ensure(Decision::decode(&encoded).as_ref() == Ok(d), || {
            format!("decode(encode(d)) is not d for {encoded:?}")
        })?;
        ensure(
            encoded
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && !b"\",;\\".contains(&b)),
            || format!("encode wrote a value that is not cookie-safe: {encoded:?}"),
        )?;
    }
    let verdict = evaluate(view.stored.as_deref(), &view.rules(), view.now, view.gpc);
    ensure(
        (verdict.status == Status::Valid) == verdict.effective.is_some(),
        || {
            format!(
                "status {:?} with effective {:?}",
                verdict.status, verdict.effective
            )
        },
    )?;
    ensure(
        !matches!(decoded, Some(Err(_))) || verdict.status == Status::None,
        || {
            format!(
                "a value that does not decode has status {:?}",
                verdict.status
            )
        },
    )?;
    for p in &view.gates {
        let runs = gate(
            verdict.effective.as_ref(),
            &p.category,
            p.service.as_deref(),
        ) == Gate::Run;
        let keys: Vec<Option<Category>> = p
            .category
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|k| !k.is_empty())
            .map(Category::from_key)
            .collect();
        let known = !keys.is_empty() && keys.iter().all(Option::is_some);
        let only_necessary = keys.iter().all(|k| *k == Some(Category::Necessary));
        ensure(!runs || known, || {
            format!(
                "gate runs {:?}, which names an unknown category",
                p.category
            )
        })?;
        ensure(
            !runs || verdict.effective.is_some() || only_necessary,
            || format!("gate runs {:?} without a valid decision", p.category),
        )?;
        let _ = verdict.state(&p.category, p.service.as_deref());
    }
    let _ = verdict.reason();
    let _ = assent_core::rules::pick(vec![
        verdict.clone(),
        evaluate(None, &view.rules(), view.now, view.gpc),
    ]);
    Ok(format!(
        "{}:{}",
        verdict.status.key(),
        match decoded {
            None => "absent".to_owned(),
            Some(Ok(_)) => "decoded".to_owned(),
            Some(Err(e)) => format!("{e:?}").split('(').next().unwrap_or("").to_owned(),
        }
    ))
}
