//! Browser tests of the widget in headless Chromium (wasm-bindgen-test): the
//! Leptos components mounted into a fresh element, the storage adapters against
//! the real cookie jar and `localStorage`, and the page configuration.
//! (Gating lives in the loader and is tested in `tests/loader/` and end to end.)
//!
//! Run by `cargo xtask test` (`cargo test -p assent --target
//! wasm32-unknown-unknown`).

#![cfg(target_arch = "wasm32")]

use assent::embed::config;
use assent::platform::{consent_store, storage};
use assent::ui::{CategoryText, ConsentState, ConsentUi, ServiceText, Texts, UiConfig, Words};
use assent_core::{Action, Category, Choice, Context, Decision, Rules, Services, Status};
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
    mount_with(state, UiConfig::default())
}

fn mount_with(state: ConsentState, config: UiConfig) -> (HtmlElement, RwSignal<Vec<Action>>) {
    let container = fresh_container();
    let actions = RwSignal::new(Vec::new());
    let on_action = Callback::new(move |a: Action| actions.update(|v| v.push(a)));
    leptos::mount::mount_to(container.clone(), move || {
        move || {
            state.texts.track();
            view! { <ConsentUi state=state on_action=on_action config=config.clone() /> }
        }
    })
    .forget();
    (container, actions)
}

fn at(now_ms: u64) -> Context {
    Context {
        now_ms,
        revision: 0,
        gpc: false,
    }
}

fn decided(action: Action) -> Decision {
    action.decide(at(1), None)
}

fn new_state(decision: Option<Decision>) -> ConsentState {
    ConsentState::new(decision, &Texts::EN)
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
    let state = new_state(None);
    let (ui, _) = mount_ui(state);
    tick().await;
    assert!(has(&ui, "section.banner"));
    state.banner_open.set(false);
    tick().await;
    assert!(!has(&ui, "section.banner"));
}

#[wasm_bindgen_test]
async fn a_stored_decision_shows_no_banner() {
    let (ui, _) = mount_ui(new_state(Some(decided(Action::AcceptAll))));
    tick().await;
    assert!(!has(&ui, "section.banner"));
    assert!(!has(&ui, "[role=dialog]"));
}

