//! `decisions.json`: the decisions the loader makes without the widget, Accept
//! all and Reject all (a `data-assent-open="reject"` one-click withdrawal is
//! Reject all over the previous decision), on every kind of previous decision,
//! with and without GPC, under several policy revisions: the decision
//! (`Action::decide`), its stored value (`Decision::encode`) and what it
//! withdrew (`rules::withdrawn`, GDPR Art 7(3)). Twin: `www/loader/choice.js`
//! (`tests/loader/decisions.test.mjs`).

use serde_json::{json, Value};

use super::decision;
use crate::choice::{Context, Services};
use crate::rules::{Effective, DAY_MS};
use crate::stored::MAX_TIMESTAMP_MS;
use crate::{evaluate, withdrawn, Action, Category, Choice, Decision, Rules};

const NOW: u64 = 1_764_000_000_000;

/// The services each case checks for withdrawal, with their category.
const SERVICES: [(&str, Category); 3] = [
    ("youtube", Category::Marketing),
    ("ads", Category::Marketing),
    ("audience", Category::Analytics),
];

/// The policy revisions of the page (and of the decision made on it).
const REVISIONS: [u32; 3] = [0, 2, u32::MAX];

fn stored(action: Action, now_ms: u64, revision: u32, gpc: bool) -> String {
    let context = Context {
        now_ms,
        revision,
        gpc,
    };
    action.decide(context, None).encode()
}

/// Every kind of decision a visitor may already have: its name and stored value.
fn previous() -> Vec<(&'static str, Option<String>)> {
    let exceptions = Services::from([("youtube".to_owned(), true), ("audience".to_owned(), false)]);
    let analytics_and_personalization = Choice::accept_all().with(Category::Marketing, false);
    let always_allow = Action::AllowService("youtube".into()).decide(
        Context {
            now_ms: NOW - DAY_MS,
            revision: 2,
            gpc: false,
        },
        Some(&Action::RejectAll.decide(Context::default(), None)),
    );
    vec![
        ("no previous decision", None),
        (
            "accept all",
            Some(stored(Action::AcceptAll, NOW - DAY_MS, 2, false)),
        ),
        (
            "reject all",
            Some(stored(Action::RejectAll, NOW - DAY_MS, 2, false)),
        ),
        (
            "preferences with service exceptions",
            Some(stored(
                Action::Save(analytics_and_personalization, exceptions),
                NOW - DAY_MS,
                2,
                false,
            )),
        ),
        ("always allow one service", Some(always_allow.encode())),
        (
            "accept all made under GPC",
            Some(stored(Action::AcceptAll, NOW - DAY_MS, 2, true)),
        ),
        (
            "an expired accept all",
            Some(stored(Action::AcceptAll, NOW - 200 * DAY_MS, 2, false)),
        ),
        (
            "an outdated accept all (a material policy change since)",
            Some(stored(Action::AcceptAll, NOW - DAY_MS, 1, false)),
        ),
    ]
}

