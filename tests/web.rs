//! Browser tests of the widget in headless Chromium (wasm-bindgen-test): the
//! Leptos components mounted into a fresh element, the storage adapters against
//! the real cookie jar and `localStorage`, and script gating in a real DOM.
//!
//! Run by `cargo xtask test` (`cargo test -p assent --target
//! wasm32-unknown-unknown --no-default-features`).

#![cfg(target_arch = "wasm32")]

use assent::embed::{config, gate};
use assent::platform::{consent_store, storage};
use assent::ui::{ConsentState, ConsentUi};
use assent_core::{Action, Category, Choice, Decision, Method};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fresh_container() -> HtmlElement {
    let el: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Mounts the consent UI; returns its container and the actions it reported.
fn mount_ui(state: ConsentState) -> (HtmlElement, RwSignal<Vec<Action>>) {
    let container = fresh_container();
    let actions = RwSignal::new(Vec::new());
    let on_action = Callback::new(move |a: Action| actions.update(|v| v.push(a)));
    leptos::mount::mount_to(container.clone(), move || {
        view! { <ConsentUi state=state on_action=on_action /> }
    })
    .forget();
    (container, actions)
}

fn button(container: &HtmlElement, text: &str) -> HtmlElement {
    let list = container.query_selector_all("button").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text:?}"))
}

fn switch(container: &HtmlElement, category: Category) -> HtmlInputElement {
    container
        .query_selector(&format!("#assent-switch-{}", category.key()))
        .unwrap()
        .unwrap_or_else(|| panic!("no switch for {category}"))
        .unchecked_into()
}

/// Whether `selector` matches an element that is not inside a `hidden` subtree.
fn has(container: &HtmlElement, selector: &str) -> bool {
    container
        .query_selector(selector)
        .unwrap()
        .is_some_and(|el| el.closest("[hidden]").unwrap().is_none())
}

