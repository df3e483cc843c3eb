//! Leptos components of the consent UI: the banner and the preferences dialog.
//!
//! Components read signals, ask core for decisions and platform for effects;
//! they never touch `window`, storage or the host page (the embed layer does).
//! Their CSS sits beside them and is adopted into the widget's shadow root.

mod banner;
mod button;
mod preferences;
mod switch;
mod texts;

pub use banner::Banner;
pub use button::{ActionButton, ButtonKind};
pub use preferences::Preferences;
pub use switch::CategorySwitch;
pub use texts::Texts;

use assent_core::{Action, Decision};
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
    let decided = Signal::derive(move || decision.with(Option::is_some));
    let current =
        Signal::derive(move || decision.with(|d| d.map(|d| d.choice).unwrap_or_default()));
    let customize = Callback::new(move |()| preferences_open.set(true));
    view! {
        <div class="assent" part="root">
            <Banner hidden=decided on_action=on_action on_customize=customize
                policy_url=policy_url />
            <Preferences open=preferences_open current=current on_action=on_action />
        </div>
    }
}
