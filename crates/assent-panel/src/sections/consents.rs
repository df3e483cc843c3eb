//! Consents (GDPR Art 7(3) and 21): the state of each cookie category and
//! the button that opens the same preferences dialog as the banner's (so
//! the same signed consent records are made), and an objection to each
//! purpose the policy bases on legitimate interest.

use assent_core::policy::model::LegalBasis;
use assent_core::rights::model::{ManualRequest, Request, RequestType};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::Change;
use crate::format;
use crate::state::{Act, Panel};
use crate::widgets::{action_button, failure};

/// The section.
pub fn consents(panel: Panel) -> impl IntoView {
    let t = panel.t;
    view! {
        <p class="intro">{t.consents_intro}</p>
        {cookie_consents(panel)}
        <h4>{t.objection_title}</h4>
        <p>{t.objection_intro}</p>
        {move || panel.notice.with(|n| n.as_ref().map(|n| {
            n.purposes.iter()
                .filter(|p| p.bases.iter().any(|b| b.basis == LegalBasis::LegitimateInterest))
                .map(|p| objection(panel, p.id.clone(), p.name.clone(), p.legitimate_interest.clone()))
                .collect_view()
        }))}
    }
}

fn cookie_consents(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let Some(bridge) = panel.consent() else {
        return view! { <p class="muted">{t.consents_unavailable}</p> }.into_any();
    };
    let categories = RwSignal::new(bridge.categories());
    // Follow changes made in the dialog; the subscription ends with the panel.
    let listener = Closure::<dyn Fn()>::new({
        let bridge = bridge.clone();
        move || {
            let _ = categories.try_set(bridge.categories());
        }
    });
    let unsubscribe = bridge.on_change(listener.as_ref().unchecked_ref());
    let guard = StoredValue::new_local(Some((listener, unsubscribe)));
    on_cleanup(move || {
        if let Some((_listener, Some(unsubscribe))) = guard.try_update_value(Option::take).flatten()
        {
            let _ = unsubscribe.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let names = move |id: &str| {
        panel.notice.with(|n| {
            n.as_ref()
                .and_then(|n| n.cookies.iter().find(|c| c.category.key() == id))
                .map_or_else(|| id.to_owned(), |c| c.name.clone())
        })
    };
    let open = move |_| {
        if let Some(b) = panel.consent() {
            b.open();
        }
    };
    view! {
        <ul class="states">
            {move || categories.get().into_iter().map(|(id, given)| view! {
                <li><span>{names(&id)}</span>
                    <span class=if given { "status fulfilled" } else { "status revoked" }>
                        {if given { t.consents_given } else { t.consents_refused }}
                    </span></li>
            }).collect_view()}
        </ul>
        <p><button type="button" class="primary" on:click=open>{t.consents_manage}</button></p>
    }
    .into_any()
}

fn objection(
    panel: Panel,
    purpose: String,
    name: String,
    interest: Option<String>,
) -> impl IntoView {
    let t = panel.t;
    let details = RwSignal::new(String::new());
    let act = Act::new();
    let sent = RwSignal::new(None::<Request>);
    let field = format!("assent-object-{purpose}");
    let send = {
        let name = name.clone();
        move || {
            let why = details.get_untracked();
            let text = if why.trim().is_empty() {
                name.clone()
            } else {
                format!("{name}: {why}")
            };
            let body = ManualRequest {
                kind: RequestType::Objection,
                details: text,
            };
            act.run::<Request, _>(panel, Change::post("/requests").with(&body), move |r| {
                sent.set(r)
            })
        }
    };
    view! {
        <div class="card">
            <p><strong>{name}</strong></p>
            {interest.map(|i| view! { <p class="muted">{i}</p> })}
            <p class="field">
                <label for=field.clone()>{t.objection_details}</label>
                <textarea id=field rows="2" maxlength="4000"
                    prop:value=move || details.get()
                    on:input=move |ev| details.set(event_target_value(&ev))></textarea>
            </p>
            <p>{action_button(t.objection_send, "secondary", t, act, Signal::derive(|| true), send.clone())}</p>
            <p role="status" class="done">{move || sent.get().map(|r| format!("{}. {} {}", t.objection_sent, t.answer_by, format::date(r.expected_by, t.lang)))}</p>
            {failure(t, act, send)}
        </div>
    }
}
