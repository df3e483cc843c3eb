//! Read-only mode (GDPR Art 18): its effects explained before it is turned
//! on; turning it off shows the server's warning first (Art 18(3)) and lifts
//! the restriction only when the person confirms, quoting that warning.

use assent_core::rights::model::{AccountState, LiftRestriction, LiftWarning, Request};
use leptos::prelude::*;

use crate::api::Change;
use crate::format;
use crate::state::{Act, Panel};
use crate::widgets::{action_button, failure};

/// The section.
pub fn restriction(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let restricted = move || {
        panel.account.with(|a| {
            a.as_ref()
                .is_some_and(|a| a.state == AccountState::Restricted)
        })
    };
    view! {
        <p class="intro">{t.restriction_intro}</p>
        <ul class="effects">{t.restriction_effects.iter().map(|e| view! { <li>{*e}</li> }).collect_view()}</ul>
        {move || if restricted() { lift(panel).into_any() } else { turn_on(panel).into_any() }}
    }
}

fn turn_on(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let act = Act::new();
    let send = move || act.run::<Request, _>(panel, Change::post("/restriction"), |_| {});
    let loaded = Signal::derive(move || panel.account.with(Option::is_some));
    view! {
        <p>{action_button(t.restriction_on, "primary", t, act, loaded, send)}</p>
        {failure(t, act, send)}
    }
}

fn lift(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let since = move || {
        panel.account.with(|a| {
            a.as_ref()
                .and_then(|a| a.restriction.as_ref())
                .map(|r| format::date_time(r.received_at, t.lang))
        })
    };
    let warning = RwSignal::new(None::<LiftWarning>);
    let ask = Act::new();
    let confirm = Act::new();
    let send_ask = move || {
        ask.run::<LiftWarning, _>(
            panel,
            Change::post("/restriction/lift-warnings"),
            move |w| warning.set(w),
        )
    };
    let send_confirm = move || {
        let Some(w) = warning.get_untracked() else {
            return;
        };
        let body = LiftRestriction {
            warning_id: w.warning_id,
        };
        confirm.run::<Request, _>(
            panel,
            Change::delete("/restriction").with(&body),
            move |_| warning.set(None),
        )
    };
    let always = Signal::derive(|| true);
    view! {
        <div class="card state-on" role="status">
            <p><strong>{t.restriction_is_on}</strong>" "{move || since().map(|s| format!("{} {s}.", t.restriction_since))}</p>
        </div>
        {move || match warning.get() {
            None => view! {
                <p>{action_button(t.restriction_lift, "secondary", t, ask, always, send_ask)}</p>
            }.into_any(),
            Some(w) => view! {
                <div class="card warning" role="alertdialog" aria-labelledby="assent-lift-warning">
                    <p id="assent-lift-warning">{w.text}</p>
                    <p class="row">
                        {action_button(t.restriction_lift_confirm, "primary", t, confirm, always, send_confirm)}
                        <button type="button" class="secondary" on:click=move |_| warning.set(None)>{t.cancel}</button>
                    </p>
                </div>
            }.into_any(),
        }}
        {failure(t, ask, send_ask)}
        {failure(t, confirm, send_confirm)}
    }
}
