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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Method {
    /// "Accept all" in the banner or the preferences dialog.
    AcceptAll,
    /// "Reject all" in the banner or the preferences dialog (the default:
    /// silence is refusal).
    #[default]
    RejectAll,
    /// Category by category (or service by service), saved from the preferences
    /// dialog or an embed's placeholder: the "custom" reason.
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

/// Per-service exceptions to the category choice: `true` grants one service of a
/// refused category ("always allow YouTube"), `false` refuses one service of a
/// granted category. Keys are service ids (`data-service`), see [`is_service_id`].
///
/// A small map kept sorted by id in a `Vec`: decisions hold a handful of
/// exceptions, and a `BTreeMap` costs the widget's wasm about 12 KB.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Services(Vec<(String, bool)>);

impl Services {
    /// No exception.
    pub fn new() -> Services {
        Services::default()
    }

    fn find(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(id))
    }

    /// The exception for `id`, if any.
    pub fn get(&self, id: &str) -> Option<&bool> {
        self.find(id).ok().map(|i| &self.0[i].1)
    }

    /// Sets the exception for `id`; returns the previous one.
    pub fn insert(&mut self, id: String, granted: bool) -> Option<bool> {
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, granted)),
            Err(i) => {
                self.0.insert(i, (id, granted));
                None
            }
        }
    }

    /// Removes the exception for `id`; returns it.
    pub fn remove(&mut self, id: &str) -> Option<bool> {
        self.find(id).ok().map(|i| self.0.remove(i).1)
    }

    /// Keeps the exceptions for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut bool) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    /// The exceptions, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &bool)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Whether there is no exception.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<const N: usize> From<[(String, bool); N]> for Services {
    fn from(items: [(String, bool); N]) -> Services {
        let mut services = Services::new();
        for (id, granted) in items {
            services.insert(id, granted);
        }
        services
    }
}

/// Whether `id` can name a service: 1 to 64 ASCII letters, digits, `_` or `-`
/// (cookie-safe, and distinct from the stored form's separators).
pub fn is_service_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The categories a Global Privacy Control signal refuses: selling and sharing
/// for advertising (CCPA/CPRA opt-out preference signal; see REFERENCE.md).
pub const GPC_REFUSES: [Category; 1] = [Category::Marketing];

/// The circumstances of a decision, supplied by the caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Now, in Unix milliseconds.
    pub now_ms: u64,
    /// Revision of the policy shown (0 when the page has none).
    pub revision: u32,
    /// Whether the browser sends a Global Privacy Control signal.
    pub gpc: bool,
}

/// A user action that decides consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Grant every optional category (but the ones a GPC signal refuses).
    AcceptAll,
    /// Refuse every optional category.
    RejectAll,
    /// Save exactly these categories and service exceptions from the preferences.
    Save(Choice, Services),
    /// "Always allow" one service from its placeholder, keeping the rest of the
    /// previous decision (everything else refused when there was none).
    AllowService(String),
}

impl Action {
    /// The decision this action makes in `context`, on top of `previous`.
    ///
    /// Under a GPC signal, Accept all leaves [`GPC_REFUSES`] refused: the signal
    /// is honoured until the user switches such a category on explicitly in the
    /// preferences, which `Save` records as given.
    pub fn decide(self, context: Context, previous: Option<&Decision>) -> Decision {
        let (choice, services, method) = match self {
            Action::AcceptAll => {
                let mut choice = Choice::accept_all();
                if context.gpc {
                    for c in GPC_REFUSES {
                        choice = choice.with(c, false);
                    }
                }
                (choice, Services::new(), Method::AcceptAll)
            }
            Action::RejectAll => (Choice::reject_all(), Services::new(), Method::RejectAll),
            Action::Save(choice, services) => (choice, services, Method::Preferences),
            Action::AllowService(id) => {
                let (choice, mut services) = previous
                    .map(|d| (d.choice, d.services.clone()))
                    .unwrap_or_default();
                if is_service_id(&id) {
                    services.insert(id, true);
                }
                (choice, services, Method::Preferences)
            }
        };
        let mut services = services;
        services.retain(|id, _| is_service_id(id));
        Decision {
            choice,
            services,
            method,
            decided_at_ms: context.now_ms,
            revision: context.revision,
            gpc: context.gpc,
        }
    }
}

