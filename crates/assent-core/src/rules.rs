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

    /// This, as the user may see and build on it: under a GPC refusal, a
    /// service granted alone in a category the signal refuses is not granted
    /// either (its gate holds), so the preferences show it off and a new
    /// decision made under the signal does not carry it over as explicit.
    /// `category_of` names a service's category; an unknown one is dropped.
    pub fn shown(&self, category_of: impl Fn(&str) -> Option<Category>) -> Effective {
        let mut e = self.clone();
        if e.gpc_refused {
            e.services.retain(|id, granted| {
                !*granted || category_of(id).is_some_and(|c| !GPC_REFUSES.contains(&c))
            });
        }
        e
    }

    /// This as a decision to build the next one on (see [`Effective::shown`]).
    pub fn as_decision(&self, like: &Decision) -> Decision {
        Decision {
            choice: self.choice,
            services: self.services.clone(),
            ..like.clone()
        }
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

/// The state of consent to one category or service on this page view (ISO/IEC
/// TS 27560 event states). `Withdrawn` is a transition, see [`withdrawn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Granted by a valid decision (strictly necessary: always).
    Given,
    /// Not granted: refused, or never asked.
    Refused,
    /// Granted before, refused by the decision just made.
    Withdrawn,
    /// Granted by a decision that no longer holds (expired, or the policy changed).
    Expired,
}

impl State {
    /// The key used in test vectors and the JavaScript API.
    pub fn key(self) -> &'static str {
        match self {
            State::Given => "given",
            State::Refused => "refused",
            State::Withdrawn => "withdrawn",
            State::Expired => "expired",
        }
    }
}

/// Why the page is in its consent state (ISO/IEC TS 27560 collection method,
/// plus why a decision no longer holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Accept all.
    AcceptAll,
    /// Reject all.
    RejectAll,
    /// Category by category or service by service.
    Custom,
    /// A Global Privacy Control signal refused marketing.
    Gpc,
    /// The decision expired.
    Expiry,
    /// The policy changed materially since the decision.
    PolicyChange,
    /// No decision yet.
    None,
}

impl Reason {
    /// The key used in test vectors and the JavaScript API.
    pub fn key(self) -> &'static str {
        match self {
            Reason::AcceptAll => "accept-all",
            Reason::RejectAll => "reject-all",
            Reason::Custom => "custom",
            Reason::Gpc => "gpc",
            Reason::Expiry => "expiry",
            Reason::PolicyChange => "policy-change",
            Reason::None => "none",
        }
    }
}

impl Verdict {
    /// Why the page is in this state.
    pub fn reason(&self) -> Reason {
        match (self.status, &self.effective, &self.decision) {
            (Status::Valid, Some(e), _) if e.gpc_refused => Reason::Gpc,
            (Status::Valid, _, Some(d)) => match d.method {
                crate::Method::AcceptAll => Reason::AcceptAll,
                crate::Method::RejectAll => Reason::RejectAll,
                crate::Method::Preferences => Reason::Custom,
            },
            (Status::Expired, ..) => Reason::Expiry,
            (Status::Outdated, ..) => Reason::PolicyChange,
            _ => Reason::None,
        }
    }

    /// The state of an element's categories (and service) on this page view.
    pub fn state(&self, categories: &str, service: Option<&str>) -> State {
        use crate::{gate, Gate};
        if gate(self.effective.as_ref(), categories, service) == Gate::Run {
            return State::Given;
        }
        let lapsed = matches!(self.status, Status::Expired | Status::Outdated);
        let had = self.decision.as_ref().map(|d| Effective::of(d, false));
        if lapsed && gate(had.as_ref(), categories, service) == Gate::Run {
            State::Expired
        } else {
            State::Refused
        }
    }
}

