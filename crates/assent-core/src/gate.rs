//! Whether a gated element of the host page may run.
//!
//! The host page marks scripts and embeds with `data-category="analytics"` (one key,
//! or several separated by spaces or commas, all of which must be granted). The rule
//! fails closed: an unknown or empty category never runs, and nothing that needs
//! consent runs before a decision (ePrivacy Art 5(3), EDPB 05/2020: no consent by
//! silence or scrolling).

use crate::{Category, Choice};

/// What to do with one gated element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Activate it now.
    Run,
    /// Leave it inert.
    Hold,
}

/// Decides for a `data-category` value under `choice` (`None`: no valid decision yet).
pub fn gate(choice: Option<Choice>, categories: &str) -> Gate {
    let mut keys = categories
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|k| !k.is_empty())
        .peekable();
    if keys.peek().is_none() {
        return Gate::Hold;
    }
    let choice = choice.unwrap_or_default();
    let all_allowed = keys.all(|key| Category::from_key(key).is_some_and(|c| choice.allows(c)));
    if all_allowed {
        Gate::Run
    } else {
        Gate::Hold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eprivacy_5_3_nothing_optional_runs_before_a_decision() {
        for c in Category::OPTIONAL {
            assert_eq!(gate(None, c.key()), Gate::Hold, "{c}");
        }
        assert_eq!(gate(None, "necessary"), Gate::Run);
    }

    #[test]
    fn runs_only_granted_categories() {
        let choice = Choice::reject_all().with(Category::Analytics, true);
        let table = [
            ("analytics", Gate::Run),
            (" Analytics ", Gate::Run),
            ("marketing", Gate::Hold),
            ("personalization", Gate::Hold),
            ("necessary", Gate::Run),
        ];
        for (attr, expected) in table {
            assert_eq!(gate(Some(choice), attr), expected, "{attr:?}");
        }
    }

    #[test]
    fn several_categories_need_all_of_them() {
        let choice = Choice::reject_all().with(Category::Analytics, true);
        assert_eq!(gate(Some(choice), "analytics marketing"), Gate::Hold);
        assert_eq!(gate(Some(choice), "analytics,necessary"), Gate::Run);
        assert_eq!(
            gate(Some(Choice::accept_all()), "analytics, marketing"),
            Gate::Run
        );
    }

    #[test]
    fn unknown_or_empty_categories_fail_closed() {
        for attr in ["", "  ", ",", "ads", "analytics ads", "statistics"] {
            assert_eq!(
                gate(Some(Choice::accept_all()), attr),
                Gate::Hold,
                "{attr:?}"
            );
        }
    }
}