/// The actions the loader decides, with their key (`data-assent-open="reject"` is `reject-all`).
fn actions() -> [(Action, &'static str); 2] {
    [
        (Action::AcceptAll, "accept-all"),
        (Action::RejectAll, "reject-all"),
    ]
}

struct Case {
    name: String,
    action: Action,
    key: &'static str,
    context: Context,
    previous: Option<String>,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (action, key) in actions() {
        for (about, previous) in previous() {
            for gpc in [false, true] {
                for revision in REVISIONS {
                    // Reject all over a decision is the one-click withdrawal.
                    let kind = match (&action, &previous) {
                        (Action::RejectAll, Some(_)) => "withdrawal: reject-all",
                        _ => key,
                    };
                    out.push(Case {
                        name: format!(
                            "{kind} over {about}{}, revision {revision}",
                            if gpc { ", GPC" } else { "" }
                        ),
                        action: action.clone(),
                        key,
                        context: Context {
                            now_ms: NOW,
                            revision,
                            gpc,
                        },
                        previous: previous.clone(),
                    });
                }
            }
        }
    }
    // The ends of the stored timestamp's range.
    for now_ms in [0, MAX_TIMESTAMP_MS] {
        for (action, key) in actions() {
            out.push(Case {
                name: format!("{key} at {now_ms} ms"),
                action,
                key,
                context: Context {
                    now_ms,
                    revision: 1,
                    gpc: false,
                },
                previous: None,
            });
        }
    }
    out
}

/// The page's rules in a case: its revision is the decision's; decisions from
/// before revision 2 are outdated (when the page has reached it).
fn rules(context: Context) -> Rules {
    Rules {
        revision: context.revision,
        consent_revision: context.revision.min(2),
        ..Rules::default()
    }
}

/// What `after` withdrew from `before`, as the loader's `assent:change` event
/// lists it: the optional categories, then the services.
fn withdrawals(before: Option<&Effective>, after: Option<&Effective>) -> Vec<&'static str> {
    let categories = Category::OPTIONAL
        .into_iter()
        .filter(|c| withdrawn(before, after, c.key(), None))
        .map(Category::key);
    let services = SERVICES
        .into_iter()
        .filter(|(id, c)| withdrawn(before, after, c.key(), Some(id)))
        .map(|(id, _)| id);
    categories.chain(services).collect()
}

/// Every case, as the JSON document written to `tests/vectors/decisions.json`.
pub fn generate() -> Value {
    let cases: Vec<Value> = cases()
        .into_iter()
        .map(|case| {
            let rules = rules(case.context);
            let (now, gpc) = (case.context.now_ms, case.context.gpc);
            let before = evaluate(case.previous.as_deref(), &rules, now, gpc);
            let previous = case
                .previous
                .as_deref()
                .and_then(|s| Decision::decode(s).ok());
            let made = case.action.decide(case.context, previous.as_ref());
            let stored = made.encode();
            let after = evaluate(Some(&stored), &rules, now, gpc);
            json!({
                "name": case.name,
                "action": case.key,
                "context": { "now": now, "revision": case.context.revision, "gpc": gpc },
                "rules": {
                    "revision": rules.revision,
                    "consent-revision": rules.consent_revision,
                    "lifetime-days": rules.lifetime_days,
                },
                "previous": case.previous,
                "previous-status": before.status.key(),
                "decision": decision(&made),
                "stored": stored,
                "withdrawn": withdrawals(before.effective.as_ref(), after.effective.as_ref()),
            })
        })
        .collect();
    json!({
        "about": super::about("decisions"),
        "services": SERVICES.iter().map(|(id, c)| json!({ "id": id, "category": c.key() })).collect::<Vec<_>>(),
        "cases": cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_decision_reads_back_and_holds_on_its_page() {
        for case in cases() {
            let rules = rules(case.context);
            let made = case.action.clone().decide(case.context, None);
            assert_eq!(
                Decision::decode(&made.encode()),
                Ok(made.clone()),
                "{}",
                case.name
            );
            let after = evaluate(
                Some(&made.encode()),
                &rules,
                case.context.now_ms,
                case.context.gpc,
            );
            assert_eq!(after.status.key(), "valid", "{}", case.name);
        }
    }

    #[test]
    fn gdpr_7_3_a_one_click_withdrawal_withdraws_every_grant() {
        let v = generate();
        let cases = v["cases"].as_array().unwrap();
        let withdrawal = cases
            .iter()
            .find(|c| c["name"] == "withdrawal: reject-all over accept all, revision 2")
            .unwrap();
        assert_eq!(
            withdrawal["withdrawn"],
            json!([
                "analytics",
                "marketing",
                "personalization",
                "youtube",
                "ads",
                "audience"
            ])
        );
        assert!(cases.iter().any(|c| c["previous-status"] == "expired"));
        assert!(cases.iter().any(|c| c["previous-status"] == "outdated"));
    }
}
