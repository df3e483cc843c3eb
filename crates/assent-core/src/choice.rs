//! What the user granted, and how they said it.
//!
//! A [`Choice`] starts with every optional category refused: nothing that needs
//! consent is ever on by default (EDPB Cookie Banner Taskforce, practice B "pre-ticked
//! boxes"; CNIL 2020-092: silence is refusal). The user's [`Action`] in the banner or
//! the preferences dialog becomes a timestamped [`Decision`].

use crate::Category;

/// The set of optional categories the user granted. `Necessary` is always allowed
/// and is never stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Choice {
    granted: u8,
}

impl Choice {
    /// Every optional category refused (also the [`Default`]).
    pub fn reject_all() -> Choice {
        Choice { granted: 0 }
    }

    /// Every optional category granted.
    pub fn accept_all() -> Choice {
        Category::OPTIONAL
            .into_iter()
            .fold(Choice::reject_all(), |c, cat| c.with(cat, true))
    }

    /// This choice with `category` granted or refused. `Necessary` cannot be refused
    /// and is left as it is.
    #[must_use]
    pub fn with(self, category: Category, granted: bool) -> Choice {
        let Some(bit) = bit(category) else {
            return self;
        };
        let granted = if granted {
            self.granted | bit
        } else {
            self.granted & !bit
        };
        Choice { granted }
    }

    /// Whether `category` may store, read or run under this choice.
    pub fn allows(self, category: Category) -> bool {
        match bit(category) {
            None => true,
            Some(bit) => self.granted & bit != 0,
        }
    }

    /// The optional categories granted, in UI order.
    pub fn granted(self) -> impl Iterator<Item = Category> {
        Category::OPTIONAL
            .into_iter()
            .filter(move |c| self.allows(*c))
    }
}

fn bit(category: Category) -> Option<u8> {
    match category {
        Category::Necessary => None,
        Category::Analytics => Some(1),
        Category::Marketing => Some(2),
        Category::Personalization => Some(4),
    }
}

/// How a decision was collected (ISO/IEC TS 27560 "collection method").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// "Accept all" in the banner or the preferences dialog.
    AcceptAll,
    /// "Reject all" in the banner or the preferences dialog.
    RejectAll,
    /// Category by category, saved from the preferences dialog.
    Preferences,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 3] = [Method::AcceptAll, Method::RejectAll, Method::Preferences];

    /// The key used in the stored form.
    pub fn key(self) -> &'static str {
        match self {
            Method::AcceptAll => "accept-all",
            Method::RejectAll => "reject-all",
            Method::Preferences => "preferences",
        }
    }

    /// Parses [`Method::key`].
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// A user action that decides consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Grant every optional category.
    AcceptAll,
    /// Refuse every optional category.
    RejectAll,
    /// Save exactly these categories from the preferences dialog.
    Save(Choice),
}

impl Action {
    /// The decision this action makes at `now_ms` (Unix milliseconds).
    pub fn decide(self, now_ms: u64) -> Decision {
        let (choice, method) = match self {
            Action::AcceptAll => (Choice::accept_all(), Method::AcceptAll),
            Action::RejectAll => (Choice::reject_all(), Method::RejectAll),
            Action::Save(choice) => (choice, Method::Preferences),
        };
        Decision {
            choice,
            method,
            decided_at_ms: now_ms,
        }
    }
}

/// A user's consent decision: what, how and when (EDPB 05/2020: consent must be
/// demonstrable).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// What was granted.
    pub choice: Choice,
    /// How it was collected.
    pub method: Method,
    /// When, in Unix milliseconds.
    pub decided_at_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edpb_b_nothing_is_pre_ticked() {
        let c = Choice::default();
        for cat in Category::OPTIONAL {
            assert!(!c.allows(cat), "{cat} must start refused");
        }
        assert_eq!(c, Choice::reject_all());
    }

    #[test]
    fn necessary_is_always_allowed_and_cannot_be_refused() {
        assert!(Choice::reject_all().allows(Category::Necessary));
        let c = Choice::reject_all().with(Category::Necessary, false);
        assert!(c.allows(Category::Necessary));
        assert_eq!(c, Choice::reject_all());
    }

    #[test]
    fn with_grants_and_refuses_one_category_only() {
        let c = Choice::reject_all().with(Category::Analytics, true);
        assert!(c.allows(Category::Analytics));
        assert!(!c.allows(Category::Marketing));
        assert!(!c.allows(Category::Personalization));
        let c = Choice::accept_all().with(Category::Marketing, false);
        assert_eq!(
            c.granted().collect::<Vec<_>>(),
            vec![Category::Analytics, Category::Personalization]
        );
    }

    #[test]
    fn accept_all_grants_every_optional_category() {
        assert_eq!(
            Choice::accept_all().granted().collect::<Vec<_>>(),
            Category::OPTIONAL.to_vec()
        );
    }

    #[test]
    fn actions_record_their_collection_method() {
        let only_analytics = Choice::reject_all().with(Category::Analytics, true);
        let table = [
            (Action::AcceptAll, Choice::accept_all(), Method::AcceptAll),
            (Action::RejectAll, Choice::reject_all(), Method::RejectAll),
            (
                Action::Save(only_analytics),
                only_analytics,
                Method::Preferences,
            ),
            // Saving everything ticked is still a choice made in the preferences.
            (
                Action::Save(Choice::accept_all()),
                Choice::accept_all(),
                Method::Preferences,
            ),
        ];
        for (action, choice, method) in table {
            let d = action.decide(42);
            assert_eq!((d.choice, d.method, d.decided_at_ms), (choice, method, 42));
        }
    }

    #[test]
    fn method_keys_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::from_key(m.key()), Some(m));
        }
        assert_eq!(Method::from_key("banner"), None);
    }
}
