//! Export (GDPR Art 15(3) and 20): ask for a copy, follow the job (files and
//! bytes), then "ready until <date>" with a plain download link (the
//! browser's own download, resumable) and a way to revoke it early; earlier
//! exports are listed with their state.

use assent_core::rights::model::{ExportOrder, Request, Status};
use leptos::prelude::*;

use crate::api::Change;
use crate::format;
use crate::state::{is_export, Act, Panel};
use crate::widgets::{action_button, failure, status};

/// The section.
pub fn export(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let order = Act::new();
    let send = move || {
        order.run::<Request, _>(
            panel,
            Change::post("/exports").with(&ExportOrder::default()),
            |_| {},
        )
    };
    let exports = move || {
        panel.requests.with(|l| {
            l.iter()
                .filter(|r| is_export(r))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let current = move || {
        // The newest export, while it is under way or its link works.
        exports().into_iter().next().filter(|r| {
            matches!(
                r.status,
                Status::Open | Status::InProgress | Status::Fulfilled
            )
        })
    };
    let can_order = Signal::derive(move || {
        panel.account.with(Option::is_some)
            && !exports()
                .iter()
                .any(|r| matches!(r.status, Status::Open | Status::InProgress))
    });
    view! {
        <p class="intro">{t.export_intro}</p>
        {move || current().map(|r| current_export(panel, r))}
        <p>{action_button(t.export_request, "primary", t, order, can_order, send)}</p>
        {failure(t, order, send)}
        {move || {
            let all = exports();
            let earlier: Vec<Request> = all.iter().skip(current().is_some() as usize).cloned().collect();
            let lang = t.lang;
            if all.is_empty() {
                view! { <p class="muted">{t.export_none}</p> }.into_any()
            } else if earlier.is_empty() {
                ().into_any()
            } else {
                view! {
                    <h4>{t.export_earlier}</h4>
                    <ul class="history">
                        {earlier.into_iter().map(|r| view! {
                            <li>
                                <span>{t.export_requested}" "{format::date_time(r.received_at, lang)}</span>
                                <span class=format!("status {}", r.status.as_str())>{status(t, r.status)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}

/// The export under way or ready.
fn current_export(panel: Panel, r: Request) -> impl IntoView {
    let t = panel.t;
    let lang = t.lang;
    let revoke = Act::new();
    let id = r.request_id.clone();
    let send_revoke =
        move || revoke.run::<Request, _>(panel, Change::delete(format!("/exports/{id}")), |_| {});
    let ready = r.status == Status::Fulfilled;
    let progress = r.progress.unwrap_or_default();
    let link = r
        .results_url
        .as_deref()
        .and_then(|u| panel.api().map(|api| api.resolve(u)));
    let size = r
        .archive
        .as_ref()
        .map(|a| format::bytes(a.size))
        .unwrap_or_default();
    view! {
        <div class="card" role="status">
            {(!ready).then(|| view! {
                <p><strong>{t.export_preparing}</strong></p>
                <progress max=progress.files_total.max(1) value=progress.files_done></progress>
                <p class="muted">
                    {format!("{} / {} {} · {} / {}", progress.files_done, progress.files_total, t.export_progress,
                        format::bytes(progress.bytes_done), format::bytes(progress.bytes_total))}
                </p>
            })}
            {ready.then(|| view! {
                <p><strong>{t.export_ready_until}" "{r.expires_at.map(|e| format::date_time(e, lang)).unwrap_or_default()}</strong></p>
                <p class="row">
                    <a class="button primary" href=link.clone().unwrap_or_default() download="">
                        {t.export_download}" ("{size.clone()}")"
                    </a>
                    {action_button(t.export_revoke, "secondary", t, revoke, Signal::derive(|| true), send_revoke.clone())}
                </p>
            })}
            {failure(t, revoke, send_revoke.clone())}
        </div>
    }
}
