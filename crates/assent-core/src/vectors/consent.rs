//! `consent.json`: stored values, the circumstances of a page view, and what
//! core concludes (status, decision, what runs, reason, states): `stored.rs`,
//! `rules.rs` and `gate.rs`, whose twin is `www/loader/rules.js`
//! (`tests/loader/vectors.test.mjs`).

use serde_json::{json, Map, Value};

use super::{categories, decision, services};
use crate::choice::{Context, Services};
use crate::rules::{DAY_MS, DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS};
use crate::{evaluate, gate, Action, Category, Choice, Gate, Rules};

/// The `data-category` / `data-service` pairs every case is gated against.
const PROBES: &[(&str, Option<&str>)] = &[
    ("necessary", None),
    ("analytics", None),
    ("marketing", None),
    ("personalization", None),
    ("analytics marketing", None),
    ("analytics,necessary", None),
    (" ANALYTICS ", None),
    ("", None),
    ("ads", None),
    ("analytics ads", None),
    ("necessary", Some("ads")),
    ("analytics", Some("audience")),
    ("marketing", Some("ads")),
    ("marketing", Some("youtube")),
    ("personalization", Some("youtube")),
];

/// The states reported for every case (`getConsent()` in the loader): each
/// category, and services of the marketing and analytics categories.
const STATE_PROBES: &[(&str, &str, Option<&str>)] = &[
    ("necessary", "necessary", None),
    ("analytics", "analytics", None),
    ("marketing", "marketing", None),
    ("personalization", "personalization", None),
    ("service ads", "marketing", Some("ads")),
    ("service youtube", "marketing", Some("youtube")),
    ("service audience", "analytics", Some("audience")),
];

const NOW: u64 = 1_764_000_000_000;

/// One page view of `consent.json`: a stored value (if any) under the
/// page's rules, clock and GPC signal.
pub struct Case {
    /// What the case is about.
    pub name: String,
    /// The cookie or `localStorage` value, if any.
    pub stored: Option<String>,
    /// The page's rules.
    pub rules: Rules,
    /// Now, Unix milliseconds.
    pub now_ms: u64,
    /// The browser's GPC signal.
    pub gpc: bool,
}