/// Whether a decision withdrew consent to an element's categories (and
/// service): allowed under `before`, held under `after` (GDPR Art 7(3); the
/// loader then clears the service's declared cookies).
pub fn withdrawn(
    before: Option<&Effective>,
    after: Option<&Effective>,
    categories: &str,
    service: Option<&str>,
) -> bool {
    use crate::{gate, Gate};
    gate(before, categories, service) == Gate::Run && gate(after, categories, service) == Gate::Hold
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
    use crate::{Action, Services};

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
    fn iso_27560_states_given_refused_expired_and_their_reason() {
        let r = rules(2, 2);
        let only_analytics = Action::Save(
            Choice::reject_all().with(Category::Analytics, true),
            Services::new(),
        );
        let s = stored(only_analytics, NOW, 2, false);
        let v = evaluate(Some(&s), &r, NOW, false);
        assert_eq!(v.reason(), Reason::Custom);
        assert_eq!(v.state("analytics", None), State::Given);
        assert_eq!(v.state("marketing", None), State::Refused);
        assert_eq!(v.state("necessary", None), State::Given);
        let later = evaluate(Some(&s), &r, NOW + 182 * DAY_MS, false);
        assert_eq!(later.reason(), Reason::Expiry);
        assert_eq!(later.state("analytics", None), State::Expired);
        assert_eq!(later.state("marketing", None), State::Refused);
        let changed = evaluate(Some(&s), &rules(3, 3), NOW, false);
        assert_eq!(changed.reason(), Reason::PolicyChange);
        assert_eq!(changed.state("analytics", None), State::Expired);
        assert_eq!(evaluate(None, &r, NOW, false).reason(), Reason::None);
        let accepted = stored(Action::AcceptAll, NOW, 2, false);
        assert_eq!(
            evaluate(Some(&accepted), &r, NOW, false).reason(),
            Reason::AcceptAll
        );
        let gpc = evaluate(Some(&accepted), &r, NOW, true);
        assert_eq!(gpc.reason(), Reason::Gpc);
        assert_eq!(gpc.state("marketing", None), State::Refused);
        let rejected = stored(Action::RejectAll, NOW, 2, false);
        assert_eq!(
            evaluate(Some(&rejected), &r, NOW, false).reason(),
            Reason::RejectAll
        );
    }

    #[test]
    fn gdpr_7_3_withdrawal_is_a_grant_turned_into_a_refusal() {
        let r = rules(2, 2);
        let all = evaluate(
            Some(&stored(Action::AcceptAll, NOW, 2, false)),
            &r,
            NOW,
            false,
        );
        let none = evaluate(
            Some(&stored(Action::RejectAll, NOW, 2, false)),
            &r,
            NOW,
            false,
        );
        let (all, none) = (all.effective.as_ref(), none.effective.as_ref());
        assert!(withdrawn(all, none, "marketing", Some("ads")));
        assert!(
            !withdrawn(none, all, "marketing", Some("ads")),
            "granting is not withdrawing"
        );
        assert!(
            !withdrawn(all, none, "necessary", None),
            "necessary is never withdrawn"
        );
        assert!(
            !withdrawn(None, none, "analytics", None),
            "nothing to withdraw"
        );
    }

    #[test]
    fn gpc_a_service_granted_alone_in_a_refused_category_is_not_shown_as_granted() {
        let category_of = |id: &str| match id {
            "ads" => Some(Category::Marketing),
            "audience" => Some(Category::Analytics),
            _ => None,
        };
        let services = Services::from([
            ("ads".to_owned(), true),
            ("audience".to_owned(), true),
            ("mystery".to_owned(), true),
            ("blocked".to_owned(), false),
        ]);
        let s = stored(Action::Save(Choice::reject_all(), services), NOW, 0, false);
        let v = evaluate(Some(&s), &Rules::default(), NOW, true);
        let shown = v.effective.unwrap().shown(category_of);
        assert_eq!(
            shown.services,
            Services::from([("audience".to_owned(), true), ("blocked".to_owned(), false)])
        );
        // Without the signal nothing changes.
        let v = evaluate(Some(&s), &Rules::default(), NOW, false);
        let e = v.effective.unwrap();
        assert_eq!(e.shown(category_of), e);
    }

    #[test]
    fn gpc_always_allow_one_service_does_not_grant_its_whole_category() {
        let s = stored(Action::AcceptAll, NOW, 0, false);
        let v = evaluate(Some(&s), &Rules::default(), NOW, true);
        let previous = v.decision.clone().unwrap();
        let base = v
            .effective
            .unwrap()
            .shown(|_| Some(Category::Marketing))
            .as_decision(&previous);
        let context = Context {
            now_ms: NOW,
            revision: 0,
            gpc: true,
        };
        let d = Action::AllowService("video".into()).decide(context, Some(&base));
        assert!(!d.choice.allows(Category::Marketing));
        assert!(d.choice.allows(Category::Analytics));
        assert_eq!(d.services, Services::from([("video".to_owned(), true)]));
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
