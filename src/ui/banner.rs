//! The first layer: a non-blocking banner with Reject all, Accept all and
//! Customize.
//!
//! Reject all comes first in tab order and has the same weight as Accept all
//! (see [`super::action_button`]). The banner is a region, not a modal: the page
//! stays usable and silence is refusal (no cookie wall, EDPB 05/2020). After a
//! material policy change it says what changed (GDPR Art 7, EDPB 05/2020 §
//! "informed"); under Global Privacy Control it says the signal is honoured.

use leptos::prelude::*;

use super::{action_button, ButtonKind, Changes, Control, Texts};

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
    /// Whether the browser sends Global Privacy Control.
    #[prop(default = false)]
    gpc: bool,
    /// The material policy changes since the last decision, when asking again.
    #[prop(default = None)]
    changes: Option<Changes>,
    /// The policy's default language, for texts missing in this one.
    #[prop(default = String::from("en"))]
    fallback: String,
    /// The language switcher.
    switcher: impl IntoView + 'static,
) -> impl IntoView {
    let t = texts;
    let no_policy = policy_url.is_none();
    let changed = changes.is_some();
    let items = changes
        .map(|c| {
            let purposes = c
                .purposes
                .iter()
                .map(|p| format!("{}: {}", t.new_purpose, p.get(t.lang, &fallback)));
            let recipients = c
                .recipients
                .iter()
                .map(|r| format!("{}: {r}", t.new_recipient));
            purposes
                .chain(recipients)
                .map(|item| view! { <li>{item}</li> })
                .collect_view()
        })
        .unwrap_or_default();
    view! {
        <section class="banner" part="banner" aria-labelledby="assent-banner-title"
            hidden=move || hidden.get()>
            <div class="banner-text">
                <div class="banner-head">
                    <h2 id="assent-banner-title" class="title">{t.banner_title}</h2>
                    {switcher}
                </div>
                <div class="changes" part="changes" hidden=!changed>
                    <h3 class="subtitle">{t.changes_title}</h3>
                    <p class="body">{t.changes_body}</p>
                    <ul>{items}</ul>
                </div>
                <p class="body">
                    {t.banner_body} " "
                    <a href=policy_url hidden=no_policy part="link">{t.policy_link}</a>
                </p>
                <p class="gpc" part="gpc" role="note" hidden=!gpc>{t.gpc_note}</p>
            </div>
            <div class="actions">
                {action_button(t.reject_all, ButtonKind::Choice, Control::RejectAll)}
                {action_button(t.accept_all, ButtonKind::Choice, Control::AcceptAll)}
                {action_button(t.customize, ButtonKind::Secondary, Control::Customize)}
            </div>
        </section>
    }
}
