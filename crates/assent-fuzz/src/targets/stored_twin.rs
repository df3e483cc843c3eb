//! The `stored-value` target's cases for the JavaScript twins: core's
//! answers on one page view in the shapes of `tests/vectors/consent.json`
//! (`rules.js`: decode, evaluate, gate, state, reason; with `encoded`, the
//! value `choice.js` `encode` must write for the decoded decision) and of
//! `tests/vectors/decisions.json` (`choice.js` `decide` with Accept all and
//! Reject all over the stored value), each with `kind`, `target` and `input`
//! (the input file, so a disagreement can be kept as a regression).
//! `tests/fuzz/twins.mjs` checks them.
//!
//! The twins are compared where JavaScript numbers are exact: a page view
//! whose clock is past 2^52 ms (the year 144,683) has no case.

use assent_core::choice::Context;
use assent_core::rules::Effective;
use assent_core::vectors::{decision, ConsentCase};
use assent_core::{evaluate, withdrawn, Action, Category, Decision};
use serde_json::{json, Value};

use super::stored::{read, View};

/// The services every decision case checks for withdrawal (those of
/// `tests/vectors/decisions.json`), besides the stored value's own.
const SERVICES: [(&str, Category); 3] = [
    ("youtube", Category::Marketing),
    ("ads", Category::Marketing),
    ("audience", Category::Analytics),
];

/// The twins' cases of one input (none when it is not a page view, or its
/// clock is past what JavaScript holds exactly).
pub fn cases(input: &[u8]) -> Vec<Value> {
    let Some(view) = read(input) else {
        return Vec::new();
    };
    if view.now > 1 << 52 {
        return Vec::new();
    }
    let input = String::from_utf8_lossy(input).into_owned();
    let mut out = vec![consent(&view, &input)];
    for action in ["accept-all", "reject-all"] {
        out.push(decisions(&view, action, &input));
    }
    out
}

/// The `consent.json` case of the page view (core's own builder), with
/// `kind`, `target`, `input` and `encoded`.
fn consent(view: &View, input: &str) -> Value {
    let rules = view.rules();
    let probes: Vec<(&str, Option<&str>)> = view
        .gates
        .iter()
        .map(|p| (p.category.as_str(), p.service.as_deref()))
        .collect();
    let mut case = ConsentCase {
        name: format!("fuzz {:?}", view.stored),
        stored: view.stored.clone(),
        rules,
        now_ms: view.now,
        gpc: view.gpc,
    }
    .json(&probes);
    let verdict = evaluate(view.stored.as_deref(), &rules, view.now, view.gpc);
    if let Value::Object(fields) = &mut case {
        fields.insert("kind".into(), json!("consent"));
        fields.insert("target".into(), json!("stored-value"));
        fields.insert("input".into(), json!(input));
        fields.insert(
            "encoded".into(),
            json!(verdict.decision.as_ref().map(Decision::encode)),
        );
    }
    case
}

fn decisions(view: &View, action: &str, input: &str) -> Value {
    let rules = view.rules();
    let context = Context {
        now_ms: view.now,
        revision: view.revision,
        gpc: view.gpc,
    };
    let previous = view
        .stored
        .as_deref()
        .and_then(|s| Decision::decode(s).ok());
    let made = match action {
        "accept-all" => Action::AcceptAll,
        _ => Action::RejectAll,
    }
    .decide(context, previous.as_ref());
    let stored = made.encode();
    let before = evaluate(view.stored.as_deref(), &rules, view.now, view.gpc);
    let after = evaluate(Some(&stored), &rules, view.now, view.gpc);
    let mut checked: Vec<(String, Category)> = SERVICES
        .iter()
        .map(|(id, c)| ((*id).to_owned(), *c))
        .collect();
    for (id, _) in previous.iter().flat_map(|d| d.services.iter()) {
        if !checked.iter().any(|(known, _)| known == id) {
            checked.push((id.clone(), Category::Marketing));
        }
    }
    json!({
        "kind": "decisions",
        "target": "stored-value",
        "input": input,
        "name": format!("fuzz {action} over {:?}", view.stored),
        "action": action,
        "context": { "now": view.now, "revision": view.revision, "gpc": view.gpc },
        "rules": {
            "revision": rules.revision,
            "consent-revision": rules.consent_revision,
            "lifetime-days": rules.lifetime_days,
        },
        "services": checked.iter().map(|(id, c)| json!({ "id": id, "category": c.key() })).collect::<Vec<_>>(),
        "previous": view.stored,
        "previous-decision": previous.as_ref().map(decision),
        "previous-status": before.status.key(),
        "decision": decision(&made),
        "stored": stored,
        "after-status": after.status.key(),
        "withdrawn": withdrawals(before.effective.as_ref(), after.effective.as_ref(), &checked),
    })
}

/// What `after` withdrew from `before`: the optional categories, then the
/// services (as `tests/vectors/decisions.json` lists them).
fn withdrawals(
    before: Option<&Effective>,
    after: Option<&Effective>,
    services: &[(String, Category)],
) -> Vec<String> {
    let categories = Category::OPTIONAL
        .into_iter()
        .filter(|c| withdrawn(before, after, c.key(), None))
        .map(|c| c.key().to_owned());
    let services = services
        .iter()
        .filter(|(id, c)| withdrawn(before, after, c.key(), Some(id)))
        .map(|(id, _)| id.clone());
    categories.chain(services).collect()
}
