//! The first layer: a non-blocking banner with Reject all, Accept all and
//! Customize.
//!
//! Reject all comes first in tab order and has the same weight as Accept all
//! (see [`super::ActionButton`]). The banner is a region, not a modal: the page
//! stays usable and silence is refusal (no cookie wall, EDPB 05/2020).

use assent_core::Action;
use leptos::prelude::*;

use super::{ActionButton, ButtonKind, Texts};

/// The consent banner.
#[component]
pub fn Banner(
    /// Hidden once the user has decided.
    hidden: Signal<bool>,
    /// Called with Accept all or Reject all.
    on_action: Callback<Action>,
    /// Opens the preferences dialog.
    on_customize: Callback<()>,
    /// URL of the host's privacy policy; no link when `None`.
    #[prop(default = None)]
    policy_url: Option<String>,
) -> impl IntoView {
    let t = &Texts::EN;
    let no_policy = policy_url.is_none();
    let reject = Callback::new(move |()| on_action.run(Action::RejectAll));
    let accept = Callback::new(move |()| on_action.run(Action::AcceptAll));
    view! {
        <section class="banner" part="banner" aria-labelledby="assent-banner-title"
            hidden=move || hidden.get()>
            <div class="banner-text">
                <h2 id="assent-banner-title" class="title">{t.banner_title}</h2>
                <p class="body">
                    {t.banner_body} " "
                    <a href=policy_url hidden=no_policy part="link">{t.policy_link}</a>
                </p>
            </div>
            <div class="actions">
                <ActionButton label=t.reject_all kind=ButtonKind::Choice on_press=reject />
                <ActionButton label=t.accept_all kind=ButtonKind::Choice on_press=accept />
                <ActionButton label=t.customize kind=ButtonKind::Secondary on_press=on_customize />
            </div>
        </section>
    }
}
