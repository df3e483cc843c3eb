//! Leptos components of the consent UI: the banner and the preferences dialog.
//!
//! Components read signals, ask core for decisions and platform for effects;
//! they never touch `window`, storage or the host page (the embed layer does).
//! Their CSS sits beside them and is adopted into the widget's shadow root.

mod banner;
mod button;
mod controls;
mod focus_trap;
mod preferences;
mod switch;

pub use assent_core::texts::Texts;
pub use banner::Banner;
pub use button::{action_button, ButtonKind};
pub use controls::{Control, Switched};
pub use preferences::Preferences;
pub use switch::category_switch;

use assent_core::{Action, Category, Choice, Decision, Effective, Services};
use leptos::prelude::*;
use web_sys::{Element, Event, KeyboardEvent, MouseEvent};

use crate::platform::focus;

/// The stylesheet of every component, for the shadow root.
pub const CSS: &str = concat!(
    include_str!("base.css"),
    include_str!("banner.css"),
    include_str!("preferences.css"),
);

/// The stylesheet of the first layer alone (the root and the banner), which
/// the loader's build-time banner carries (`crates/assent-prerender`).
pub const BANNER_CSS: &str = concat!(include_str!("base.css"), include_str!("banner.css"));

/// A text of the site's policy in each of its languages (`{"en": "…", "fr": "…"}`).
/// A `Vec` rather than core's `policy::Text` map: a `BTreeMap` costs the wasm more
/// than the few languages of a text ever need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Words(pub Vec<(String, String)>);

impl Words {
    /// The text in `language`, else in `fallback`, else the first given.
    pub fn get(&self, language: &str, fallback: &str) -> &str {
        let find = |l: &str| self.0.iter().find(|(k, _)| k == l).map(|(_, v)| v.as_str());
        find(language)
            .or_else(|| find(fallback))
            .or_else(|| self.0.first().map(|(_, v)| v.as_str()))
            .unwrap_or("")
    }
}

/// A service as offered in the preferences, from the site's policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceText {
    /// Its id (`data-service`).
    pub id: String,
    /// Its own name, per language; `None`: it is named by its provider.
    pub name: Option<Words>,
    /// Who provides it.
    pub provider: String,
    /// What it is for, per language.
    pub purpose: Words,
    /// Its cookies and storage keys with their lifetimes as the policy
    /// writes them (`13 months`), shown on request.
    pub cookies: Vec<(String, String)>,
}

/// A category as offered in the preferences, with the site's words for it (per
/// language; the UI's default words when the site gives none) and its services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryText {
    /// Which category.
    pub category: Category,
    /// Its name, per language.
    pub name: Option<Words>,
    /// What it is for, per language.
    pub description: Option<Words>,
    /// Its services.
    pub services: Vec<ServiceText>,
}

/// What changed materially in the policy since the user's last decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// New or changed consent purposes, per language.
    pub purposes: Vec<Words>,
    /// New recipients or changed transfers, as "name (country)".
    pub recipients: Vec<String>,
}

/// What the UI offers: the site's categories (strictly necessary first), the
/// languages it may speak, and the policy changes to show.
#[derive(Clone, Debug)]
pub struct UiConfig {
    /// The languages of the switcher, the policy's order; never empty.
    pub languages: Vec<&'static Texts>,
    /// The policy's default language, for texts missing in another.
    pub fallback: String,
    /// The categories offered in the preferences.
    pub categories: Vec<CategoryText>,
    /// The material changes, when the site listed them.
    pub changes: Option<Changes>,
    /// Whether the site keeps signed consent records (`records` in the
    /// configuration): the dialog then offers to download them.
    pub records: bool,
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig {
            languages: Texts::ALL.to_vec(),
            fallback: "en".to_owned(),
            categories: Category::ALL
                .into_iter()
                .map(|category| CategoryText {
                    category,
                    name: None,
                    description: None,
                    services: Vec::new(),
                })
                .collect(),
            changes: None,
            records: false,
        }
    }
}

impl UiConfig {
    /// The category of a service, if the site declared it.
    pub fn category_of(&self, service: &str) -> Option<Category> {
        self.categories
            .iter()
            .find(|c| c.services.iter().any(|s| s.id == service))
            .map(|c| c.category)
    }

    /// The ids of the services of `category`.
    pub fn services_of(&self, category: Category) -> Vec<String> {
        self.categories
            .iter()
            .filter(|c| c.category == category)
            .flat_map(|c| c.services.iter().map(|s| s.id.clone()))
            .collect()
    }
}

/// The choice being edited in the preferences: categories and service exceptions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// Categories switched on.
    pub choice: Choice,
    /// Services switched against their category.
    pub services: Services,
}

