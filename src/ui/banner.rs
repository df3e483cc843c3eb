//! The first layer: a non-blocking banner with Reject all, Accept all and
//! Customize.
//!
//! Reject all comes first in tab order and has the same weight as Accept all
//! (see [`super::action_button`]). The banner is a region, not a modal: the page
//! stays usable and silence is refusal (no cookie wall, EDPB 05/2020).

use leptos::prelude::*;

use super::{action_button, ButtonKind, Control, Texts};

/// The consent banner.
#[component]
pub fn Banner(
    /// Hidden once the user has decided.
    hidden: Signal<bool>,
    /// URL of the host's privacy policy; no link when `None`.
    #[prop(default = None)]
    policy_url: Option<String>,
    /// The words of the banner.
    texts: &'static Texts,
) -> impl IntoView {
    let t = texts;
    let no_policy = policy_url.is_none();
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
                {action_button(t.reject_all, ButtonKind::Choice, Control::RejectAll)}
                {action_button(t.accept_all, ButtonKind::Choice, Control::AcceptAll)}
                {action_button(t.customize, ButtonKind::Secondary, Control::Customize)}
            </div>
        </section>
    }
}