fn press(target: &web_sys::Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn banner_shows_until_there_is_a_decision() {
    let state = ConsentState::new(None);
    let (ui, _) = mount_ui(state);
    tick().await;
    assert!(has(&ui, "section.banner"));
    state.decision.set(Some(Action::RejectAll.decide(1)));
    tick().await;
    assert!(!has(&ui, "section.banner"));
}

#[wasm_bindgen_test]
async fn a_stored_decision_shows_no_banner() {
    let (ui, _) = mount_ui(ConsentState::new(Some(Action::AcceptAll.decide(1))));
    tick().await;
    assert!(!has(&ui, "section.banner"));
    assert!(!has(&ui, "[role=dialog]"));
}

#[wasm_bindgen_test]
async fn banner_buttons_report_reject_all_and_accept_all() {
    let (ui, actions) = mount_ui(ConsentState::new(None));
    tick().await;
    button(&ui, "Reject all").click();
    button(&ui, "Accept all").click();
    tick().await;
    assert_eq!(
        actions.get_untracked(),
        vec![Action::RejectAll, Action::AcceptAll]
    );
}

#[wasm_bindgen_test]
async fn edpb_b_customize_opens_preferences_with_every_switch_off() {
    let (ui, actions) = mount_ui(ConsentState::new(None));
    tick().await;
    assert!(!has(&ui, "[role=dialog]"));
    button(&ui, "Customize").click();
    tick().await;
    assert!(has(&ui, "[role=dialog][aria-modal=true]"));
    for category in Category::OPTIONAL {
        let s = switch(&ui, category);
        assert!(!s.checked(), "{category} must start off");
        assert!(!s.disabled());
    }
    let necessary = switch(&ui, Category::Necessary);
    assert!(necessary.checked() && necessary.disabled());
    assert!(actions.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn save_reports_exactly_the_ticked_categories() {
    let (ui, actions) = mount_ui(ConsentState::new(None));
    tick().await;
    button(&ui, "Customize").click();
    tick().await;
    switch(&ui, Category::Analytics).click();
    tick().await;
    button(&ui, "Save choices").click();
    tick().await;
    let expected = Choice::reject_all().with(Category::Analytics, true);
    assert_eq!(actions.get_untracked(), vec![Action::Save(expected)]);
}

#[wasm_bindgen_test]
async fn preferences_start_from_the_current_decision() {
    let choice = Choice::reject_all().with(Category::Marketing, true);
    let state = ConsentState::new(Some(Action::Save(choice).decide(1)));
    let (ui, _) = mount_ui(state);
    state.preferences_open.set(true);
    tick().await;
    assert!(!switch(&ui, Category::Analytics).checked());
    assert!(switch(&ui, Category::Marketing).checked());
    assert!(!switch(&ui, Category::Personalization).checked());
}

#[wasm_bindgen_test]
async fn escape_closes_preferences_without_deciding() {
    let state = ConsentState::new(None);
    let (ui, actions) = mount_ui(state);
    state.preferences_open.set(true);
    tick().await;
    let dialog = ui.query_selector("[role=dialog]").unwrap().unwrap();
    press(&dialog, "Escape", false);
    tick().await;
    assert!(!state.preferences_open.get_untracked());
    assert!(!has(&ui, "[role=dialog]"));
    assert!(has(&ui, "section.banner"), "no decision: the banner stays");
    assert!(actions.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn tab_wraps_around_inside_the_dialog() {
    let state = ConsentState::new(None);
    let (ui, _) = mount_ui(state);
    state.preferences_open.set(true);
    tick().await;
    let dialog = ui.query_selector("[role=dialog]").unwrap().unwrap();
    let close: HtmlElement = ui
        .query_selector("button[aria-label=Close]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let save = button(&ui, "Save choices");
    save.focus().unwrap();
    press(&dialog, "Tab", false);
    assert_eq!(document().active_element(), Some(close.clone().into()));
    press(&dialog, "Tab", true);
    assert_eq!(document().active_element(), Some(save.into()));
}

#[wasm_bindgen_test]
fn consent_store_round_trips_through_cookie_and_local_storage() {
    let _ = consent_store::clear();
    let d = Action::Save(Choice::reject_all().with(Category::Personalization, true))
        .decide(assent::platform::clock::now_ms());
    assert!(consent_store::save(&d).is_empty());
    let loaded = consent_store::load(d.decided_at_ms);
    assert_eq!(loaded.decision, Some(d));
    assert!(loaded.problems.is_empty());
    // Either store alone is enough (browsers that drop cookies keep localStorage).
    assert!(consent_store::clear().is_empty());
    storage::set(consent_store::STORAGE_KEY, &d.encode()).unwrap();
    assert_eq!(consent_store::load(d.decided_at_ms).decision, Some(d));
    let _ = consent_store::clear();
}

#[wasm_bindgen_test]
fn broken_or_expired_stored_values_grant_nothing() {
    let _ = consent_store::clear();
    storage::set(consent_store::STORAGE_KEY, "v1.a1m1p1.accept-all.oops").unwrap();
    let loaded = consent_store::load(1_000);
    assert_eq!(loaded.decision, None);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);

    let old = Decision {
        choice: Choice::accept_all(),
        method: Method::AcceptAll,
        decided_at_ms: 1_000,
    };
    storage::set(consent_store::STORAGE_KEY, &old.encode()).unwrap();
    let later = old.expires_at_ms();
    let loaded = consent_store::load(later);
    assert_eq!(loaded.decision, None);
    assert!(loaded.problems.is_empty(), "expiry is not an error");
    let _ = consent_store::clear();
}

fn runs(name: &str) -> f64 {
    let window = web_sys::window().unwrap();
    js_sys::Reflect::get(&window, &name.into())
        .unwrap()
        .as_f64()
        .unwrap_or(0.0)
}

fn gated_script(category: &str, counter: &str) -> web_sys::Element {
    let s = document().create_element("script").unwrap();
    s.set_attribute("type", "text/plain").unwrap();
    s.set_attribute("data-category", category).unwrap();
    s.set_attribute("data-service", "demo").unwrap();
    s.set_text_content(Some(&format!(
        "window.{counter} = (window.{counter} || 0) + 1;"
    )));
    fresh_container().append_child(&s).unwrap();
    s
}

#[wasm_bindgen_test]
fn gated_scripts_run_once_and_only_for_granted_categories() {
    let analytics = gated_script("analytics", "__t_analytics");
    gated_script("marketing", "__t_marketing");
    gated_script("ads", "__t_unknown");
    analytics
        .unchecked_ref::<web_sys::HtmlElement>()
        .set_nonce("n0nce");

    assert_eq!(
        gate::activate(None).unwrap(),
        0,
        "nothing before a decision"
    );
    assert_eq!(runs("__t_analytics"), 0.0);

    let choice = Choice::reject_all().with(Category::Analytics, true);
    assert_eq!(gate::activate(Some(choice)).unwrap(), 1);
    assert_eq!(runs("__t_analytics"), 1.0);
    assert_eq!(runs("__t_marketing"), 0.0);

    // Applying the same or a wider choice again never re-runs a script.
    assert_eq!(gate::activate(Some(Choice::accept_all())).unwrap(), 1);
    assert_eq!(runs("__t_analytics"), 1.0);
    assert_eq!(runs("__t_marketing"), 1.0);
    assert_eq!(runs("__t_unknown"), 0.0, "unknown categories fail closed");

    let activated = document()
        .query_selector("script[data-service=demo]:not([type])")
        .unwrap()
        .expect("an activated copy");
    assert_eq!(activated.unchecked_ref::<HtmlElement>().nonce(), "n0nce");
    assert_eq!(
        activated.get_attribute("data-category").as_deref(),
        Some("analytics")
    );
}

fn with_config<T>(json: &str, f: impl FnOnce() -> T) -> T {
    let script = document().create_element("script").unwrap();
    script.set_attribute("type", "application/json").unwrap();
    script.set_id(config::CONFIG_ID);
    script.set_text_content(Some(json));
    document().body().unwrap().append_child(&script).unwrap();
    let out = f();
    script.remove();
    out
}

#[wasm_bindgen_test]
fn the_page_config_sets_language_and_the_sites_categories() {
    let (ui, problem) = with_config(
        r#"{"lang": "fr-FR", "categories": [
            {"id": "analytics", "name": "Mesure d'audience", "description": "Matomo"},
            {"id": "necessary", "name": "Essentiels", "description": "Session"}]}"#,
        config::read,
    );
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(ui.texts.reject_all, "Tout refuser");
    let offered: Vec<_> = ui
        .categories
        .iter()
        .map(|c| (c.category, c.name.as_str()))
        .collect();
    assert_eq!(
        offered,
        vec![
            (Category::Necessary, "Essentiels"),
            (Category::Analytics, "Mesure d'audience")
        ],
        "strictly necessary first, only the site's categories"
    );
}

#[wasm_bindgen_test]
fn a_broken_page_config_falls_back_to_the_defaults_with_an_error() {
    for json in [
        "{not json",
        r#"{"categories": 3}"#,
        r#"{"categories": [{"id": "ads"}]}"#,
    ] {
        let (ui, problem) = with_config(json, config::read);
        assert!(problem.is_some(), "{json}");
        assert_eq!(ui.categories.len(), Category::ALL.len(), "{json}");
    }
}
