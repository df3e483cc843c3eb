//! The only code that knows the host page: boot, shadow-root mount, and the
//! bridge to the loader.
//!
//! The loader (`www/loader/`, `assent-loader.js`) runs on every page view: it
//! gates the page's scripts and embeds, sets Google Consent Mode and owns the
//! JavaScript API. It imports this wasm only when the banner must show or the
//! user opens the settings, then calls [`boot`] once with a bridge object and
//! [`show`] for each request. The widget reads the stored decision and the
//! page's configuration itself (with core's rules, the same the loader
//! applies; where storage is blocked, the decision this page view applies
//! comes from `bridge.stored()`), shows the UI, stores each decision the user makes and hands it to
//! the loader through `bridge.decided(stored, language)`, which applies it to
//! the page and, when the site collects consent records, records it in the
//! language the user decided in (docs/records.md).

pub mod config;

use std::cell::RefCell;

use assent_core::rules::{evaluate, pick, Verdict};
use assent_core::{Action, Context, Rules, Status};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use assent_web::mount::{render_into, root_first_in_body};

use crate::platform::{clock, consent_store, dom};
use crate::ui::{ConsentState, ConsentUi, Texts, CSS};
use crate::Error;

/// Tag name of the widget's host element, first in `<body>` so the banner
/// comes first in tab order.
pub const HOST_TAG: &str = "assent-widget";

/// The widget once booted: its state, rules and the loader's bridge.
struct Booted {
    state: ConsentState,
    rules: Rules,
    bridge: JsValue,
    on_action: Callback<Action>,
}

thread_local! {
    static BOOTED: RefCell<Option<Booted>> = const { RefCell::new(None) };
}

/// Mounts the widget on the current page (once; later calls do nothing).
/// `bridge` is the loader's object whose `decided(stored, language)` method
/// applies each decision to the page; its `language`, when set, is the one the
/// first layer's banner shows. Never throws: failures are console warnings.
#[wasm_bindgen]
pub fn boot(bridge: JsValue) {
    if BOOTED.with(|b| b.borrow().is_some()) {
        return;
    }
    if let Err(e) = mount_widget(bridge) {
        warn(&e);
    }
}

/// Shows part of the UI at the loader's request: `"banner"`, `"preferences"`,
/// or `"allow-service"` with a service id (an embed's "Always allow"); or
/// `"reject-all"`: a `data-assent-open="reject"` link withdraws every consent
/// in one click, as Accept all gave it in one (GDPR Art 7(3)).
#[wasm_bindgen]
pub fn show(what: &str, service: Option<String>) {
    let Some((state, on_action, rules)) = BOOTED.with(|b| {
        b.borrow()
            .as_ref()
            .map(|booted| (booted.state, booted.on_action, booted.rules))
    }) else {
        warn(&Error::Bridge("show() before boot()".into()));
        return;
    };
    match (what, service) {
        ("banner", _) => {
            // The page may have reset the choice since boot (`Assent.reset()`).
            let bridge = BOOTED.with(|b| b.borrow().as_ref().map(|x| x.bridge.clone()));
            let (verdict, _) = current_verdict(&rules, state.gpc, bridge.as_ref());
            let valid = verdict.status == Status::Valid;
            state.decision.set(verdict.decision.filter(|_| valid));
            state.banner_open.set(true);
        }
        ("preferences", _) => state.open_preferences(),
        ("allow-service", Some(id)) => on_action.run(Action::AllowService(id)),
        ("reject-all", _) => on_action.run(Action::RejectAll),
        (other, _) => warn(&Error::Bridge(format!("unknown request `{other}`"))),
    }
}

fn mount_widget(bridge: JsValue) -> Result<(), Error> {
    let (site, problem) = config::read();
    problem.iter().for_each(warn);
    let gpc = global_privacy_control();
    let (verdict, problems) = current_verdict(&site.rules, gpc, Some(&bridge));
    problems.iter().for_each(warn);
    let valid = verdict.status == Status::Valid;
    let language = shown_language(&bridge).unwrap_or_else(|| config::language(&site));
    let mut state = ConsentState::new(verdict.decision.filter(|_| valid), language);
    state.gpc = gpc;
    state.outdated = verdict.status == Status::Outdated;
    let rules = site.rules;
    let on_action = Callback::new(move |action: Action| decide(action));
    BOOTED.with(|b| {
        *b.borrow_mut() = Some(Booted {
            state,
            rules,
            bridge,
            on_action,
        })
    });
    let policy_url = policy_url();
    let ui = site.ui;
    let root = root_first_in_body(HOST_TAG, CSS)?;
    // A language switch renders the UI afresh in the new language (the state,
    // draft included, lives outside it). Re-rendering from scratch costs no wasm;
    // a reactive view that could rebuild in place would double the UI's code.
    let render = move || {
        let (url, ui) = (policy_url.clone(), ui.clone());
        render_into(&root, move || {
            let on_history = Callback::new(|()| download_history());
            view! {
                <ConsentUi state=state on_action=on_action on_history=on_history
                    policy_url=url config=ui />
            }
        })
    };
    let owner = Owner::new();
    owner.with(|| {
        let current = StoredValue::new_local(Some(render()));
        Effect::watch(
            move || state.texts.get(),
            move |_, _, _| {
                current.update_value(|ui| {
                    *ui = None;
                    *ui = Some(render());
                })
            },
            false,
        );
    });
    // The widget lives as long as the page.
    std::mem::forget(owner);
    Ok(())
}

