//! The "Settings > GDPR & my data" panel: a second Leptos surface of Assent,
//! compiled to its own wasm (`assent-panel.js` + `assent-panel_bg.wasm`), so
//! the consent banner's download never carries it. The loader imports it
//! only where an app mounts the panel (`<assent-my-data>`,
//! `Assent.mountMyData`, docs/panel.md).
//!
//! Layers, dependencies pointing down: [`sections`] and [`panel`] (Leptos
//! components) → [`state`] (what the panel knows, actions) → [`api`] and
//! [`outbox`] (the rights API, docs/rights-api.yaml, with core's models) →
//! `assent_web` (browser adapters, the shadow-root mount) → `assent_core`.
//!
//! [`mount`] returns a [`PanelHandle`] whose `unmount()` frees everything
//! the mount made; there is no global state, so an app mounts, unmounts and
//! mounts again as its routes change. Nothing throws into the host app:
//! failures are `[assent] ` console warnings.

pub mod api;
pub mod format;
pub mod options;
pub mod outbox;
pub mod panel;
pub mod sections;
pub mod state;
pub mod texts;
pub mod widgets;

use assent_web::mount::{Mounted, ShadowMount};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::api::Api;
use crate::options::Options;
use crate::panel::PanelView;
use crate::state::Panel;

/// The panel's stylesheet, adopted into its shadow root.
pub const CSS: &str = include_str!("panel.css");

/// A mounted panel.
#[wasm_bindgen]
pub struct PanelHandle {
    mounted: Option<Mounted>,
}

#[wasm_bindgen]
impl PanelHandle {
    /// Takes the panel out of its element and frees everything it made
    /// (views, signals, timers, listeners). Calling it again does nothing.
    pub fn unmount(&mut self) {
        drop(self.mounted.take());
    }

    /// Whether the panel is still mounted.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.mounted.is_some()
    }
}

/// Mounts the panel into `element` (its shadow root) with `options` (see
/// [`Options`]): the API's base URL, the language, credentials and the
/// loader's consent bridge. `undefined` and a console warning when it cannot.
#[wasm_bindgen]
pub fn mount(element: JsValue, options: JsValue) -> Option<PanelHandle> {
    let Some(element) = wasm_bindgen::JsCast::dyn_into::<Element>(element).ok() else {
        warn("mount(element, options): element is not an element");
        return None;
    };
    let page_lang = assent_web::dom::document()
        .ok()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let options = Options::read(&options, page_lang);
    let t = texts::texts(&options.lang);
    let api = Api::new(options.api.clone(), t.lang.to_owned(), options.auth.clone());
    let shadow = match ShadowMount::inside(element.clone(), CSS) {
        Ok(shadow) => shadow,
        Err(e) => {
            warn(&e.to_string());
            return None;
        }
    };
    let consent = options.consent.clone();
    let mounted = shadow.render(move || {
        let panel = Panel::new(t, api, element, consent);
        view! { <PanelView panel=panel /> }
    });
    Some(PanelHandle {
        mounted: Some(mounted),
    })
}

/// Reports a failure on the console, prefixed so site owners can filter it.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("[assent] {message}")));
}