#[wasm_bindgen_test]
async fn banner_buttons_report_reject_all_and_accept_all() {
    let (ui, actions) = mount_ui(new_state(None));
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
    let (ui, actions) = mount_ui(new_state(None));
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
async fn the_dialog_offers_the_consent_records_only_where_the_site_keeps_them() {
    let history = |ui: &HtmlElement| -> HtmlElement {
        ui.query_selector("[role=dialog] button[data-action=history]")
            .unwrap()
            .expect("the history control")
            .unchecked_into()
    };
    // Without `records`: no such button to see.
    let (ui, _) = mount_ui(new_state(None));
    tick().await;
    button(&ui, "Customize").click();
    tick().await;
    assert!(history(&ui).hidden());
    // With `records`: shown, and a click asks for the download, deciding nothing.
    let container = fresh_container();
    let asked = RwSignal::new(0);
    let actions = RwSignal::new(Vec::<Action>::new());
    let on_action = Callback::new(move |a: Action| actions.update(|v| v.push(a)));
    let on_history = Callback::new(move |()| asked.update(|n| *n += 1));
    let config = UiConfig {
        records: true,
        ..UiConfig::default()
    };
    let state = new_state(None);
    leptos::mount::mount_to(container.clone(), move || {
        view! { <ConsentUi state=state on_action=on_action on_history=on_history config=config.clone() /> }
    })
    .forget();
    tick().await;
    button(&container, "Customize").click();
    tick().await;
    let control = history(&container);
    assert!(!control.hidden());
    assert_eq!(
        control.text_content().as_deref(),
        Some("Download my consent records")
    );
    control.click();
    tick().await;
    assert_eq!(asked.get_untracked(), 1);
    assert!(actions.get_untracked().is_empty());
    assert!(has(&container, "[role=dialog]"), "the dialog stays open");
}

#[wasm_bindgen_test]
async fn save_reports_exactly_the_ticked_categories() {
    let (ui, actions) = mount_ui(new_state(None));
    tick().await;
    button(&ui, "Customize").click();
    tick().await;
    switch(&ui, Category::Analytics).click();
    tick().await;
    button(&ui, "Save choices").click();
    tick().await;
    let expected = Choice::reject_all().with(Category::Analytics, true);
    assert_eq!(
        actions.get_untracked(),
        vec![Action::Save(expected, Services::new())]
    );
}

#[wasm_bindgen_test]
async fn preferences_start_from_the_current_decision() {
    let choice = Choice::reject_all().with(Category::Marketing, true);
    let state = new_state(Some(decided(Action::Save(choice, Services::new()))));
    let (ui, _) = mount_ui(state);
    state.open_preferences();
    tick().await;
    assert!(!switch(&ui, Category::Analytics).checked());
    assert!(switch(&ui, Category::Marketing).checked());
    assert!(!switch(&ui, Category::Personalization).checked());
}

#[wasm_bindgen_test]
async fn escape_closes_preferences_without_deciding() {
    let state = new_state(None);
    let (ui, actions) = mount_ui(state);
    state.open_preferences();
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
    let state = new_state(None);
    let (ui, _) = mount_ui(state);
    state.open_preferences();
    tick().await;
    let dialog = ui.query_selector("[role=dialog]").unwrap().unwrap();
    // The first control of the dialog is its language switcher.
    let first: HtmlElement = ui
        .query_selector("#assent-lang-dialog")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let save = button(&ui, "Save choices");
    save.focus().unwrap();
    press(&dialog, "Tab", false);
    assert_eq!(document().active_element(), Some(first.clone().into()));
    press(&dialog, "Tab", true);
    assert_eq!(document().active_element(), Some(save.into()));
}

#[wasm_bindgen_test]
fn consent_store_round_trips_through_cookie_and_local_storage() {
    let _ = consent_store::clear();
    let rules = Rules::default();
    let now = assent::platform::clock::now_ms();
    let d = Action::Save(
        Choice::reject_all().with(Category::Personalization, true),
        Services::from([("youtube".to_owned(), true)]),
    )
    .decide(at(now), None);
    assert!(consent_store::save(&d, &rules).is_empty());
    let loaded = consent_store::load(&rules, now, false);
    assert_eq!(loaded.verdict.status, Status::Valid);
    assert_eq!(loaded.verdict.decision.as_ref(), Some(&d));
    assert!(loaded.problems.is_empty());
    // Either store alone is enough (browsers that drop cookies keep localStorage).
    assert!(consent_store::clear().is_empty());
    storage::set(consent_store::STORAGE_KEY, &d.encode()).unwrap();
    assert_eq!(
        consent_store::load(&rules, now, false).verdict.decision,
        Some(d)
    );
    let _ = consent_store::clear();
}

#[wasm_bindgen_test]
fn broken_or_expired_stored_values_grant_nothing() {
    let _ = consent_store::clear();
    let rules = Rules::default();
    storage::set(consent_store::STORAGE_KEY, "v2.a1m1p1.accept-all.oops.0.0.").unwrap();
    let loaded = consent_store::load(&rules, 1_000, false);
    assert_eq!(loaded.verdict.status, Status::None);
    assert!(loaded.verdict.effective.is_none());
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);

    let old = decided(Action::AcceptAll);
    storage::set(consent_store::STORAGE_KEY, &old.encode()).unwrap();
    let loaded = consent_store::load(&rules, rules.expires_at_ms(&old), false);
    assert_eq!(loaded.verdict.status, Status::Expired);
    assert!(loaded.verdict.effective.is_none());
    assert!(loaded.problems.is_empty(), "expiry is not an error");
    let _ = consent_store::clear();
}