/// Records the user's `action`: decide with core, store, close the UI, and
/// hand the stored value and the UI language to the loader (even when storage
/// failed: the decision still applies to this page view).
fn decide(action: Action) {
    let Some((state, rules, bridge)) = BOOTED.with(|b| {
        b.borrow()
            .as_ref()
            .map(|x| (x.state, x.rules, x.bridge.clone()))
    }) else {
        return;
    };
    let context = Context {
        now_ms: clock::now_ms(),
        revision: rules.revision,
        gpc: state.gpc,
    };
    let previous = state.shown_decision();
    let decision = action.decide(context, previous.as_ref());
    consent_store::save(&decision, &rules).iter().for_each(warn);
    let stored = decision.encode();
    let language = state.texts.get_untracked().lang;
    state.decision.set(Some(decision));
    state.banner_open.set(false);
    state.close_preferences();
    if let Err(e) = notify(&bridge, &stored, language) {
        warn(&e);
    }
}

#[wasm_bindgen]
extern "C" {
    /// The loader's bridge object (`www/loader/decide.js`).
    type Bridge;

    /// `bridge.decided(stored, language)`: the loader applies the decision
    /// to the page (and records it, docs/records.md). Throws if the bridge
    /// has no such function.
    #[wasm_bindgen(method, catch)]
    fn decided(this: &Bridge, stored: &str, language: &str) -> Result<(), JsValue>;

    /// `bridge.history()`: the loader saves the visitor's consent records and
    /// receipts as a file (docs/records.md).
    #[wasm_bindgen(method, catch)]
    fn history(this: &Bridge) -> Result<(), JsValue>;

    /// `bridge.stored()`: the stored value of the decision the loader applies
    /// on this page view, if any: where storage is blocked, a decision made in
    /// the first layer is kept there only.
    #[wasm_bindgen(method, catch)]
    fn stored(this: &Bridge) -> Result<Option<String>, JsValue>;
}

/// The verdict on the decision that applies now, with the stores' problems:
/// the newest valid of the stores' value and the page view's decision
/// (`bridge.stored()`), read as the stores are (core `rules::pick`), so a
/// decision the first layer made where storage is blocked is shown in the
/// preferences and built on, as it applies to the page.
fn current_verdict(rules: &Rules, gpc: bool, bridge: Option<&JsValue>) -> (Verdict, Vec<Error>) {
    let now = clock::now_ms();
    let loaded = consent_store::load(rules, now, gpc);
    let value = match bridge.map(|b| b.unchecked_ref::<Bridge>().stored()) {
        Some(Ok(Some(value))) => value,
        Some(Err(e)) => {
            warn(&Error::Bridge(crate::error::describe(&e)));
            return (loaded.verdict, loaded.problems);
        }
        _ => return (loaded.verdict, loaded.problems),
    };
    let verdict = pick(vec![
        loaded.verdict,
        evaluate(Some(&value), rules, now, gpc),
    ]);
    (verdict, loaded.problems)
}

/// Asks the loader to download the visitor's consent records.
fn download_history() {
    let bridge = BOOTED.with(|b| b.borrow().as_ref().map(|x| x.bridge.clone()));
    if let Some(bridge) = bridge {
        if let Err(e) = bridge.unchecked_ref::<Bridge>().history() {
            warn(&Error::Bridge(crate::error::describe(&e)));
        }
    }
}

/// Calls `bridge.decided(stored, language)`.
fn notify(bridge: &JsValue, stored: &str, language: &str) -> Result<(), Error> {
    bridge
        .unchecked_ref::<Bridge>()
        .decided(stored, language)
        .map_err(|e| Error::Bridge(crate::error::describe(&e)))
}

/// The language the loader's first layer shows its banner in
/// (`bridge.language`), which the widget takes over.
fn shown_language(bridge: &JsValue) -> Option<&'static Texts> {
    js_sys::Reflect::get(bridge, &JsValue::from_str("language"))
        .ok()?
        .as_string()
        .and_then(|tag| Texts::find(&tag))
}

/// Whether the browser sends Global Privacy Control (`navigator.globalPrivacyControl`).
fn global_privacy_control() -> bool {
    dom::window()
        .ok()
        .and_then(|w| {
            js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("globalPrivacyControl")).ok()
        })
        .is_some_and(|v| v.as_bool() == Some(true))
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
