//! Keyboard focus across shadow roots, for dialogs and focus restoration.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

use crate::dom;

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), details > summary:first-of-type, \
    [tabindex]:not([tabindex='-1'])";

/// The focused element, looking inside open shadow roots (where
/// `document.activeElement` only shows the shadow host).
pub fn deep_active_element() -> Option<Element> {
    let mut active = dom::document().ok()?.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|s| s.active_element()) {
        active = inner;
    }
    Some(active)
}

/// The focused element in the same tree (document or shadow root) as `node`.
pub fn active_element_near(node: &Element) -> Option<Element> {
    let root = node.get_root_node();
    match root.dyn_ref::<ShadowRoot>() {
        Some(shadow) => shadow.active_element(),
        None => dom::document().ok()?.active_element(),
    }
}

/// The keyboard-focusable elements inside `container`, in tab order of the DOM
/// (those under a `hidden` element cannot take focus and are left out).
pub fn focusable_in(container: &Element) -> Vec<HtmlElement> {
    let Ok(list) = container.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.closest("[hidden]").ok().flatten().is_none())
        .collect()
}

/// Moves focus to `element` if it is still in a document.
pub fn focus(element: &Element) {
    if element.is_connected() {
        if let Some(el) = element.dyn_ref::<HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// Focuses the first focusable element of `container` after the current task,
/// once pending renders (such as removing `hidden`) have applied.
pub fn focus_first_soon(container: &Element) {
    let container = container.clone();
    let later = Closure::once_into_js(move || {
        if let Some(first) = focusable_in(&container).first() {
            let _ = first.focus();
        }
    });
    if let Ok(window) = dom::window() {
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
    }
}

/// After the current task, focuses the element that now has `element`'s id in
/// the same document or shadow root: the replacement of a control that a
/// re-render (a language switch) rebuilt.
pub fn focus_same_soon(element: &Element) {
    let root = element.get_root_node();
    let selector = format!("#{}", element.id());
    let later = Closure::once_into_js(move || {
        let found = root
            .dyn_ref::<web_sys::ShadowRoot>()
            .and_then(|r| r.query_selector(&selector).ok().flatten())
            .or_else(|| {
                root.dyn_ref::<web_sys::Document>()
                    .and_then(|d| d.query_selector(&selector).ok().flatten())
            });
        if let Some(el) = found {
            focus(&el);
        }
    });
    if let Ok(window) = dom::window() {
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), 0);
    }
}
