//! The only code that knows the host page: boot, shadow-root mount, script
//! gating and `data-assent-open` links.
//!
//! Boot order matters for the law, not only for speed: the stored decision is
//! read and the host page's gated scripts are activated from it *before* any UI
//! is built, and nothing optional runs without a decision (ePrivacy Art 5(3)).

pub mod config;
pub mod gate;
pub mod mount;
pub mod reopen;

use assent_core::{Action, Decision};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::platform::{clock, consent_store, dom};
use crate::ui::{ConsentState, ConsentUi};
use crate::Error;

/// Starts the widget on the current page once the DOM is parsed. Never panics and
/// never throws: every failure is reported on the console.
pub fn boot() {
    let Ok(document) = dom::document() else {
        warn(&Error::NoDocument);
        return;
    };
    if document.ready_state() == "loading" {
        let start = Closure::once_into_js(run);
        let listener = start.unchecked_ref();
        if let Err(e) = document.add_event_listener_with_callback("DOMContentLoaded", listener) {
            warn(&Error::dom("wait for the page to load", e));
        }
    } else {
        run();
    }
}

fn run() {
    let loaded = consent_store::load(clock::now_ms());
    loaded.problems.iter().for_each(warn);
    let decision = loaded.decision;
    apply(decision);

    let state = ConsentState::new(decision);
    let on_action = Callback::new(move |action: Action| decide(state, action));
    let policy_url = policy_url();
    let (config, problem) = config::read();
    problem.iter().for_each(warn);
    let mounted = mount::mount(move || {
        view! { <ConsentUi state=state on_action=on_action policy_url=policy_url config=config /> }
    });
    if let Err(e) = mounted {
        warn(&e);
        return;
    }
    if let Err(e) = reopen::listen(state) {
        warn(&e);
    }
}

/// Records the user's `action`: store it, apply it to the page, close the UI.
fn decide(state: ConsentState, action: Action) {
    let decision = action.decide(clock::now_ms());
    consent_store::save(&decision).iter().for_each(warn);
    state.decision.set(Some(decision));
    state.preferences_open.set(false);
    apply(Some(decision));
}

/// Activates the gated scripts `decision` allows.
fn apply(decision: Option<Decision>) {
    if let Err(e) = gate::activate(decision.map(|d| d.choice)) {
        warn(&e);
    }
}

/// The host's privacy policy, from `<link rel="privacy-policy" href="…">`.
fn policy_url() -> Option<String> {
    dom::document()
        .ok()?
        .query_selector("link[rel~='privacy-policy'][href]")
        .ok()??
        .get_attribute("href")
}

/// Reports a failure on the console, prefixed so site owners can filter it.
pub fn warn(error: &Error) {
    web_sys::console::warn_1(&format!("[assent] {error}").into());
}
