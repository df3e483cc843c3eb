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

use assent_core::{evaluate, gate, Category, Decision, Gate, Rules, Status};
use serde::{Deserialize, Serialize};

use super::stored_gen::{generate, mutate_view, view_seeds};
use super::Target;
use crate::{ensure, Failure, Outcome};

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

    /// The view as its input file.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A page view from its file (`None`: not one).
pub fn read(input: &[u8]) -> Option<View> {
    serde_json::from_slice(input).ok()
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
