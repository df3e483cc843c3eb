//! The controls of the consent UI and how a DOM event names one.
//!
//! Buttons and switches carry `data-action` / `data-category` / `data-service`
//! instead of handlers of their own; [`super::ConsentUi`] listens once for
//! `click`, `change` and `keydown` and reads the control from the event target.

use assent_core::Category;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

/// A button of the consent UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Refuse every optional category.
    RejectAll,
    /// Grant every optional category.
    AcceptAll,
    /// Open the preferences dialog.
    Customize,
    /// Save the preferences as switched.
    Save,
    /// Close the preferences without deciding.
    Close,
    /// Download the visitor's consent records (where the site keeps them).
    History,
}

impl Control {
    const ALL: [Control; 6] = [
        Control::RejectAll,
        Control::AcceptAll,
        Control::Customize,
        Control::Save,
        Control::Close,
        Control::History,
    ];

    /// The `data-action` value.
    pub fn key(self) -> &'static str {
        match self {
            Control::RejectAll => "reject-all",
            Control::AcceptAll => "accept-all",
            Control::Customize => "customize",
            Control::Save => "save",
            Control::Close => "close",
            Control::History => "history",
        }
    }

    /// The control pressed by a `click` event, if any.
    pub fn pressed(ev: &Event) -> Option<Control> {
        let key = target(ev)?
            .closest("[data-action]")
            .ok()??
            .get_attribute("data-action")?;
        Control::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// What a `change` event switched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Switched {
    /// A category switch, and its new state.
    Category(Category, bool),
    /// A service switch (its id), and its new state.
    Service(String, bool),
    /// The language switcher: the chosen tag, and the switcher itself.
    Language(String, Element),
}

/// What a `change` event switched, if anything.
pub fn switched(ev: &Event) -> Option<Switched> {
    let target = target(ev)?;
    if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        return Some(Switched::Language(select.value(), target.clone()));
    }
    let input = target.dyn_into::<HtmlInputElement>().ok()?;
    if let Some(id) = input.get_attribute("data-service") {
        return Some(Switched::Service(id, input.checked()));
    }
    let category = Category::from_key(&input.get_attribute("data-category")?)?;
    Some(Switched::Category(category, input.checked()))
}

fn target(ev: &Event) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}
