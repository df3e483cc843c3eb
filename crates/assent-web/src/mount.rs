//! A Leptos view inside a shadow root, and the handle that takes it out.
//!
//! Both surfaces mount this way: the consent widget into its own
//! `<assent-widget>` host, inserted as the first child of `<body>` so the banner
//! comes first in tab order; the "GDPR & my data" panel into an element the
//! host app gives it (`<assent-my-data>`). The open shadow root keeps the host's
//! CSS out (only inherited custom properties and `::part` get in, on purpose)
//! and lets assistive technology and tests see inside. Styles are adopted as a
//! constructed stylesheet, which needs no `style-src 'unsafe-inline'` under
//! CSP; a `<style>` element is the fallback where that API is missing.
//!
//! [`Mounted`] owns everything a mount made: the view, its reactive owner (and
//! so every signal, effect, timer and listener created under it) and the nodes
//! it added. Dropping it, or [`Mounted::unmount`], removes them all; nothing is
//! leaked or kept in a process-wide flag, so a single-page app can mount,
//! unmount and mount again.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::dom;
use crate::Error;

/// Creates `<tag>` first in `<body>` with its shadow root and `css`, and
/// returns the element to render into: the consent widget's mount, whose
/// host stays as long as the page.
pub fn root_first_in_body(tag: &str, css: &str) -> Result<Element, Error> {
    let document = dom::document()?;
    let body = document.body().ok_or(Error::NoBody)?;
    let host = document
        .create_element(tag)
        .map_err(|e| Error::dom("create the widget element", e))?;
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|e| Error::dom("attach a shadow root", e))?;
    adopt_styles(&shadow, css)?;
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

/// A shadow root of a host page's element, with its styles and an empty
/// element to render into.
pub struct ShadowMount {
    host: Element,
    shadow: ShadowRoot,
    root: Element,
}

impl ShadowMount {
    /// The shadow root of `host`, an element of the page (kept on unmount),
    /// with `css` and an empty render root. A shadow root cannot be detached,
    /// so a host mounted before keeps its root, emptied.
    pub fn inside(host: Element, css: &str) -> Result<ShadowMount, Error> {
        let shadow = match host.shadow_root() {
            Some(shadow) => {
                shadow.set_inner_html("");
                shadow
            }
            None => host
                .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
                .map_err(|e| Error::dom("attach a shadow root", e))?,
        };
        adopt_styles(&shadow, css)?;
        let root = dom::document()?
            .create_element("div")
            .map_err(|e| Error::dom("create the render root", e))?;
        shadow
            .append_child(&root)
            .map_err(|e| Error::dom("fill the shadow root", e))?;
        Ok(ShadowMount { host, shadow, root })
    }

    /// The shadow host.
    pub fn host(&self) -> &Element {
        &self.host
    }

    /// The element views are rendered into.
    pub fn root(&self) -> &Element {
        &self.root
    }

    /// Renders `view` into the root, under a reactive owner of its own.
    pub fn render<F, N>(self, view: F) -> Mounted
    where
        F: FnOnce() -> N + 'static,
        N: IntoView,
        N::State: 'static,
    {
        Mounted {
            view: Some(render_into(&self.root, view)),
            shadow: Some(self),
        }
    }

    fn remove(self) {
        // A later mount on the same host has replaced this one's nodes:
        // leave the shadow root to it.
        let still_ours = self
            .root
            .parent_node()
            .is_some_and(|p| p.is_same_node(Some(self.shadow.as_ref())));
        self.root.remove();
        if still_ours {
            self.shadow.set_adopted_style_sheets(&js_sys::Array::new());
            self.shadow.set_inner_html("");
        }
    }
}

/// A mounted view: dropping it (or [`Mounted::unmount`]) disposes its
/// reactive owner, unmounts its nodes and removes what the mount added.
pub struct Mounted {
    view: Option<Box<dyn Any>>,
    shadow: Option<ShadowMount>,
}

impl Mounted {
    /// Takes the view out of the page and frees everything it owned.
    pub fn unmount(self) {
        drop(self);
    }

    /// The shadow host, while mounted.
    pub fn host(&self) -> Option<&Element> {
        self.shadow.as_ref().map(ShadowMount::host)
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        // The view first (its owner disposes signals, effects and listeners),
        // then the nodes the mount made.
        drop(self.view.take());
        if let Some(shadow) = self.shadow.take() {
            shadow.remove();
        }
    }
}

/// Renders `view` into `root` under a reactive owner of its own; dropping the
/// returned handle unmounts it and disposes the owner (for a surface that
/// renders afresh into one root, as the consent widget does on a language switch).
pub fn render_into<F, N>(root: &Element, view: F) -> Box<dyn Any>
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
    N::State: 'static,
{
    Box::new(leptos::mount::mount_to_renderer(root, view))
}

fn adopt_styles(shadow: &ShadowRoot, css: &str) -> Result<(), Error> {
    let constructed = CssStyleSheet::new().and_then(|sheet| {
        sheet.replace_sync(css)?;
        Ok(sheet)
    });
    if let Ok(sheet) = constructed {
        shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
        return Ok(());
    }
    let style: Element = dom::document()?
        .create_element("style")
        .map_err(|e| Error::dom("create a style element", e))?;
    style.set_text_content(Some(css));
    shadow
        .append_child(style.unchecked_ref())
        .map(|_| ())
        .map_err(|e| Error::dom("add styles to the shadow root", e))
}
