//! Leptos components of the consent UI: the banner and the preferences dialog.
//!
//! Components read signals, ask core for decisions and platform for effects;
//! they never touch `window`, storage or the host page (the embed layer does).
//! Their CSS sits beside them and is adopted into the widget's shadow root.

mod banner;
mod preferences;
mod texts;

pub use banner::Banner;
pub use preferences::Preferences;
pub use texts::Texts;

use assent_core::{Action, Choice, Decision};
use leptos::prelude::*;

/// The stylesheet of every component, for the shadow root.
pub const CSS: &str = concat!(
    include_str!("base.css"),
    include_str!("banner.css"),
    include_str!("preferences.css"),
);

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
) -> impl IntoView {
    let ConsentState {
        decision,
        preferences_open,
    } = state;
    let show_banner = move || decision.with(Option::is_none);
    let open = Callback::new(move |()| preferences_open.set(true));
    let close = Callback::new(move |()| preferences_open.set(false));
    let current = move || {
        decision
            .get()
            .map(|d| d.choice)
            .unwrap_or_else(Choice::reject_all)
    };
    view! {
        <div class="assent" part="root">
            <Show when=show_banner>
                <Banner on_action=on_action on_customize=open policy_url=policy_url.clone() />
            </Show>
            <Show when=move || preferences_open.get()>
                <Preferences initial=current() on_action=on_action on_close=close />
            </Show>
        </div>
    }
}