impl Draft {
    /// What the preferences show for a decision (after the GPC rule) or none;
    /// `category_of` names a service's category.
    pub fn of(
        decision: Option<&Decision>,
        gpc: bool,
        category_of: impl Fn(&str) -> Option<Category>,
    ) -> Draft {
        decision.map_or_else(Draft::default, |d| {
            let e = Effective::of(d, gpc).shown(&category_of);
            // Only services the preferences show keep an exception: saving must
            // not carry over a grant the user cannot see there (GDPR Art 7(3)).
            let mut services = e.services;
            services.retain(|id, _| category_of(id).is_some());
            Draft {
                choice: e.choice,
                services,
            }
        })
    }

    /// Whether a service of `category` is switched on.
    pub fn service_on(&self, id: &str, category: Category) -> bool {
        if !category.needs_consent() {
            return true;
        }
        self.services
            .get(id)
            .copied()
            .unwrap_or_else(|| self.choice.allows(category))
    }

    /// Switches a category; its services follow it.
    pub fn set_category(&mut self, category: Category, on: bool, services: &[String]) {
        self.choice = self.choice.with(category, on);
        for id in services {
            self.services.remove(id);
        }
    }

    /// Switches one service; no exception is kept when it agrees with its category.
    pub fn set_service(&mut self, id: &str, category: Category, on: bool) {
        if on == self.choice.allows(category) {
            self.services.remove(id);
        } else {
            self.services.insert(id.to_owned(), on);
        }
    }
}

/// The consent state shared by the embed layer and the UI. It outlives a
/// language switch, which rebuilds the UI in the new language.
#[derive(Clone, Copy, Debug)]
pub struct ConsentState {
    /// The user's valid decision, if any.
    pub decision: RwSignal<Option<Decision>>,
    /// Whether the banner shows (no valid decision, or reopened by the page).
    pub banner_open: RwSignal<bool>,
    /// Whether the preferences dialog is open.
    pub preferences_open: RwSignal<bool>,
    /// The choice being edited in the preferences.
    pub draft: RwSignal<Draft>,
    /// The language of the UI.
    pub texts: RwSignal<&'static Texts>,
    /// The element that opened the dialog, focused again when it closes.
    pub opener: StoredValue<Option<Element>, LocalStorage>,
    /// Each service of the site's policy and its category.
    pub service_categories: StoredValue<Vec<(String, Category)>, LocalStorage>,
    /// Whether the browser sends Global Privacy Control.
    pub gpc: bool,
    /// Whether the banner shows because the policy changed materially.
    pub outdated: bool,
}

impl ConsentState {
    /// State starting from a valid decision (or none, which opens the banner).
    pub fn new(decision: Option<Decision>, texts: &'static Texts) -> ConsentState {
        ConsentState {
            banner_open: RwSignal::new(decision.is_none()),
            decision: RwSignal::new(decision),
            preferences_open: RwSignal::new(false),
            draft: RwSignal::new(Draft::default()),
            texts: RwSignal::new(texts),
            opener: StoredValue::new_local(None),
            service_categories: StoredValue::new_local(Vec::new()),
            gpc: false,
            outdated: false,
        }
    }

    /// Opens the preferences showing the current decision (EDPB practice B:
    /// nothing pre-ticked), remembering the focused element to return to.
    pub fn open_preferences(&self) {
        if self.preferences_open.get_untracked() {
            return;
        }
        self.opener.set_value(focus::deep_active_element());
        let draft = self.decision.with_untracked(|d| {
            self.service_categories
                .with_value(|known| Draft::of(d.as_ref(), self.gpc, |id| category_in(known, id)))
        });
        self.draft.set(draft);
        self.preferences_open.set(true);
    }

    /// The decision to build an "Always allow" on: the current one as the
    /// preferences show it (see [`Draft::of`]).
    pub fn shown_decision(&self) -> Option<Decision> {
        let d = self.decision.get_untracked()?;
        let e = self
            .service_categories
            .with_value(|known| Effective::of(&d, self.gpc).shown(|id| category_in(known, id)));
        Some(e.as_decision(&d))
    }

    /// Closes the preferences and gives focus back to whatever opened them.
    pub fn close_preferences(&self) {
        if self.preferences_open.get_untracked() {
            self.preferences_open.set(false);
            self.opener.with_value(|o| o.as_ref().map(focus::focus));
        }
    }
}

fn category_in(known: &[(String, Category)], id: &str) -> Option<Category> {
    known.iter().find(|(s, _)| s == id).map(|(_, c)| *c)
}

