//! Account deletion (GDPR Art 17): the consequences, including what the
//! policy keeps under a legal obligation (Art 17(3)(b)), a deliberate
//! confirmation (typing a word), then "your account will be deleted on
//! <date>" with a countdown from the server's time and a Cancel button on
//! the same screen until then.

use assent_core::policy::model::LegalBasis;
use assent_core::rights::model::Request;
use leptos::prelude::*;

use crate::api::Change;
use crate::format;
use crate::state::{Act, Panel};
use crate::widgets::{action_button, failure};

/// The section.
pub fn deletion(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let scheduled = move || {
        panel
            .account
            .with(|a| a.as_ref().and_then(|a| a.erasure.clone()))
    };
    let cancelled = RwSignal::new(false);
    view! {
        <p class="intro">{t.deletion_intro}</p>
        <p role="status" class="done">{move || (cancelled.get() && scheduled().is_none()).then_some(t.deletion_cancelled)}</p>
        {move || match scheduled() {
            Some(erasure) => countdown(panel, erasure, cancelled).into_any(),
            None => request(panel).into_any(),
        }}
    }
}

fn request(panel: Panel) -> impl IntoView {
    let (t, w) = (panel.t, panel.words);
    let typed = RwSignal::new(String::new());
    let act = Act::new();
    let send = move || {
        act.run::<Request, _>(panel, Change::post("/erasure"), move |_| {
            typed.set(String::new())
        })
    };
    let confirmed = Signal::derive(move || {
        typed.with(|s| s.trim().eq_ignore_ascii_case(t.deletion_confirm_word))
            && panel.account.with(Option::is_some)
    });
    let kept = move || {
        panel.notice.with(|n| {
            n.as_ref().map(|n| {
                n.retention
                    .iter()
                    .filter(|r| r.basis == Some(LegalBasis::LegalObligation))
                    .map(|r| {
                        let data = r
                            .data
                            .iter()
                            .map(|d| d.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        let why = r
                            .reference
                            .clone()
                            .map(|x| format!(" ({x})"))
                            .unwrap_or_default();
                        format!("{data}{}{}{why}", w.colon, r.period)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <ul class="effects">{t.deletion_effects.iter().map(|e| view! { <li>{*e}</li> }).collect_view()}</ul>
        <h4>{t.deletion_kept}</h4>
        {move || match kept() {
            Some(list) if !list.is_empty() => view! {
                <ul class="kept">{list.into_iter().map(|k| view! { <li>{k}</li> }).collect_view()}</ul>
            }.into_any(),
            Some(_) => view! { <p>{t.deletion_nothing_kept}</p> }.into_any(),
            None => view! { <p aria-busy="true">{t.loading}</p> }.into_any(),
        }}
        <p class="confirm">
            <label for="assent-delete-confirm">{t.deletion_confirm_label}</label>
            <input id="assent-delete-confirm" type="text" autocomplete="off" spellcheck="false"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </p>
        <p>{action_button(t.deletion_request, "danger", t, act, confirmed, send)}</p>
        {failure(t, act, send)}
    }
}

fn countdown(panel: Panel, erasure: Request, cancelled: RwSignal<bool>) -> impl IntoView {
    let t = panel.t;
    let act = Act::new();
    let id = erasure.request_id.clone();
    let send = move || {
        act.run::<Request, _>(panel, Change::delete(format!("/erasure/{id}")), move |_| {
            cancelled.set(true)
        })
    };
    let at = erasure.erasure_at.unwrap_or(erasure.expected_by);
    let left = move || {
        panel.tick.track();
        format::remaining(at.0.saturating_sub(panel.server_now_ms()), t)
    };
    view! {
        <div class="card state-on">
            <p><strong>{t.deletion_scheduled}" "{format::date_time(at, t.lang)}</strong></p>
            <p>{t.deletion_remaining}": "<span class="countdown">{left}</span></p>
            <p>{action_button(t.deletion_cancel, "primary", t, act, Signal::derive(|| true), send.clone())}</p>
        </div>
        {failure(t, act, send)}
    }
}
