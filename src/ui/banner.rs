//! The first layer: a non-blocking banner with Reject all, Accept all and
//! Customize.
//!
//! Reject all and Accept all are the same element type with the same class, so
//! they cannot differ in size, weight or colour (EDPB Cookie Banner Taskforce,
//! practices A, C, D and E). Reject all comes first in tab order. The banner is a
//! region, not a modal: the page stays usable and silence is refusal (no cookie
//! wall, EDPB 05/2020).

use assent_core::Action;
use leptos::prelude::*;

use super::Texts;

/// The consent banner.
#[component]
pub fn Banner(
    /// Called with Accept all or Reject all.
    on_action: Callback<Action>,
    /// Opens the preferences dialog.
    on_customize: Callback<()>,
    /// URL of the host's privacy policy; no link when `None`.
    #[prop(default = None)]
    policy_url: Option<String>,
) -> impl IntoView {
    let t = &Texts::EN;
    let policy_link = policy_url.map(|href| {
        view! { " " <a href=href part="link">{t.policy_link}</a> }
    });
    view! {
        <section class="banner" part="banner" aria-labelledby="assent-banner-title">
            <div class="banner-text">
                <h2 id="assent-banner-title" class="title">{t.banner_title}</h2>
                <p class="body">{t.banner_body} {policy_link}</p>
            </div>
            <div class="actions">
                <button type="button" class="choice" part="button choice"
                    on:click=move |_| on_action.run(Action::RejectAll)>
                    {t.reject_all}
                </button>
                <button type="button" class="choice" part="button choice"
                    on:click=move |_| on_action.run(Action::AcceptAll)>
                    {t.accept_all}
                </button>
                <button type="button" class="secondary" part="button secondary"
                    aria-haspopup="dialog"
                    on:click=move |_| on_customize.run(())>
                    {t.customize}
                </button>
            </div>
        </section>
    }
}
