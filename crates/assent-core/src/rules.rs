//! Whether a stored decision still holds on this page view, and what it allows.
//!
//! The loader runs these rules on every page view without the widget's wasm;
//! the widget runs them when it starts. Both read the same stored value and must
//! agree, so the rules are written once, here, and exported as test vectors
//! (`tests/vectors/consent.json`, see [`crate::vectors`]) that the loader's tests
//! replay.
//!
//! - **Expiry.** A decision, a refusal included, holds for the configured
//!   lifetime: six months by default (CNIL deliberation 2020-092 and its
//!   recommendation of 17 September 2020), never more than 13 months (the CNIL's
//!   maximum for consent cookies), never less than a day.
//! - **Re-consent.** A decision given under a policy revision older than the
//!   policy's *consent revision* (the last revision with a material change, see
//!   [`crate::policy::diff`]) is outdated: the user is asked again and shown what
//!   changed. A decision from a revision newer than the page's policy is not
//!   trusted either.
//! - **Clock.** A decision dated more than a day in the future is not trusted.
//! - **GPC.** When the browser sends Global Privacy Control and the decision was
//!   made without it, [`GPC_REFUSES`] is refused whatever the decision says; a
//!   decision made *with* the signal present recorded the user's explicit choice.

use crate::choice::{Services, GPC_REFUSES};
use crate::{Category, Choice, Decision};

/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// Default lifetime of a decision: 182 days (six months).
pub const DEFAULT_LIFETIME_DAYS: u32 = 182;
/// Longest lifetime a site may configure: 395 days (13 months).
pub const MAX_LIFETIME_DAYS: u32 = 395;
/// How far in the future a decision's timestamp may be (clock differences between
/// tabs or devices) before it is not trusted.
pub const FUTURE_TOLERANCE_MS: u64 = DAY_MS;

/// What the page's policy says about validity (from `#assent-config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The policy revision on the page (0: no policy).
    pub revision: u32,
    /// The oldest revision whose decisions still hold.
    pub consent_revision: u32,
    /// Lifetime of a decision in days, before [`Rules::lifetime_ms`] clamps it.
    pub lifetime_days: u32,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            revision: 0,
            consent_revision: 0,
            lifetime_days: DEFAULT_LIFETIME_DAYS,
        }
    }
}

impl Rules {
    /// The lifetime in days, clamped to 1..=[`MAX_LIFETIME_DAYS`].
    pub fn lifetime_days(&self) -> u32 {
        self.lifetime_days.clamp(1, MAX_LIFETIME_DAYS)
    }

    /// The lifetime in milliseconds.
    pub fn lifetime_ms(&self) -> u64 {
        u64::from(self.lifetime_days()) * DAY_MS
    }

    /// When `decision` expires, in Unix milliseconds.
    pub fn expires_at_ms(&self, decision: &Decision) -> u64 {
        decision.decided_at_ms.saturating_add(self.lifetime_ms())
    }
}

/// Whether there is a decision to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing stored, or nothing trustworthy: ask (reason "none").
    None,
    /// The decision is older than its lifetime: ask again (reason "expiry").
    Expired,
    /// The policy changed materially since: ask again and show the changes
    /// (reason "policy-change").
    Outdated,
    /// The decision holds.
    Valid,
}

impl Status {
    /// The key used in test vectors and the JavaScript API.
    pub fn key(self) -> &'static str {
        match self {
            Status::None => "none",
            Status::Expired => "expired",
            Status::Outdated => "outdated",
            Status::Valid => "valid",
        }
    }
}

/// What a valid decision allows on this page view, after the GPC rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effective {
    /// Categories granted.
    pub choice: Choice,
    /// Service exceptions.
    pub services: Services,
    /// A GPC signal the decision did not see refuses [`GPC_REFUSES`], services included.
    pub gpc_refused: bool,
}

impl Effective {
    /// What `decision` allows when the browser's GPC signal is `gpc_now`.
    pub fn of(decision: &Decision, gpc_now: bool) -> Effective {
        let gpc_refused = gpc_now && !decision.gpc;
        let mut choice = decision.choice;
        if gpc_refused {
            for c in GPC_REFUSES {
                choice = choice.with(c, false);
            }
        }
        Effective {
            choice,
            services: decision.services.clone(),
            gpc_refused,
        }
    }

