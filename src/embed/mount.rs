//! Attaches the widget to the host page inside a shadow root.
//!
//! The host element `<assent-widget>` is inserted as the first child of `<body>`
//! so the banner comes first in tab order. Its open shadow root keeps the host's
//! CSS out (only inherited custom properties and `::part` get in, on purpose) and
//! lets assistive technology and tests see inside. Styles are adopted as a
//! constructed stylesheet, which needs no `style-src 'unsafe-inline'` under CSP;
//! a `<style>` element is the fallback where that API is missing.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::platform::dom;
use crate::ui::CSS;
use crate::Error;

/// Tag name of the host element.
pub const HOST_TAG: &str = "assent-widget";

/// Creates the host element with its shadow root and styles at the top of
/// `<body>`, and returns the element the UI is rendered into.
pub fn host() -> Result<Element, Error> {
    let document = dom::document()?;
    let body = document.body().ok_or(Error::NoBody)?;
    let host = document
        .create_element(HOST_TAG)
        .map_err(|e| Error::dom("create the widget element", e))?;
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|e| Error::dom("attach a shadow root", e))?;
    adopt_styles(&shadow)?;
    let root = document
        .create_element("div")
        .map_err(|e| Error::dom("create the widget root", e))?;
    shadow
        .append_child(&root)
        .map_err(|e| Error::dom("fill the shadow root", e))?;
    body.prepend_with_node_1(&host)
        .map_err(|e| Error::dom("insert the widget into the page", e))?;
    Ok(root)
}

/// Renders `view` into `root`; dropping the returned handle removes it.
pub fn render<F, N>(root: &Element, view: F) -> Box<dyn std::any::Any>
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
    N::State: 'static,
{
    Box::new(leptos::mount::mount_to_renderer(root, view))
}

fn adopt_styles(shadow: &ShadowRoot) -> Result<(), Error> {
    let constructed = CssStyleSheet::new().and_then(|sheet| {
        sheet.replace_sync(CSS)?;
        Ok(sheet)
    });
    if let Ok(sheet) = constructed {
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        return Ok(());
    }
    let style: Element = dom::document()?
        .create_element("style")
        .map_err(|e| Error::dom("create a style element", e))?;
    style.set_text_content(Some(CSS));
    shadow
        .append_child(style.unchecked_ref())
        .map(|_| ())
        .map_err(|e| Error::dom("add styles to the shadow root", e))
}