impl Case {
    /// The case with what core concludes, in the shape of a case of
    /// `consent.json`: status, decision, expiry, what is effective, each of
    /// `probes` (`data-category`, `data-service`) gated, the reason and the
    /// states of `STATE_PROBES`.
    pub fn json(&self, probes: &[(&str, Option<&str>)]) -> Value {
        let verdict = evaluate(self.stored.as_deref(), &self.rules, self.now_ms, self.gpc);
        let gates: Vec<Value> = probes
            .iter()
            .map(|(category, service)| {
                json!({
                    "category": category,
                    "service": service,
                    "run": gate(verdict.effective.as_ref(), category, *service) == Gate::Run,
                })
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
            "name": self.name,
            "stored": self.stored,
            "revision": self.rules.revision,
            "consent-revision": self.rules.consent_revision,
            "lifetime-days": self.rules.lifetime_days,
            "now": self.now_ms,
            "gpc": self.gpc,
            "status": verdict.status.key(),
            "decision": verdict.decision.as_ref().map(decision),
            "expires-at": verdict.decision.as_ref().map(|d| self.rules.expires_at_ms(d)),
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
}

fn rules(revision: u32, consent_revision: u32, lifetime_days: u32) -> Rules {
    Rules {
        revision,
        consent_revision,
        lifetime_days,
    }
}

fn stored(action: Action, now_ms: u64, revision: u32, gpc: bool) -> String {
    let context = Context {
        now_ms,
        revision,
        gpc,
    };
    action.decide(context, None).encode()
}

fn cases() -> Vec<Case> {
    let base = rules(2, 2, DEFAULT_LIFETIME_DAYS);
    let mut out = Vec::new();
    let mut add = |name: &str, stored: Option<String>, rules: Rules, now_ms: u64, gpc: bool| {
        out.push(Case {
            name: name.to_owned(),
            stored,
            rules,
            now_ms,
            gpc,
        })
    };
    add("nothing stored", None, base, NOW, false);
    for bad in [
        "",
        "   ",
        "true",
        "v1.a1m1p1.accept-all.1764000000000",
        "v2.a1m1p1.accept-all.1764000000000.2.0",
        "v2.a1m1p1.accept-all.1764000000000.2.0..",
        "v2.a1m1.accept-all.1764000000000.2.0.",
        "v2.m1a1p1.accept-all.1764000000000.2.0.",
        "v2.a2m1p1.accept-all.1764000000000.2.0.",
        "v2.A1M1P1.accept-all.1764000000000.2.0.",
        "v2.a1m1p1.banner.1764000000000.2.0.",
        "v2.a1m1p1.Accept-All.1764000000000.2.0.",
        "v2.a1m1p1.accept-all..2.0.",
        "v2.a1m1p1.accept-all.+1764000000000.2.0.",
        "v2.a1m1p1.accept-all.1e12.2.0.",
        "v2.a1m1p1.accept-all.9007199254740992.2.0.",
        "v2.a1m1p1.accept-all.1764000000000.-2.0.",
        "v2.a1m1p1.accept-all.1764000000000.2.5.",
        "v2.a1m1p1.accept-all.1764000000000.2.0.ads",
        "v2.a1m1p1.accept-all.1764000000000.2.0.+ads~-ads",
        "v2.a1m1p1.accept-all.1764000000000.2.0.+a.b",
        "v2.a1m1p1.accept-all.1764000000000.2.0.+",
        "v2.a1m1p1.accept-all.1764000000000.2.0.+you tube",
    ] {
        add(
            &format!("malformed {bad:?}"),
            Some(bad.to_owned()),
            base,
            NOW,
            false,
        );
    }
    for bits in 0..8u8 {
        let mut choice = Choice::reject_all();
        for (i, c) in Category::OPTIONAL.into_iter().enumerate() {
            choice = choice.with(c, bits & (1 << i) != 0);
        }
        let s = stored(Action::Save(choice, Services::new()), NOW - 1000, 2, false);
        add(&format!("preferences {s}"), Some(s), base, NOW, false);
    }
    let accept = stored(Action::AcceptAll, NOW - DAY_MS, 2, false);
    let reject = stored(Action::RejectAll, NOW - DAY_MS, 2, false);
    add("accept all", Some(accept.clone()), base, NOW, false);
    add("reject all", Some(reject.clone()), base, NOW, false);
    add(
        "surrounding whitespace is ignored",
        Some(format!(" {accept}\n")),
        base,
        NOW,
        false,
    );
    let services = Services::from([("youtube".to_owned(), true), ("ads".to_owned(), false)]);
    let with_services = stored(
        Action::Save(
            Choice::accept_all().with(Category::Marketing, false),
            services.clone(),
        ),
        NOW - 1000,
        2,
        false,
    );
    add("service exceptions", Some(with_services), base, NOW, false);
    let refusing_one = stored(
        Action::Save(Choice::accept_all(), services),
        NOW - 1000,
        2,
        false,
    );
    add("one service refused", Some(refusing_one), base, NOW, false);

    // Expiry.
    let decided = NOW - 1000;
    let a = stored(Action::AcceptAll, decided, 2, false);
    for (days, after, label) in [
        (
            DEFAULT_LIFETIME_DAYS,
            182 * DAY_MS - 1,
            "last millisecond of six months",
        ),
        (DEFAULT_LIFETIME_DAYS, 182 * DAY_MS, "six months: expired"),
        (30, 30 * DAY_MS - 1, "30-day lifetime, last millisecond"),
        (30, 30 * DAY_MS, "30-day lifetime: expired"),
        (
            MAX_LIFETIME_DAYS,
            395 * DAY_MS - 1,
            "13 months, last millisecond",
        ),
        (1000, 395 * DAY_MS, "1000 days is clamped to 13 months"),
        (0, DAY_MS - 1, "0 days is clamped to one day"),
        (0, DAY_MS, "0 days is clamped to one day: expired"),
    ] {
        add(
            label,
            Some(a.clone()),
            rules(2, 2, days),
            decided + after,
            false,
        );
    }
    let refusing_audience = stored(
        Action::Save(
            Choice::accept_all(),
            Services::from([("audience".to_owned(), false), ("youtube".to_owned(), true)]),
        ),
        decided,
        2,
        false,
    );
    add(
        "expired with service exceptions: refused services stay refused",
        Some(refusing_audience),
        base,
        decided + 182 * DAY_MS,
        false,
    );
    // Clock.
    add(
        "dated one day ahead (clock skew) holds",
        Some(stored(Action::AcceptAll, NOW + DAY_MS, 2, false)),
        base,
        NOW,
        false,
    );
    add(
        "dated more than a day ahead is not trusted",
        Some(stored(Action::AcceptAll, NOW + DAY_MS + 1, 2, false)),
        base,
        NOW,
        false,
    );
    // Policy revisions.
    add(
        "cosmetic change keeps consent",
        Some(accept.clone()),
        rules(3, 2, 182),
        NOW,
        false,
    );
    add(
        "material change asks again",
        Some(accept.clone()),
        rules(3, 3, 182),
        NOW,
        false,
    );
    add(
        "decision from a newer revision",
        Some(accept.clone()),
        rules(1, 1, 182),
        NOW,
        false,
    );
    add(
        "page without a policy",
        Some(stored(Action::AcceptAll, NOW, 0, false)),
        Rules::default(),
        NOW,
        false,
    );
    // GPC.
    add(
        "GPC refuses marketing the decision did not see",
        Some(accept.clone()),
        base,
        NOW,
        true,
    );
    add(
        "GPC: accept all made with the signal",
        Some(stored(Action::AcceptAll, NOW - 1000, 2, true)),
        base,
        NOW,
        true,
    );
    add(
        "GPC: explicit grant made with the signal",
        Some(stored(
            Action::Save(Choice::accept_all(), Services::new()),
            NOW - 1000,
            2,
            true,
        )),
        base,
        NOW,
        true,
    );
    add(
        "GPC beats a service granted alone",
        Some(stored(
            Action::Save(
                Choice::reject_all(),
                Services::from([("ads".to_owned(), true), ("youtube".to_owned(), true)]),
            ),
            NOW - 1000,
            2,
            false,
        )),
        base,
        NOW,
        true,
    );
    add("GPC without a decision", None, base, NOW, true);
    add("reject all under GPC", Some(reject), base, NOW, true);
    out
}

/// Every case, as the JSON document written to `tests/vectors/consent.json`.
pub fn generate() -> Value {
    let cases: Vec<Value> = cases().iter().map(|case| case.json(PROBES)).collect();
    json!({
        "about": super::about("consent"),
        "stored-format": "v2.<a?m?p?>.<method>.<decided-at-ms>.<policy-revision>.<gpc 0|1>.<~-separated +service|-service>",
        "default-lifetime-days": DEFAULT_LIFETIME_DAYS,
        "max-lifetime-days": MAX_LIFETIME_DAYS,
        "cases": cases,
    })
}
