//! Explicit consent to a special-category processing (GDPR Art 9(2)(a)),
//! such as voice cloning: a screen of its own, shown only where the policy
//! declares one. It says what is processed, that the feature is optional,
//! who receives the data and where (with the transfer's safeguard and how to
//! get a copy of it), how long it is kept; consent is the policy's statement,
//! affirmed with a box nothing ticks in advance, bundled with nothing else.
//! Withdrawal is one action on the same screen; the deletion date is shown,
//! then confirmed once the server has deleted the data.

use assent_core::policy::notice::{Notice, NoticeSpecial};
use assent_core::rights::model::{GrantSpecialConsent, RequestType, SpecialConsent, Status};
use assent_core::rights::time::Timestamp;
use leptos::prelude::*;

use crate::api::Change;
use crate::format;
use crate::state::{Act, Panel};
use crate::widgets::{action_button, failure};

/// The section for the special processing `id`.
pub fn special(panel: Panel, id: String) -> impl IntoView {
    let t = panel.t;
    let about = {
        let id = id.clone();
        move || {
            panel
                .notice
                .with(|n| n.as_ref().and_then(|n| explained(n, &id, t.special_copy)))
        }
    };
    let consent = {
        let id = id.clone();
        move || {
            panel.account.with(|a| {
                a.as_ref()
                    .and_then(|a| a.special_consents.iter().find(|s| s.purpose == id).cloned())
            })
        }
    };
    let deleted = {
        let id = id.clone();
        move || {
            panel.requests.with(|list| {
                list.iter()
                    .find(|r| {
                        r.kind == RequestType::SpecialCategoryConsent
                            && r.purpose.as_deref() == Some(id.as_str())
                    })
                    .filter(|r| r.status == Status::Fulfilled)
                    .and_then(|r| Some((r.closed_at?, r.erasure_at?)))
            })
        }
    };
    view! {
        {move || about().map(|(s, facts)| view! {
            <p class="intro">{s.description.clone()}</p>
            <p class="optional">{t.special_optional}</p>
            <dl class="facts">{facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
        })}
        {move || consent().map(|c| {
            let id = id.clone();
            if c.given { withdraw(panel, id, c).into_any() } else { give(panel, id, c, deleted.clone()).into_any() }
        })}
    }
}

/// What the person is told about the processing: recipients with their
/// country and safeguard, retention, and where to ask for the safeguard.
fn explained(n: &Notice, id: &str, copy: &str) -> Option<(NoticeSpecial, Vec<(String, String)>)> {
    let s = n.special.iter().find(|s| s.id == id)?.clone();
    let recipients = s
        .recipients
        .iter()
        .map(|name| {
            let found = n.subprocessors.iter().find(|p| &p.name == name);
            match found {
                Some(p) => {
                    let safeguard: String = p
                        .transfers
                        .iter()
                        .filter(|tr| !tr.contingency)
                        .map(|tr| format!(", {}", tr.name))
                        .collect();
                    format!("{name} ({}{safeguard})", p.places())
                }
                None => name.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let ids: Vec<&str> = s.data.iter().map(|d| d.id.as_str()).collect();
    let retention = n
        .retention
        .iter()
        .filter(|r| r.data.iter().any(|d| ids.contains(&d.id.as_str())))
        .map(|r| r.period.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let data = s
        .data
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let words = assent_core::policy::notice::labels(&n.lang);
    let mut facts = vec![
        (words.data.to_owned(), data),
        (words.subprocessors.to_owned(), recipients),
    ];
    if !retention.is_empty() {
        facts.push((words.retention.to_owned(), retention));
    }
    facts.push((words.withdrawal.to_owned(), s.withdrawal.clone()));
    let email = n.controller.email.as_deref();
    facts.push((copy.to_owned(), words.or_not_stated(email).to_owned()));
    Some((s, facts))
}

fn give(
    panel: Panel,
    id: String,
    c: SpecialConsent,
    deleted: impl Fn() -> Option<(Timestamp, Timestamp)> + Send + Sync + 'static,
) -> impl IntoView {
    let t = panel.t;
    let affirmed = RwSignal::new(false);
    let act = Act::new();
    let body = GrantSpecialConsent {
        language: c.statement_language.clone(),
        statement: c.statement.clone(),
        affirmed: true,
    };
    let send = move || {
        if !affirmed.get_untracked() {
            return;
        }
        let change = Change::post(format!("/special-consents/{id}")).with(&body);
        act.run::<SpecialConsent, _>(panel, change, move |_| affirmed.set(false))
    };
    let box_id = "assent-special-affirm";
    let pending = c.deletion.as_ref().and_then(|d| d.erasure_at);
    view! {
        <p class="muted">{t.special_not_given}</p>
        {pending.map(|at| view! {
            <p class="card" role="status">{t.special_deletion_by}" "{format::date_time(at, t.lang)}</p>
        })}
        {move || deleted().map(|(at, due)| view! {
            <p class="done">{t.special_deleted}" "{format::date_time(at, t.lang)}
                " ("{t.special_deadline}" "{format::date_time(due, t.lang)}")"</p>
        })}
        <blockquote class="statement" lang=c.statement_language.clone()>{c.statement.clone()}</blockquote>
        <p class="affirm">
            <input type="checkbox" id=box_id prop:checked=move || affirmed.get()
                on:change=move |ev| affirmed.set(event_target_checked(&ev)) />
            <label for=box_id>{t.special_affirm}</label>
        </p>
        <p>{action_button(t.special_give, "primary", t, act, affirmed.into(), send.clone())}</p>
        {failure(t, act, send)}
    }
}

fn withdraw(panel: Panel, id: String, c: SpecialConsent) -> impl IntoView {
    let t = panel.t;
    let act = Act::new();
    let send = move || {
        let change = Change::delete(format!("/special-consents/{id}"));
        act.run::<SpecialConsent, _>(panel, change, |_| {})
    };
    let since = c
        .given_at
        .map(|at| format::date_time(at, t.lang))
        .unwrap_or_default();
    view! {
        <div class="card state-on" role="status">
            <p><strong>{t.special_given_since}" "{since}</strong></p>
        </div>
        <blockquote class="statement" lang=c.statement_language.clone()>{c.statement.clone()}</blockquote>
        <p>{action_button(t.special_withdraw, "danger", t, act, Signal::derive(|| true), send.clone())}</p>
        {failure(t, act, send)}
    }
}
