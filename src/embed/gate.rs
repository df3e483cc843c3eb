//! Activation of the host page's gated scripts.
//!
//! A gated script is written inert, `<script type="text/plain" data-category="…">`,
//! so the browser never runs it on its own. When core's [`gate`] rule allows its
//! categories, it is replaced by an executable copy: same attributes and nonce,
//! `type` taken from `data-type` (or none), same inline text. The inert original
//! is gone afterwards, so no script can run twice.

use assent_core::{gate, Choice, Gate};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlScriptElement};

use crate::platform::dom;
use crate::Error;

/// Selector of the inert scripts still waiting for consent.
pub const GATED_SCRIPTS: &str = "script[type='text/plain'][data-category]";

/// Activates every gated script that `choice` allows (`None`: no decision yet).
/// Returns how many were activated.
pub fn activate(choice: Option<Choice>) -> Result<usize, Error> {
    let document = dom::document()?;
    let list = document
        .query_selector_all(GATED_SCRIPTS)
        .map_err(|e| Error::dom("find gated scripts", e))?;
    let mut activated = 0;
    for script in (0..list.length()).filter_map(|i| list.item(i)) {
        let Ok(script) = script.dyn_into::<HtmlScriptElement>() else {
            continue;
        };
        let categories = script.get_attribute("data-category").unwrap_or_default();
        if gate(choice, &categories) == Gate::Run {
            run(&document, &script)?;
            activated += 1;
        }
    }
    Ok(activated)
}

/// Replaces the inert `original` by an executable copy.
fn run(document: &Document, original: &HtmlScriptElement) -> Result<(), Error> {
    let copy: HtmlScriptElement = document
        .create_element("script")
        .map_err(|e| Error::dom("create a script", e))?
        .unchecked_into();
    let attributes = original.attributes();
    for attr in (0..attributes.length()).filter_map(|i| attributes.item(i)) {
        let name = attr.name();
        if name == "type" || name == "data-type" {
            continue;
        }
        copy.set_attribute(&name, &attr.value())
            .map_err(|e| Error::dom("copy a script attribute", e))?;
    }
    if let Some(kind) = original.get_attribute("data-type") {
        copy.set_type(&kind);
    }
    // The nonce content attribute is hidden after parsing; the property keeps it.
    copy.set_nonce(&original.nonce());
    // Dynamically inserted external scripts are async by default; keep document
    // order unless the page asked for async.
    if !original.has_attribute("async") {
        copy.set_async(false);
    }
    copy.set_text(&original.text().unwrap_or_default())
        .map_err(|e| Error::dom("copy a script's text", e))?;
    let original: &Element = original.as_ref();
    original
        .replace_with_with_node_1(&copy)
        .map_err(|e| Error::dom("activate a gated script", e))
}