    /// Whether `category` is granted.
    pub fn allows(&self, category: Category) -> bool {
        self.choice.allows(category)
    }
}

/// The reading of a stored value on one page view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether there is a decision to apply.
    pub status: Status,
    /// The decoded decision, whatever its status (`None` when unreadable).
    pub decision: Option<Decision>,
    /// What is allowed: `Some` only when the status is [`Status::Valid`].
    pub effective: Option<Effective>,
    /// Why nothing was read, for the console (a broken value, a future date).
    pub problem: Option<String>,
}

/// Reads `stored` (the cookie or `localStorage` value, if any) under `rules` at
/// `now_ms`, with the browser's GPC signal `gpc_now`.
pub fn evaluate(stored: Option<&str>, rules: &Rules, now_ms: u64, gpc_now: bool) -> Verdict {
    let none = |problem: Option<String>, decision: Option<Decision>| Verdict {
        status: Status::None,
        decision,
        effective: None,
        problem,
    };
    let Some(stored) = stored.filter(|s| !s.trim().is_empty()) else {
        return none(None, None);
    };
    let decision = match Decision::decode(stored) {
        Ok(d) => d,
        Err(e) => return none(Some(e.to_string()), None),
    };
    if decision.decided_at_ms > now_ms.saturating_add(FUTURE_TOLERANCE_MS) {
        return none(
            Some("stored consent is dated in the future".to_owned()),
            Some(decision),
        );
    }
    let status = if now_ms >= rules.expires_at_ms(&decision) {
        Status::Expired
    } else if decision.revision < rules.consent_revision || decision.revision > rules.revision {
        Status::Outdated
    } else {
        Status::Valid
    };
    let effective = (status == Status::Valid).then(|| Effective::of(&decision, gpc_now));
    Verdict {
        status,
        decision: Some(decision),
        effective,
        problem: None,
    }
}

