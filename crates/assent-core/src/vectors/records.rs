//! `records.json`: what a consent record says about its event, on several page
//! configurations: the record's method (`record::Method::of`) and each
//! purpose's state and basis (`record::purposes`), from the verdict recorded
//! (a decision just made, or one that expired), the GPC signal and this
//! device's previous record (given then refused is withdrawn). Twin:
//! `www/loader/records.js` `event` (`tests/loader/purposes.test.mjs`).

use serde_json::{json, Value};

use crate::choice::{Context, Services};
use crate::policy::model::LegalBasis;
use crate::policy::page::{PageCategory, PageService};
use crate::record::{self, Kind, Method, Purpose, State};
use crate::rules::DAY_MS;
use crate::{evaluate, Action, Category, Choice, Rules, Verdict};

const NOW: u64 = 1_764_000_000_000;

const RULES: Rules = Rules {
    revision: 2,
    consent_revision: 2,
    lifetime_days: 182,
};

fn category(id: Category, basis: LegalBasis, services: &[&str]) -> PageCategory {
    PageCategory {
        id,
        basis: Some(basis),
        name: Default::default(),
        description: Default::default(),
        consent_mode: Vec::new(),
        services: services
            .iter()
            .map(|s| PageService {
                id: (*s).to_owned(),
                name: Default::default(),
                provider: (*s).to_owned(),
                purpose: Default::default(),
                cookies: Vec::new(),
            })
            .collect(),
    }
}

/// The page configurations (their `categories`) every scenario is recorded on.
fn configurations() -> Vec<(&'static str, Vec<PageCategory>)> {
    use Category::*;
    use LegalBasis::*;
    vec![
        (
            "a site with services",
            vec![
                category(Necessary, LegitimateInterest, &["session"]),
                category(Analytics, Consent, &["audience"]),
                category(Marketing, Consent, &["ads", "youtube"]),
                category(Personalization, Consent, &[]),
            ],
        ),
        (
            "categories in another order, other bases",
            vec![
                category(Marketing, Consent, &["youtube", "maps"]),
                category(Necessary, LegalObligation, &[]),
                category(Personalization, ExplicitConsent, &["recommendations"]),
                category(Analytics, Consent, &[]),
            ],
        ),
        (
            "categories without services",
            vec![
                category(Necessary, LegitimateInterest, &[]),
                category(Analytics, Consent, &[]),
                category(Marketing, Consent, &[]),
                category(Personalization, Consent, &[]),
            ],
        ),
        ("no categories", Vec::new()),
    ]
}

fn stored(action: Action, now_ms: u64, gpc: bool) -> String {
    let context = Context {
        now_ms,
        revision: RULES.revision,
        gpc,
    };
    let previous = Action::RejectAll.decide(context, None);
    action.decide(context, Some(&previous)).encode()
}

/// A decision made with analytics and personalization, YouTube granted alone
/// and the audience measurement refused alone.
fn preferences() -> Action {
    Action::Save(
        Choice::accept_all().with(Category::Marketing, false),
        Services::from([("youtube".to_owned(), true), ("audience".to_owned(), false)]),
    )
}

/// What the device's previous record said.
enum Previous {
    /// This is its first record.
    None,
    /// The record of this stored decision, itself the first, on the same page.
    Of(String),
    /// The record of this stored decision, after the record of that one.
    After(String, String),
    /// These purposes, whatever the page.
    Listed(Vec<Purpose>),
}

/// One event to record, at [`NOW`]: what is stored, the GPC signal now, the
/// method asked for and the previous record.
struct Scenario {
    name: &'static str,
    stored: String,
    gpc: bool,
    asked: Option<Method>,
    previous: Previous,
}

