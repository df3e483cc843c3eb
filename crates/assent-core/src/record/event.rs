//! The consent event a record describes (ISO/IEC TS 27560 "Events"): how it
//! was collected ([`Method::of`]) and the state of each purpose
//! ([`purposes`]), from the page configuration, the verdict being recorded and
//! this device's previous record (`docs/records.md`, "States").
//!
//! The loader's decision chunk makes records without the widget, so these rules
//! have a JavaScript twin (`www/loader/records.js` `event`), held to the
//! shared vectors (`tests/vectors/records.json`, [`crate::vectors`]).

use super::{Kind, Method, Purpose, State};
use crate::policy::page::PageCategory;
use crate::rules::{self, Verdict};
use crate::Decision;

impl From<crate::Method> for Method {
    fn from(method: crate::Method) -> Method {
        match method {
            crate::Method::AcceptAll => Method::AcceptAll,
            crate::Method::RejectAll => Method::RejectAll,
            crate::Method::Preferences => Method::Preferences,
        }
    }
}

impl Method {
    /// The method a record of `decision` names: `asked` when the event is not
    /// the decision's own click (`AllowService` for a decision the widget made
    /// within an embed's "Always allow", `Expiry` when its lifetime ran out),
    /// else how the decision was collected.
    pub fn of(asked: Option<Method>, decision: &Decision) -> Method {
        asked.unwrap_or_else(|| decision.method.into())
    }
}

/// The purposes of a record: every category of the page configuration, then
/// every service, in the configuration's order, each with its category's legal
/// basis and its state:
///
/// - `not-required` for strictly necessary storage (ePrivacy Art 5(3));
/// - else its state under `verdict` ([`Verdict::state`]: `given` when it runs
///   under the decision, `expired` when it ran under a decision that no longer
///   holds, else `refused`);
/// - `withdrawn` instead of `refused` when it was `given` in this device's
///   `previous` record (GDPR Art 7(3)); refused again stays `refused`.
pub fn purposes(
    categories: &[PageCategory],
    verdict: &Verdict,
    previous: &[Purpose],
) -> Vec<Purpose> {
    let mut services = Vec::new();
    let mut purposes = Vec::with_capacity(categories.len());
    for category in categories {
        let key = category.id.key();
        let purpose = |kind, id: &str, service: Option<&str>| Purpose {
            basis: category.legal_basis(),
            category: service.map(|_| key.to_owned()),
            id: id.to_owned(),
            kind,
            state: state(category, service, verdict, was_given(previous, kind, id)),
        };
        purposes.push(purpose(Kind::Category, key, None));
        for service in &category.services {
            services.push(purpose(Kind::Service, &service.id, Some(&service.id)));
        }
    }
    purposes.extend(services);
    purposes
}

/// The state of `category`, or of its `service`, under `verdict`.
fn state(
    category: &PageCategory,
    service: Option<&str>,
    verdict: &Verdict,
    was_given: bool,
) -> State {
    if !category.id.needs_consent() {
        return State::NotRequired;
    }
    match verdict.state(category.id.key(), service) {
        rules::State::Given => State::Given,
        rules::State::Expired => State::Expired,
        rules::State::Withdrawn => State::Withdrawn,
        rules::State::Refused if was_given => State::Withdrawn,
        rules::State::Refused => State::Refused,
    }
}

/// Whether the purpose `kind`/`id` was given in the previous record (its last
/// entry, should it list one twice).
fn was_given(previous: &[Purpose], kind: Kind, id: &str) -> bool {
    previous
        .iter()
        .rev()
        .find(|p| p.kind == kind && p.id == id)
        .is_some_and(|p| p.state == State::Given)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::LegalBasis;
    use crate::policy::page::PageService;
    use crate::{evaluate, Action, Category, Context, Rules};

    const NOW: u64 = 1_764_000_000_000;

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

    fn site() -> Vec<PageCategory> {
        vec![
            category(
                Category::Necessary,
                LegalBasis::LegitimateInterest,
                &["session"],
            ),
            category(Category::Analytics, LegalBasis::Consent, &["audience"]),
            category(
                Category::Marketing,
                LegalBasis::Consent,
                &["ads", "youtube"],
            ),
        ]
    }

    fn verdict(action: Action, now_ms: u64) -> Verdict {
        let context = Context {
            now_ms: NOW,
            revision: 1,
            gpc: false,
        };
        let stored = action.decide(context, None).encode();
        evaluate(
            Some(&stored),
            &Rules {
                revision: 1,
                consent_revision: 1,
                lifetime_days: 182,
            },
            now_ms,
            false,
        )
    }

    fn states(purposes: &[Purpose]) -> Vec<(&str, State)> {
        purposes.iter().map(|p| (p.id.as_str(), p.state)).collect()
    }

    #[test]
    fn categories_come_first_then_services_with_their_category_and_basis() {
        let p = purposes(&site(), &verdict(Action::AcceptAll, NOW), &[]);
        assert_eq!(
            states(&p),
            [
                ("necessary", State::NotRequired),
                ("analytics", State::Given),
                ("marketing", State::Given),
                ("session", State::NotRequired),
                ("audience", State::Given),
                ("ads", State::Given),
                ("youtube", State::Given),
            ]
        );
        assert_eq!(p[0].basis, LegalBasis::LegitimateInterest);
        assert_eq!(
            (p[3].category.as_deref(), p[3].basis),
            (Some("necessary"), LegalBasis::LegitimateInterest)
        );
        assert_eq!(p[6].category.as_deref(), Some("marketing"));
        assert_eq!(p[1].category, None);
    }

    #[test]
    fn gdpr_7_3_given_then_refused_is_withdrawn_refused_again_is_refused() {
        let given = purposes(&site(), &verdict(Action::AcceptAll, NOW), &[]);
        let withdrawn = purposes(&site(), &verdict(Action::RejectAll, NOW), &given);
        assert_eq!(withdrawn[1].state, State::Withdrawn);
        assert_eq!(withdrawn[6].state, State::Withdrawn);
        assert_eq!(withdrawn[0].state, State::NotRequired);
        let again = purposes(&site(), &verdict(Action::RejectAll, NOW), &withdrawn);
        assert_eq!(again[1].state, State::Refused);
    }

    #[test]
    fn an_expired_decision_marks_what_it_gave_expired() {
        let lapsed = verdict(Action::AcceptAll, NOW + 182 * rules::DAY_MS);
        let p = purposes(&site(), &lapsed, &[]);
        assert_eq!(p[1].state, State::Expired);
        assert_eq!(p[5].state, State::Expired);
    }

    #[test]
    fn the_method_is_the_decision_s_unless_the_event_says_otherwise() {
        let d = Action::RejectAll.decide(Context::default(), None);
        assert_eq!(Method::of(None, &d), Method::RejectAll);
        assert_eq!(Method::of(Some(Method::Expiry), &d), Method::Expiry);
        assert_eq!(
            Method::of(Some(Method::AllowService), &d),
            Method::AllowService
        );
    }

    #[cfg(feature = "policy-text")]
    #[test]
    fn a_decision_s_method_keeps_its_key_in_records() {
        for m in crate::Method::ALL {
            assert_eq!(
                serde_json::to_value(Method::from(m)).ok(),
                Some(m.key().into())
            );
        }
    }
}