/// Of several stored values (cookie, `localStorage`), the one to use: the newest
/// valid decision, else the newest decoded one (so an expired or outdated
/// decision still says why the user is asked), else nothing.
pub fn pick(verdicts: Vec<Verdict>) -> Verdict {
    let rank = |v: &Verdict| {
        (
            v.status == Status::Valid,
            v.status != Status::None,
            v.decision.as_ref().map(|d| d.decided_at_ms),
        )
    };
    verdicts.into_iter().max_by_key(rank).unwrap_or(Verdict {
        status: Status::None,
        decision: None,
        effective: None,
        problem: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Context;
    use crate::Action;

    const NOW: u64 = 400 * DAY_MS;

    fn rules(revision: u32, consent_revision: u32) -> Rules {
        Rules {
            revision,
            consent_revision,
            lifetime_days: DEFAULT_LIFETIME_DAYS,
        }
    }

    fn stored(action: Action, now_ms: u64, revision: u32, gpc: bool) -> String {
        action
            .decide(
                Context {
                    now_ms,
                    revision,
                    gpc,
                },
                None,
            )
            .encode()
    }

    #[test]
    fn cnil_choice_is_kept_six_months_then_asked_again() {
        let s = stored(Action::RejectAll, NOW, 1, false);
        let r = rules(1, 1);
        let life = 182 * DAY_MS;
        assert_eq!(evaluate(Some(&s), &r, NOW, false).status, Status::Valid);
        assert_eq!(
            evaluate(Some(&s), &r, NOW + life - 1, false).status,
            Status::Valid
        );
        assert_eq!(
            evaluate(Some(&s), &r, NOW + life, false).status,
            Status::Expired
        );
    }

    #[test]
    fn cnil_lifetime_is_configurable_up_to_thirteen_months() {
        let s = stored(Action::AcceptAll, NOW, 1, false);
        let at = |days: u32, after_days: u64| {
            let r = Rules {
                lifetime_days: days,
                ..rules(1, 1)
            };
            evaluate(Some(&s), &r, NOW + after_days * DAY_MS, false).status
        };
        assert_eq!(at(30, 29), Status::Valid);
        assert_eq!(at(30, 30), Status::Expired);
        assert_eq!(at(395, 394), Status::Valid);
        // 1000 days is clamped to 13 months.
        assert_eq!(at(1000, 395), Status::Expired);
        // 0 days is clamped to one day, not "forever" or "never".
        assert_eq!(at(0, 0), Status::Valid);
        assert_eq!(at(0, 1), Status::Expired);
    }

    #[test]
    fn material_policy_change_asks_again_cosmetic_change_does_not() {
        let s = stored(Action::AcceptAll, NOW, 2, false);
        // Revision 3 is cosmetic: consent revision stays 2.
        assert_eq!(
            evaluate(Some(&s), &rules(3, 2), NOW, false).status,
            Status::Valid
        );
        // Revision 3 is material: consent revision 3.
        assert_eq!(
            evaluate(Some(&s), &rules(3, 3), NOW, false).status,
            Status::Outdated
        );
        // A decision from a newer revision than the page's is not trusted.
        assert_eq!(
            evaluate(Some(&s), &rules(1, 1), NOW, false).status,
            Status::Outdated
        );
    }

    #[test]
    fn a_decision_from_the_far_future_is_not_trusted() {
        let skewed = stored(Action::AcceptAll, NOW + FUTURE_TOLERANCE_MS, 0, false);
        assert_eq!(
            evaluate(Some(&skewed), &Rules::default(), NOW, false).status,
            Status::Valid
        );
        let forged = stored(Action::AcceptAll, NOW + FUTURE_TOLERANCE_MS + 1, 0, false);
        let v = evaluate(Some(&forged), &Rules::default(), NOW, false);
        assert_eq!(v.status, Status::None);
        assert!(v.effective.is_none());
        assert!(v.problem.is_some());
    }

    #[test]
    fn malformed_or_missing_values_never_grant() {
        for s in [
            None,
            Some(""),
            Some("v2.garbage"),
            Some("v1.a1m1p1.accept-all.1"),
        ] {
            let v = evaluate(s, &Rules::default(), NOW, false);
            assert_eq!(v.status, Status::None, "{s:?}");
            assert!(v.effective.is_none());
        }
    }

    #[test]
    fn gpc_refuses_marketing_the_decision_did_not_see() {
        let s = stored(Action::AcceptAll, NOW, 0, false);
        let v = evaluate(Some(&s), &Rules::default(), NOW, true);
        let e = v.effective.unwrap();
        assert!(e.gpc_refused);
        assert!(!e.allows(Category::Marketing));
        assert!(e.allows(Category::Analytics));
    }

    #[test]
    fn gpc_keeps_an_explicit_grant_made_with_the_signal() {
        let s = Action::Save(Choice::accept_all(), Services::new())
            .decide(
                Context {
                    now_ms: NOW,
                    revision: 0,
                    gpc: true,
                },
                None,
            )
            .encode();
        let e = evaluate(Some(&s), &Rules::default(), NOW, true)
            .effective
            .unwrap();
        assert!(!e.gpc_refused);
        assert!(e.allows(Category::Marketing));
    }

    #[test]
    fn newest_valid_store_wins() {
        let r = Rules::default();
        let old = evaluate(
            Some(&stored(Action::AcceptAll, NOW - 10, 0, false)),
            &r,
            NOW,
            false,
        );
        let new = evaluate(
            Some(&stored(Action::RejectAll, NOW - 5, 0, false)),
            &r,
            NOW,
            false,
        );
        let broken = evaluate(Some("junk"), &r, NOW, false);
        let picked = pick(vec![old.clone(), broken.clone(), new.clone()]);
        assert_eq!(picked, new);
        let expired = evaluate(
            Some(&stored(Action::AcceptAll, 0, 0, false)),
            &r,
            NOW,
            false,
        );
        assert_eq!(pick(vec![broken.clone(), expired.clone()]), expired);
        assert_eq!(pick(vec![expired, old.clone()]), old);
        assert_eq!(pick(vec![]).status, Status::None);
    }
}