fn scenarios() -> Vec<Scenario> {
    let accept = stored(Action::AcceptAll, NOW - 1000, false);
    let reject = stored(Action::RejectAll, NOW - 1000, false);
    let chosen = stored(preferences(), NOW - 1000, false);
    let old = NOW - 182 * DAY_MS;
    let listed = |items: &[(&str, Kind, State)]| {
        Previous::Listed(
            items
                .iter()
                .map(|(id, kind, state)| Purpose {
                    basis: LegalBasis::Consent,
                    category: (*kind == Kind::Service).then(|| "marketing".to_owned()),
                    id: (*id).to_owned(),
                    kind: *kind,
                    state: *state,
                })
                .collect(),
        )
    };
    let scenario = |name, stored: &String, gpc, asked, previous| Scenario {
        name,
        stored: stored.clone(),
        gpc,
        asked,
        previous,
    };
    vec![
        scenario("accept all, first record", &accept, false, None, Previous::None),
        scenario("reject all, first record", &reject, false, None, Previous::None),
        scenario(
            "preferences with service exceptions",
            &chosen,
            false,
            None,
            Previous::None,
        ),
        scenario(
            "accept all made under GPC",
            &stored(Action::AcceptAll, NOW - 1000, true),
            true,
            None,
            Previous::None,
        ),
        scenario(
            "accept all, then a GPC signal the decision did not see",
            &accept,
            true,
            None,
            Previous::None,
        ),
        scenario(
            "always allow one service (an embed's placeholder)",
            &stored(Action::AllowService("youtube".into()), NOW - 1000, false),
            false,
            Some(Method::AllowService),
            Previous::Of(reject.clone()),
        ),
        scenario(
            "withdrawal: reject all after accept all",
            &reject,
            false,
            None,
            Previous::Of(accept.clone()),
        ),
        scenario(
            "withdrawal of some: preferences after accept all",
            &chosen,
            false,
            None,
            Previous::Of(accept.clone()),
        ),
        scenario(
            "refused again after a withdrawal is refused",
            &reject,
            false,
            None,
            Previous::After(reject.clone(), accept.clone()),
        ),
        scenario(
            "given again after a withdrawal",
            &accept,
            false,
            None,
            Previous::After(reject.clone(), accept.clone()),
        ),
        scenario(
            "expiry of accept all",
            &stored(Action::AcceptAll, old, false),
            false,
            Some(Method::Expiry),
            Previous::Of(stored(Action::AcceptAll, old, false)),
        ),
        scenario(
            "expiry of preferences with service exceptions, under GPC",
            &stored(preferences(), old, false),
            true,
            Some(Method::Expiry),
            Previous::Of(stored(preferences(), old, false)),
        ),
        scenario(
            "a previous record from another page: only its given purposes count, its last entry wins",
            &reject,
            false,
            None,
            listed(&[
                ("analytics", Kind::Category, State::Given),
                ("analytics", Kind::Category, State::Refused),
                ("marketing", Kind::Category, State::Refused),
                ("marketing", Kind::Category, State::Given),
                ("personalization", Kind::Service, State::Given),
                ("youtube", Kind::Category, State::Given),
                ("ads", Kind::Service, State::Given),
                ("gone", Kind::Service, State::Given),
            ]),
        ),
        scenario(
            "withdrawn, expired or not required before is not a grant",
            &reject,
            false,
            None,
            listed(&[
                ("analytics", Kind::Category, State::Withdrawn),
                ("marketing", Kind::Category, State::Expired),
                ("personalization", Kind::Category, State::NotRequired),
                ("youtube", Kind::Service, State::Withdrawn),
            ]),
        ),
    ]
}

fn verdict(stored: &str, now_ms: u64, gpc: bool) -> Verdict {
    evaluate(Some(stored), &RULES, now_ms, gpc)
}

/// The purposes of the previous record on `categories`.
fn previous_purposes(categories: &[PageCategory], previous: &Previous) -> Vec<Purpose> {
    let of = |stored: &str, before: &[Purpose]| {
        record::purposes(categories, &verdict(stored, NOW - 1000, false), before)
    };
    match previous {
        Previous::None => Vec::new(),
        Previous::Of(stored) => of(stored, &[]),
        Previous::After(stored, first) => of(stored, &of(first, &[])),
        Previous::Listed(purposes) => purposes.clone(),
    }
}

/// Every case, as the JSON document written to `tests/vectors/records.json`:
/// `configurations` holds the `categories` of each page configuration
/// (`#assent-config`) by name, which each case names.
pub fn generate() -> Value {
    let mut cases = Vec::new();
    let mut pages = serde_json::Map::new();
    for (page, categories) in configurations() {
        pages.insert(page.to_owned(), json!(categories));
        for s in scenarios() {
            let verdict = verdict(&s.stored, NOW, s.gpc);
            let Some(decision) = &verdict.decision else {
                continue;
            };
            let previous = previous_purposes(&categories, &s.previous);
            cases.push(json!({
                "name": format!("{}; {page}", s.name),
                "configuration": page,
                "rules": {
                    "revision": RULES.revision,
                    "consent-revision": RULES.consent_revision,
                    "lifetime-days": RULES.lifetime_days,
                },
                "stored": s.stored,
                "now": NOW,
                "gpc": s.gpc,
                "asked-method": s.asked,
                "previous": previous,
                "status": verdict.status.key(),
                "method": Method::of(s.asked, decision),
                "purposes": record::purposes(&categories, &verdict, &previous),
            }));
        }
    }
    json!({
        "about": super::about("records"),
        "configurations": pages,
        "cases": cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cases_cover_every_state_and_method_the_browser_writes() {
        let v = generate();
        let cases = v["cases"].as_array().unwrap();
        let states: Vec<&Value> = cases
            .iter()
            .flat_map(|c| c["purposes"].as_array().unwrap())
            .map(|p| &p["state"])
            .collect();
        for state in ["given", "refused", "withdrawn", "expired", "not-required"] {
            assert!(states.iter().any(|s| *s == state), "{state}");
        }
        for method in [
            "accept-all",
            "reject-all",
            "preferences",
            "allow-service",
            "expiry",
        ] {
            assert!(cases.iter().any(|c| c["method"] == method), "{method}");
        }
        for status in ["valid", "expired"] {
            assert!(cases.iter().any(|c| c["status"] == status), "{status}");
        }
    }
}