/// A user's consent decision: what, how, when, under which policy revision and
/// whether a GPC signal was present (EDPB 05/2020: consent must be demonstrable).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    /// What was granted, per category.
    pub choice: Choice,
    /// Per-service exceptions.
    pub services: Services,
    /// How it was collected.
    pub method: Method,
    /// When, in Unix milliseconds.
    pub decided_at_ms: u64,
    /// The policy revision the user saw.
    pub revision: u32,
    /// Whether a Global Privacy Control signal was present.
    pub gpc: bool,
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
                Action::Save(only_analytics, Services::new()),
                only_analytics,
                Method::Preferences,
            ),
            // Saving everything ticked is still a choice made in the preferences.
            (
                Action::Save(Choice::accept_all(), Services::new()),
                Choice::accept_all(),
                Method::Preferences,
            ),
        ];
        let context = Context {
            now_ms: 42,
            revision: 3,
            gpc: false,
        };
        for (action, choice, method) in table {
            let d = action.decide(context, None);
            assert_eq!(
                (d.choice, d.method, d.decided_at_ms, d.revision),
                (choice, method, 42, 3)
            );
        }
    }

    #[test]
    fn method_keys_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::from_key(m.key()), Some(m));
        }
        assert_eq!(Method::from_key("banner"), None);
    }

    #[test]
    fn gpc_accept_all_keeps_sale_and_sharing_refused() {
        let context = Context {
            now_ms: 1,
            revision: 1,
            gpc: true,
        };
        let d = Action::AcceptAll.decide(context, None);
        assert!(d.gpc);
        assert!(!d.choice.allows(Category::Marketing));
        assert!(d.choice.allows(Category::Analytics));
        assert!(d.choice.allows(Category::Personalization));
        // Only an explicit switch in the preferences grants it.
        let explicit = Action::Save(Choice::accept_all(), Services::new()).decide(context, None);
        assert!(explicit.choice.allows(Category::Marketing));
    }

    #[test]
    fn allow_service_keeps_the_previous_choice_and_adds_one_service() {
        let context = Context::default();
        let previous = Action::Save(
            Choice::reject_all().with(Category::Analytics, true),
            Services::from([("ads".to_owned(), false)]),
        )
        .decide(context, None);
        let d = Action::AllowService("youtube".into()).decide(context, Some(&previous));
        assert_eq!(d.choice, previous.choice);
        assert_eq!(
            d.services,
            Services::from([("ads".to_owned(), false), ("youtube".to_owned(), true)])
        );
        assert_eq!(d.method, Method::Preferences);
        // Without a previous decision everything else stays refused (silence is refusal).
        let first = Action::AllowService("youtube".into()).decide(context, None);
        assert_eq!(first.choice, Choice::reject_all());
    }

    #[test]
    fn malformed_service_ids_are_never_stored() {
        for id in ["", "a.b", "a~b", "a b", "+x", &"x".repeat(65)] {
            assert!(!is_service_id(id), "{id:?}");
            let d = Action::AllowService(id.to_owned()).decide(Context::default(), None);
            assert!(d.services.is_empty(), "{id:?}");
        }
        assert!(is_service_id("google-analytics_4"));
    }

    #[test]
    fn services_keep_one_exception_per_id_in_id_order() {
        let mut s = Services::from([("b".to_owned(), true), ("a".to_owned(), false)]);
        assert_eq!(s.insert("c".into(), true), None);
        assert_eq!(s.insert("a".into(), true), Some(false));
        let listed: Vec<_> = s.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(listed, vec![("a", true), ("b", true), ("c", true)]);
        assert_eq!(s.get("b"), Some(&true));
        assert_eq!(s.remove("b"), Some(true));
        assert_eq!(s.get("b"), None);
        s.retain(|id, _| id != "c");
        assert_eq!(s, Services::from([("a".to_owned(), true)]));
        assert!(!s.is_empty());
    }
}
