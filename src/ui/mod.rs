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
mod texts;

pub use banner::Banner;
pub use button::{action_button, ButtonKind};
pub use controls::Control;
pub use preferences::Preferences;
pub use switch::category_switch;
pub use texts::Texts;

use assent_core::{Action, Category, Choice, Decision};
use leptos::prelude::*;
use web_sys::{Element, Event, KeyboardEvent, MouseEvent};

use crate::platform::focus;

/// The stylesheet of every component, for the shadow root.
pub const CSS: &str = concat!(
    include_str!("base.css"),
    include_str!("banner.css"),
    include_str!("preferences.css"),
);

/// A category as offered in the preferences, with the site's words for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryText {
    /// Which category.
    pub category: Category,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
}

/// What the UI says and offers: fixed texts in one language and the site's
/// categories (from its policy), strictly necessary first.
#[derive(Clone, Debug)]
pub struct UiConfig {
    /// The fixed texts.
    pub texts: &'static Texts,
    /// The categories offered in the preferences.
    pub categories: Vec<CategoryText>,
}

impl UiConfig {
    /// Every category with the default words of `texts`.
    pub fn defaults(texts: &'static Texts) -> UiConfig {
        let categories = Category::ALL
            .into_iter()
            .map(|category| {
                let (name, description) = texts.category(category);
                CategoryText {
                    category,
                    name: name.to_owned(),
                    description: description.to_owned(),
                }
            })
            .collect();
        UiConfig { texts, categories }
    }
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig::defaults(&Texts::EN)
    }
}

/// The consent state shared by the embed layer and the UI.
#[derive(Clone, Copy, Debug)]
pub struct ConsentState {
    /// The user's valid decision, if any. No decision: the banner shows.
    pub decision: RwSignal<Option<Decision>>,
    /// Whether the preferences dialog is open.
    pub preferences_open: RwSignal<bool>,
}

impl ConsentState {
    /// State starting from a stored decision (or none).
    pub fn new(decision: Option<Decision>) -> ConsentState {
        ConsentState {
            decision: RwSignal::new(decision),
            preferences_open: RwSignal::new(false),
        }
    }
}

/// The whole consent UI: the banner while there is no decision, and the
/// preferences dialog when opened.
#[component]
pub fn ConsentUi(
    /// Shared consent state; the embed layer opens the dialog through it.
    state: ConsentState,
    /// Called with each decision the user makes.
    on_action: Callback<Action>,
    /// URL of the host's privacy policy, linked from the banner.
    #[prop(default = None)]
    policy_url: Option<String>,
    /// Texts and categories; English defaults when not given.
    #[prop(default = UiConfig::default())]
    config: UiConfig,
) -> impl IntoView {
    let UiConfig { texts, categories } = config;
    let ConsentState {
        decision,
        preferences_open: open,
    } = state;
    let draft = RwSignal::new(Choice::reject_all());
    let dialog = NodeRef::<leptos::html::Div>::new();
    let opener = StoredValue::new_local(None::<Element>);

    Effect::new(move |_| {
        if open.get() {
            // Runs after the opening click, before focus moves: remember the opener.
            opener.set_value(focus::deep_active_element());
            draft.set(decision.with_untracked(|d| d.map(|d| d.choice).unwrap_or_default()));
            if let Some(el) = dialog.get_untracked() {
                focus::focus_first_soon(&el);
            }
        }
    });

    // Closing the dialog gives focus back to whatever opened it.
    let close = move || {
        if open.get_untracked() {
            open.set(false);
            opener.with_value(|o| o.as_ref().map(focus::focus));
        }
    };
    let on_click = move |ev: MouseEvent| {
        let action = match Control::pressed(&ev) {
            None => return,
            Some(Control::Customize) => return open.set(true),
            Some(Control::Close) => return close(),
            Some(Control::RejectAll) => Action::RejectAll,
            Some(Control::AcceptAll) => Action::AcceptAll,
            Some(Control::Save) => Action::Save(draft.get_untracked()),
        };
        close();
        on_action.run(action);
    };
    let on_change = move |ev: Event| {
        if let Some((category, on)) = controls::switched(&ev) {
            draft.update(|c| *c = c.with(category, on));
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if !open.get_untracked() {
            return;
        }
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                close();
            }
            "Tab" => {
                if let Some(el) = dialog.get_untracked() {
                    focus_trap::trap_tab(&el, &ev);
                }
            }
            _ => {}
        }
    };
    let decided = Signal::derive(move || decision.with(Option::is_some));

    view! {
        <div class="assent" part="root" on:click=on_click on:change=on_change
            on:keydown=on_keydown>
            <Banner hidden=decided policy_url=policy_url texts=texts />
            <Preferences open=open draft=draft dialog=dialog texts=texts categories=categories />
        </div>
    }
}
