//! Other rights: rectification (GDPR Art 16) as a request the controller
//! answers by its Art 12(3) date, every right the policy offers with how to
//! exercise it (French post-mortem directives included, loi 78-17 art. 85),
//! the contact address, the complaint authority (Art 77), and the account's
//! requests with their status.

use assent_core::policy::model::Right;
use assent_core::rights::model::{ManualRequest, Request, RequestType};
use leptos::prelude::*;

use crate::api::Change;
use crate::format;
use crate::state::{Act, Panel};
use crate::widgets::{action_button, failure, status};

/// The section.
pub fn other(panel: Panel) -> impl IntoView {
    let (t, w) = (panel.t, panel.words);
    view! {
        <p class="intro">{t.other_intro}</p>
        {rectification(panel)}
        {move || panel.notice.get().map(|n| view! {
            <h4>{w.rights}</h4>
            <dl class="facts">
                {n.rights.offered.iter().map(|r| {
                    let how = r.channels.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
                    let note = r.note.clone().map(|x| format!(" {x}")).unwrap_or_default();
                    view! { <dt>{r.name.clone()}" ("{r.article.clone()}")"</dt><dd>{how}{note}</dd> }
                }).collect_view()}
            </dl>
            <p>{w.response}": "{w.or_not_stated(n.rights.response_time.as_deref()).to_owned()}</p>
            <h4>{t.contact}</h4>
            <p>{n.controller.legal_name.clone()}", "{n.controller.address.clone()}<br/>
                {n.controller.contact_email().map(str::to_owned).map_or_else(
                    || view! { {w.email}": "{w.not_stated} }.into_any(),
                    |e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> }.into_any(),
                )}</p>
            <p>{t.complaint}" "{n.authority.as_ref().map_or_else(
                || view! { {w.not_stated} }.into_any(),
                |a| view! {
                    {a.name.clone()}", "{a.address.clone()}
                    {a.url.clone().map(|u| { let href = u.clone(); view! { " " <a href=href rel="noopener">{u}</a> } })}
                }.into_any(),
            )}</p>
        })}
        <h4>{t.requests_title}</h4>
        {move || {
            let list = panel.requests.get();
            view! {
                <ul class="history">
                    {list.into_iter().map(|r| view! {
                        <li>
                            <span>{kind(panel, &r)}" · "{format::date(r.received_at, t.lang)}" · "{t.answer_by}" "{format::date(r.expected_by, t.lang)}</span>
                            <span class=format!("status {}", r.status.as_str())>{status(t, r.status)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
        }}
    }
}

/// The request's type as the notice names its right, in the reader's language.
fn kind(panel: Panel, r: &Request) -> String {
    let right = match r.kind {
        RequestType::Access => Right::Access,
        RequestType::Portability => Right::Portability,
        RequestType::Erasure => Right::Erasure,
        RequestType::Rectification => Right::Rectification,
        RequestType::Restriction => Right::Restriction,
        RequestType::Objection => Right::Objection,
        RequestType::Consent | RequestType::SpecialCategoryConsent => Right::WithdrawConsent,
    };
    panel
        .notice
        .with_untracked(|n| {
            n.as_ref()
                .and_then(|n| n.rights.offered.iter().find(|o| o.right == right))
                .map(|o| o.name.clone())
        })
        .unwrap_or_else(|| r.kind.as_str().to_owned())
}

fn rectification(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let details = RwSignal::new(String::new());
    let act = Act::new();
    let sent = RwSignal::new(None::<Request>);
    let send = move || {
        let text = details.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let body = ManualRequest {
            kind: RequestType::Rectification,
            details: text,
        };
        act.run::<Request, _>(panel, Change::post("/requests").with(&body), move |r| {
            details.set(String::new());
            sent.set(r);
        })
    };
    let filled = Signal::derive(move || details.with(|d| !d.trim().is_empty()));
    view! {
        <h4>{t.rectification_title}</h4>
        <p class="field">
            <label for="assent-rectify">{t.rectification_details}</label>
            <textarea id="assent-rectify" rows="3" maxlength="4000"
                prop:value=move || details.get()
                on:input=move |ev| details.set(event_target_value(&ev))></textarea>
        </p>
        <p>{action_button(t.rectification_send, "secondary", t, act, filled, send)}</p>
        <p role="status" class="done">{move || sent.get().map(|r| format!("{} {}", t.request_sent, format::date(r.expected_by, t.lang)))}</p>
        {failure(t, act, send)}
    }
}