/// The whole consent UI in the current language: the banner and the
/// preferences dialog.
#[component]
pub fn ConsentUi(
    /// Shared consent state; the embed layer opens the UI through it.
    state: ConsentState,
    /// Called with each decision the user makes.
    on_action: Callback<Action>,
    /// Called when the user asks for their consent records.
    #[prop(optional)]
    on_history: Option<Callback<()>>,
    /// URL of the host's privacy policy, linked from the banner.
    #[prop(default = None)]
    policy_url: Option<String>,
    /// Categories, languages and changes; defaults when not given.
    #[prop(default = UiConfig::default())]
    config: UiConfig,
) -> impl IntoView {
    let texts = state.texts.get_untracked();
    let open = state.preferences_open;
    let draft = state.draft;
    let dialog = NodeRef::<leptos::html::Div>::new();

    // Focus moves into the dialog when it opens (not when a language switch
    // rebuilds it already open: focus then stays on the switcher).
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open && was_open == Some(false) {
            if let Some(el) = dialog.get_untracked() {
                focus::focus_first_soon(&el);
            }
        }
        is_open
    });

    state.service_categories.set_value(
        config
            .categories
            .iter()
            .flat_map(|c| c.services.iter().map(|s| (s.id.clone(), c.category)))
            .collect(),
    );
    let services_by_category: Vec<(Category, Vec<String>)> = Category::ALL
        .into_iter()
        .map(|c| (c, config.services_of(c)))
        .collect();
    let service_category = config.clone();
    let on_click = move |ev: MouseEvent| {
        let action = match Control::pressed(&ev) {
            None => return,
            Some(Control::Customize) => return state.open_preferences(),
            Some(Control::Close) => return state.close_preferences(),
            Some(Control::History) => return on_history.iter().for_each(|f| f.run(())),
            Some(Control::RejectAll) => Action::RejectAll,
            Some(Control::AcceptAll) => Action::AcceptAll,
            Some(Control::Save) => {
                let d = draft.get_untracked();
                Action::Save(d.choice, d.services)
            }
        };
        state.close_preferences();
        on_action.run(action);
    };
    let on_change = move |ev: Event| match controls::switched(&ev) {
        Some(Switched::Category(category, on)) => {
            let ids = services_by_category
                .iter()
                .find(|(c, _)| *c == category)
                .map(|(_, ids)| ids.as_slice())
                .unwrap_or_default();
            draft.update(|d| d.set_category(category, on, ids));
        }
        Some(Switched::Service(id, on)) => {
            if let Some(category) = service_category.category_of(&id) {
                draft.update(|d| d.set_service(&id, category, on));
            }
        }
        Some(Switched::Language(tag, select)) => {
            if let Some(t) = Texts::find(&tag) {
                state.texts.set(t);
                focus::focus_same_soon(&select);
            }
        }
        None => {}
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if !open.get_untracked() {
            return;
        }
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                state.close_preferences();
            }
            "Tab" => {
                if let Some(el) = dialog.get_untracked() {
                    focus_trap::trap_tab(&el, &ev);
                }
            }
            _ => {}
        }
    };
    let banner_hidden = Signal::derive(move || !state.banner_open.get());
    let UiConfig {
        languages,
        fallback,
        categories,
        changes,
        records,
    } = config;
    let changes = state.outdated.then(|| changes.unwrap_or_default());
    let switcher = move |id: &'static str| language_switcher(id, texts, &languages);
    let banner = view! {
        <Banner hidden=banner_hidden policy_url=policy_url texts=texts gpc=state.gpc
            changes=changes fallback=fallback.clone() switcher=switcher("assent-lang-banner") />
    };
    // The build-time first layer (feature `ssr`) is the banner alone: the
    // dialog comes with the wasm.
    #[cfg(not(feature = "ssr"))]
    let dialog = view! {
        <Preferences open=open draft=draft dialog=dialog texts=texts categories=categories
            fallback=fallback gpc=state.gpc records=records
            switcher=switcher("assent-lang-dialog") />
    };
    // The first layer has no dialog: a unit view, rendered as nothing.
    #[cfg(feature = "ssr")]
    #[allow(clippy::let_unit_value)]
    let dialog = {
        let _ = (open, draft, dialog, categories, fallback, records);
    };

    view! {
        <div class="assent" part="root" lang=texts.lang on:click=on_click on:change=on_change
            on:keydown=on_keydown>
            {banner}
            {dialog}
        </div>
    }
}

/// The language switcher (hidden when the site offers one language).
fn language_switcher(
    id: &'static str,
    texts: &'static Texts,
    languages: &[&'static Texts],
) -> impl IntoView {
    let single = languages.len() < 2;
    let options = languages
        .iter()
        .map(|t| {
            view! { <option value=t.lang selected=t.lang == texts.lang lang=t.lang>{t.native_name()}</option> }
        })
        .collect_view();
    view! {
        <select id=id class="lang" part="language" aria-label=texts.language hidden=single>
            {options}
        </select>
    }
}
