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
use assent_core::{evaluate, gate, withdrawn, Action, Category, Choice, Decision, Gate, Services};
use serde_json::{json, Map, Value};

use super::stored::{read, View};

/// The states every case reports, as `tests/vectors/consent.json` does (its
/// `STATE_PROBES`).
const STATE_PROBES: &[(&str, &str, Option<&str>)] = &[
    ("necessary", "necessary", None),
    ("analytics", "analytics", None),
    ("marketing", "marketing", None),
    ("personalization", "personalization", None),
    ("service ads", "marketing", Some("ads")),
    ("service youtube", "marketing", Some("youtube")),
    ("service audience", "analytics", Some("audience")),
];

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

fn categories(choice: Choice) -> Value {
    Category::OPTIONAL
        .into_iter()
        .map(|c| (c.key().to_owned(), Value::Bool(choice.allows(c))))
        .collect::<Map<_, _>>()
        .into()
}

fn services(services: &Services) -> Value {
    services
        .iter()
        .map(|(id, granted)| (id.clone(), Value::Bool(*granted)))
        .collect::<Map<_, _>>()
        .into()
}

/// A decision in the vectors' shape (`tests/vectors/` `decision`).
fn decision(d: &Decision) -> Value {
    json!({
        "categories": categories(d.choice),
        "services": services(&d.services),
        "method": d.method.key(),
        "decided-at": d.decided_at_ms,
        "revision": d.revision,
        "gpc": d.gpc,
    })
}

fn consent(view: &View, input: &str) -> Value {
    let rules = view.rules();
    let verdict = evaluate(view.stored.as_deref(), &rules, view.now, view.gpc);
    let gates: Vec<Value> = view
        .gates
        .iter()
        .map(|p| {
            let run = gate(
                verdict.effective.as_ref(),
                &p.category,
                p.service.as_deref(),
            );
            json!({ "category": p.category, "service": p.service, "run": run == Gate::Run })
        })
        .collect();
    let states: Map<String, Value> = STATE_PROBES
        .iter()
        .map(|(key, category, service)| {
            (
                (*key).to_owned(),
                json!(verdict.state(category, *service).key()),
            )
        })
        .collect();
    json!({
        "kind": "consent",
        "target": "stored-value",
        "input": input,
        "name": format!("fuzz {:?}", view.stored),
        "stored": view.stored,
        "revision": rules.revision,
        "consent-revision": rules.consent_revision,
        "lifetime-days": rules.lifetime_days,
        "now": view.now,
        "gpc": view.gpc,
        "status": verdict.status.key(),
        "decision": verdict.decision.as_ref().map(decision),
        "encoded": verdict.decision.as_ref().map(Decision::encode),
        "expires-at": verdict.decision.as_ref().map(|d| rules.expires_at_ms(d)),
        "effective": verdict.effective.as_ref().map(|e| json!({
            "categories": categories(e.choice),
            "services": services(&e.services),
            "gpc-refused": e.gpc_refused,
        })),
        "gates": gates,
        "reason": verdict.reason().key(),
        "states": states,
    })
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