fn text(pairs: &[(&str, &str)]) -> Words {
    Words(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

fn config_with_services() -> UiConfig {
    let service = |id: &str, provider: &str| ServiceText {
        id: id.to_owned(),
        name: None,
        provider: provider.to_owned(),
        purpose: text(&[("en", "Purpose"), ("fr", "Finalité")]),
        cookies: Vec::new(),
    };
    UiConfig {
        languages: vec![&Texts::EN, &Texts::FR],
        fallback: "en".to_owned(),
        categories: vec![
            CategoryText {
                category: Category::Necessary,
                name: None,
                description: None,
                services: vec![ServiceText {
                    name: Some(text(&[
                        ("en", "Sign-in session"),
                        ("fr", "Session de connexion"),
                    ])),
                    cookies: vec![
                        ("p2c_session".to_owned(), "session".to_owned()),
                        ("lang".to_owned(), "13 months".to_owned()),
                    ],
                    ..service("session", "Pix2Clip")
                }],
            },
            CategoryText {
                category: Category::Marketing,
                name: Some(text(&[("en", "Advertising"), ("fr", "Publicité")])),
                description: None,
                services: vec![service("ads", "AdCo"), service("youtube", "YouTube")],
            },
        ],
        changes: None,
        records: false,
    }
}

fn service_switch(container: &HtmlElement, id: &str) -> HtmlInputElement {
    container
        .query_selector(&format!("#assent-service-{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no switch for service {id}"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn one_service_can_be_refused_in_a_granted_category() {
    let state = new_state(None);
    let (ui, actions) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    assert!(!service_switch(&ui, "ads").checked(), "off by default");
    switch(&ui, Category::Marketing).click();
    tick().await;
    assert!(
        service_switch(&ui, "ads").checked(),
        "services follow their category"
    );
    assert!(service_switch(&ui, "youtube").checked());
    service_switch(&ui, "ads").click();
    tick().await;
    assert!(
        ui.query_selector("#assent-service-session")
            .unwrap()
            .is_none(),
        "a strictly necessary service is no switch"
    );
    button(&ui, "Save choices").click();
    tick().await;
    assert_eq!(
        actions.get_untracked(),
        vec![Action::Save(
            Choice::reject_all().with(Category::Marketing, true),
            Services::from([("ads".to_owned(), false)])
        )]
    );
}

/// Each service reads by its own name, with its provider, and its cookies'
/// lifetimes in the reader's language on request; a strictly necessary one
/// reads "Always on", not as a switch.
#[wasm_bindgen_test]
async fn services_read_by_their_own_name_and_necessary_ones_as_always_on() {
    let state = new_state(None);
    let (ui, _) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    let read = |selector: &str| {
        ui.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(read("#assent-service-name-session"), "Sign-in session");
    assert_eq!(
        read("#assent-service-name-ads"),
        "AdCo",
        "no name: its provider"
    );
    let session = ui
        .query_selector("#assent-service-name-session")
        .unwrap()
        .unwrap()
        .closest("li")
        .unwrap()
        .unwrap();
    assert_eq!(
        session
            .query_selector(".always-on")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Always on"
    );
    assert!(session
        .text_content()
        .unwrap()
        .contains("Provider: Pix2Clip"));
    let cookies = session
        .query_selector("details.cookies")
        .unwrap()
        .expect("cookies on request");
    assert!(!cookies.has_attribute("open"), "folded until asked for");
    let text_of = |element: Option<web_sys::Element>| element.unwrap().text_content().unwrap();
    assert_eq!(
        text_of(cookies.query_selector("p").unwrap()),
        "p2c_session — the browsing session; lang — 13 months"
    );
    let ads = ui
        .query_selector("#assent-service-name-ads")
        .unwrap()
        .unwrap()
        .closest("li")
        .unwrap()
        .unwrap();
    let nothing = ads.query_selector("details.cookies").unwrap().unwrap();
    assert!(
        nothing.has_attribute("hidden"),
        "no cookies, nothing to unfold"
    );
    choose_language(&ui, "fr").await;
    assert_eq!(read("#assent-service-name-session"), "Session de connexion");
    assert_eq!(
        read("#assent-service-name-session + .always-on"),
        "Toujours actifs"
    );
    assert_eq!(
        read("details.cookies p"),
        "p2c_session — la session de navigation; lang — 13 mois"
    );
}

/// Picks `lang` in the dialog's language switcher.
async fn choose_language(ui: &HtmlElement, lang: &str) {
    let select: web_sys::HtmlSelectElement = ui
        .query_selector("#assent-lang-dialog")
        .unwrap()
        .expect("a switcher when the site offers two languages")
        .unchecked_into();
    select.set_value(lang);
    select
        .dispatch_event(
            &web_sys::Event::new_with_event_init_dict("change", &{
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            })
            .unwrap(),
        )
        .unwrap();
    tick().await;
}

#[wasm_bindgen_test]
async fn gpc_is_shown_and_a_grant_made_without_it_shows_refused() {
    let mut state = new_state(Some(decided(Action::AcceptAll)));
    state.gpc = true;
    let (ui, _) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    assert!(has(&ui, "[role=dialog] .gpc"), "the signal is displayed");
    assert!(!switch(&ui, Category::Marketing).checked());
    // A grant made while the signal was present is the user's explicit choice.
    let explicit = Action::Save(Choice::accept_all(), Services::new())
        .decide(Context { gpc: true, ..at(1) }, None);
    let mut state = new_state(Some(explicit));
    state.gpc = true;
    let (ui, _) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    assert!(switch(&ui, Category::Marketing).checked());
    // Without the signal, nothing about it is shown.
    let state = new_state(None);
    let (ui, _) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    assert!(!has(&ui, "[role=dialog] .gpc"));
}

#[wasm_bindgen_test]
async fn the_banner_lists_material_changes_when_asking_again() {
    let mut config = config_with_services();
    config.changes = Some(assent::ui::Changes {
        purposes: vec![text(&[("en", "Advertising"), ("fr", "Publicité")])],
        recipients: vec!["AdCo Inc. (US)".to_owned()],
    });
    let mut state = new_state(None);
    state.outdated = true;
    let (ui, _) = mount_with(state, config.clone());
    tick().await;
    let changes = ui.query_selector(".banner .changes").unwrap().unwrap();
    assert!(changes.closest("[hidden]").unwrap().is_none());
    let listed = changes.text_content().unwrap();
    assert!(listed.contains("What changed"), "{listed}");
    assert!(listed.contains("Advertising"), "{listed}");
    assert!(listed.contains("AdCo Inc. (US)"), "{listed}");
    // A first visit shows no change list.
    let (fresh, _) = mount_with(new_state(None), config);
    tick().await;
    assert!(!has(&fresh, ".banner .changes"));
}

#[wasm_bindgen_test]
async fn the_language_switcher_rebuilds_the_ui_and_keeps_the_draft() {
    let state = new_state(None);
    let (ui, _) = mount_with(state, config_with_services());
    state.open_preferences();
    tick().await;
    switch(&ui, Category::Marketing).click();
    tick().await;
    choose_language(&ui, "fr").await;
    assert!(has(&ui, "[role=dialog]"), "still open");
    let _ = button(&ui, "Enregistrer mes choix");
    assert!(
        switch(&ui, Category::Marketing).checked(),
        "the draft survives"
    );
    let label = ui
        .query_selector("label[for=assent-switch-marketing]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(label, "Publicité", "the site's words in the new language");
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
fn the_page_config_sets_rules_languages_and_the_sites_categories() {
    let (site, problem) = with_config(
        r#"{"revision": 3, "consent-revision": 2, "lifetime-days": 30, "lang": "fr-FR",
            "languages": ["fr", "en"], "categories": [
            {"id": "analytics", "name": {"fr": "Mesure d'audience", "en": "Audience"},
             "services": [{"id": "matomo", "provider": "Matomo", "purpose": {"fr": "Statistiques"}}]},
            {"id": "necessary", "name": "Essentiels", "description": "Session"}]}"#,
        config::read,
    );
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(
        site.rules,
        Rules {
            revision: 3,
            consent_revision: 2,
            lifetime_days: 30
        }
    );
    assert_eq!(config::language(&site).lang, "fr");
    assert_eq!(site.ui.fallback, "fr");
    let offered: Vec<_> = site
        .ui
        .categories
        .iter()
        .map(|c| {
            (
                c.category,
                c.name.as_ref().map(|n| n.get("fr", "fr").to_owned()),
            )
        })
        .collect();
    assert_eq!(
        offered,
        vec![
            (Category::Necessary, Some("Essentiels".to_owned())),
            (Category::Analytics, Some("Mesure d'audience".to_owned()))
        ],
        "strictly necessary first, only the site's categories"
    );
    assert_eq!(site.ui.category_of("matomo"), Some(Category::Analytics));
}

/// A hand-written configuration may leave out any field, write `null` for an
/// absent one and carry fields the widget does not know.
#[wasm_bindgen_test]
fn a_partial_page_config_is_read_with_the_defaults() {
    let (site, problem) = with_config(
        r#"{"lang": null, "policy-file": {"x": [1, 2.5, true]}, "changes": {"recipients": [{"name": "Matomo"}]},
            "categories": [{"id": "marketing", "services": [{"id": "ads"}]}]}"#,
        config::read,
    );
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(site.rules, Rules::default());
    assert_eq!(site.lang, None);
    let offered: Vec<_> = site.ui.categories.iter().map(|c| c.category).collect();
    assert_eq!(offered, vec![Category::Necessary, Category::Marketing]);
    assert_eq!(
        site.ui.categories[1].services[0].provider, "ads",
        "named by its id"
    );
    let changes = site.ui.changes.expect("changes");
    assert_eq!(changes.recipients, vec!["Matomo".to_owned()]);
}

#[wasm_bindgen_test]
fn a_broken_page_config_falls_back_to_the_defaults_with_an_error() {
    for json in [
        "{not json",
        r#"{"categories": 3}"#,
        r#"{"categories": [{"id": "ads"}]}"#,
        r#"{"revision": -1}"#,
        r#"{"revision": 1.5}"#,
        r#"{"lifetime-days": "30"}"#,
        r#"{"categories": [{"name": "no id"}]}"#,
        r#"{"categories": [{"id": "analytics", "services": [{"id": "a.b"}]}]}"#,
        "[]",
        "null",
    ] {
        let (site, problem) = with_config(json, config::read);
        assert!(problem.is_some(), "{json}");
        assert_eq!(site.ui.categories.len(), Category::ALL.len(), "{json}");
        assert_eq!(site.rules, Rules::default(), "{json}");
    }
}

#[wasm_bindgen_test]
async fn boot_stores_a_decision_and_hands_it_to_the_loader() {
    let _ = consent_store::clear();
    let handed = js_sys::Array::new();
    let bridge = js_sys::Object::new();
    let record = {
        let handed = handed.clone();
        // `decided(stored, language)`: both are handed over, as one entry.
        wasm_bindgen::closure::Closure::<dyn Fn(String, String)>::new(
            move |s: String, language: String| {
                handed.push(&format!("{s} {language}").into());
            },
        )
    };
    js_sys::Reflect::set(&bridge, &"decided".into(), record.as_ref()).unwrap();
    record.forget();
    assent::embed::boot(bridge.into());
    tick().await;
    let root = document()
        .query_selector("assent-widget")
        .unwrap()
        .expect("mounted")
        .shadow_root()
        .expect("open shadow root");
    let reject: HtmlElement = root
        .query_selector("section.banner button[data-action=reject-all]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    reject.click();
    tick().await;
    assert_eq!(handed.length(), 1);
    let handed_over = handed.get(0).as_string().unwrap();
    // The UI language comes with the decision, for its consent record.
    let (stored, language) = handed_over.split_once(' ').expect("stored and language");
    let stored = stored.to_owned();
    assert_eq!(language, "en", "{handed_over}");
    assert!(stored.starts_with("v2.a0m0p0.reject-all."), "{stored}");
    let loaded = consent_store::load(&Rules::default(), assent::platform::clock::now_ms(), false);
    assert_eq!(loaded.verdict.decision.map(|d| d.encode()), Some(stored));
    // The loader's "Always allow" on a placeholder keeps the refusal and adds the service.
    assent::embed::show("allow-service", Some("youtube".to_owned()));
    tick().await;
    assert_eq!(handed.length(), 2);
    let handed_over = handed.get(1).as_string().unwrap();
    let (stored, _) = handed_over.split_once(' ').expect("stored and language");
    assert!(stored.starts_with("v2.a0m0p0.preferences."), "{stored}");
    assert!(stored.ends_with(".+youtube"), "{stored}");
    let _ = consent_store::clear();
}
