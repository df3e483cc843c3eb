//! Whether a gated element of the host page may run.
//!
//! The host page marks scripts and embeds with `data-category="analytics"` (one key,
//! or several separated by spaces or commas, all of which must be granted). The rule
//! fails closed: an unknown or empty category never runs, and nothing that needs
//! consent runs before a decision (ePrivacy Art 5(3), EDPB 05/2020: no consent by
//! silence or scrolling).

use crate::choice::GPC_REFUSES;
use crate::rules::Effective;
use crate::Category;

/// What to do with one gated element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Activate it now.
    Run,
    /// Leave it inert.
    Hold,
}

/// Decides for an element's `data-category` value and optional `data-service`
/// under what the valid decision allows (`None`: no valid decision).
///
/// In order: unknown or empty categories hold; strictly necessary alone runs; a
/// GPC refusal holds its categories even for a service granted alone; a service
/// exception (`+id` / `-id`) decides for its service; otherwise every category
/// must be granted.
pub fn gate(effective: Option<&Effective>, categories: &str, service: Option<&str>) -> Gate {
    let keys: Vec<Option<Category>> = categories
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|k| !k.is_empty())
        .map(Category::from_key)
        .collect();
    let Some(categories) = keys.into_iter().collect::<Option<Vec<Category>>>() else {
        return Gate::Hold;
    };
    if categories.is_empty() {
        return Gate::Hold;
    }
    if categories.iter().all(|c| !c.needs_consent()) {
        return Gate::Run;
    }
    let Some(effective) = effective else {
        return Gate::Hold;
    };
    if effective.gpc_refused && categories.iter().any(|c| GPC_REFUSES.contains(c)) {
        return Gate::Hold;
    }
    let exception = service
        .map(str::trim)
        .and_then(|id| effective.services.get(id));
    let run = match exception {
        Some(granted) => *granted,
        None => categories.iter().all(|c| effective.allows(*c)),
    };
    if run {
        Gate::Run
    } else {
        Gate::Hold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choice::Services;
    use crate::Choice;

    fn allowing(choice: Choice) -> Effective {
        Effective {
            choice,
            ..Effective::default()
        }
    }

    #[test]
    fn eprivacy_5_3_nothing_optional_runs_before_a_decision() {
        for c in Category::OPTIONAL {
            assert_eq!(gate(None, c.key(), None), Gate::Hold, "{c}");
            assert_eq!(gate(None, c.key(), Some(c.key())), Gate::Hold, "{c}");
        }
        assert_eq!(gate(None, "necessary", None), Gate::Run);
    }

    #[test]
    fn runs_only_granted_categories() {
        let e = allowing(Choice::reject_all().with(Category::Analytics, true));
        let table = [
            ("analytics", Gate::Run),
            (" Analytics ", Gate::Run),
            ("marketing", Gate::Hold),
            ("personalization", Gate::Hold),
            ("necessary", Gate::Run),
        ];
        for (attr, expected) in table {
            assert_eq!(gate(Some(&e), attr, None), expected, "{attr:?}");
        }
    }

    #[test]
    fn several_categories_need_all_of_them() {
        let e = allowing(Choice::reject_all().with(Category::Analytics, true));
        assert_eq!(gate(Some(&e), "analytics marketing", None), Gate::Hold);
        assert_eq!(gate(Some(&e), "analytics,necessary", None), Gate::Run);
        let all = allowing(Choice::accept_all());
        assert_eq!(gate(Some(&all), "analytics, marketing", None), Gate::Run);
    }

    #[test]
    fn unknown_or_empty_categories_fail_closed() {
        let all = allowing(Choice::accept_all());
        for attr in ["", "  ", ",", "ads", "analytics ads", "statistics"] {
            assert_eq!(gate(Some(&all), attr, None), Gate::Hold, "{attr:?}");
        }
    }

    #[test]
    fn always_allow_one_service_runs_it_in_a_refused_category() {
        let e = Effective {
            services: Services::from([("youtube".into(), true)]),
            ..Effective::default()
        };
        assert_eq!(gate(Some(&e), "marketing", Some("youtube")), Gate::Run);
        assert_eq!(gate(Some(&e), "marketing", Some("vimeo")), Gate::Hold);
        assert_eq!(gate(Some(&e), "marketing", None), Gate::Hold);
    }

    #[test]
    fn refusing_one_service_holds_it_in_a_granted_category() {
        let e = Effective {
            choice: Choice::accept_all(),
            services: Services::from([("ads".into(), false)]),
            ..Effective::default()
        };
        assert_eq!(gate(Some(&e), "marketing", Some("ads")), Gate::Hold);
        assert_eq!(gate(Some(&e), "marketing", Some("other")), Gate::Run);
        // Strictly necessary cannot be refused, not even per service.
        assert_eq!(gate(Some(&e), "necessary", Some("ads")), Gate::Run);
    }

    #[test]
    fn gpc_refusal_beats_a_service_granted_alone() {
        let e = Effective {
            choice: Choice::accept_all().with(Category::Marketing, false),
            services: Services::from([("ads".into(), true)]),
            gpc_refused: true,
        };
        assert_eq!(gate(Some(&e), "marketing", Some("ads")), Gate::Hold);
        assert_eq!(gate(Some(&e), "analytics", Some("ads")), Gate::Run);
    }
}
