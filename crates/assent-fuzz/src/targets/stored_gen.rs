//! The `stored-value` target's inputs: seeds from the shared vectors' stored
//! values, page views drawn from `arbitrary` data (a decision built from its
//! parts and encoded, sometimes damaged or wrapped in whitespace; rules,
//! clocks and gated elements at the edges), and mutations of a view's stored
//! value or one element's attributes.

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::rules::DAY_MS;
use assent_core::stored::MAX_TIMESTAMP_MS;
use assent_core::{Category, Choice, Decision, Method, Services};

use super::stored::{read, Probe, View};
use super::{dictionary, Corpus};
use crate::{json, mutate, seeds};

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

pub(super) fn view_seeds(root: &Path) -> Corpus {
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

pub(super) fn generate(u: &mut Unstructured<'_>, _: &Corpus) -> arbitrary::Result<Vec<u8>> {
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
pub(super) fn mutate_view(
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
