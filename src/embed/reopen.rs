//! `data-assent-open`: any element of the host page that reopens the preferences.
//!
//! Withdrawing must be as easy as giving, at any time (GDPR Art 7(3)); a
//! "Privacy settings" link in the footer is the usual way back (EDPB practice H).
//! One delegated listener on the document also covers links added later.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

use leptos::prelude::Set;

use crate::platform::dom;
use crate::ui::ConsentState;
use crate::Error;

/// The attribute that marks reopen links.
pub const OPEN_ATTRIBUTE: &str = "data-assent-open";

/// Listens, for the life of the page, for activations of reopen links.
pub fn listen(state: ConsentState) -> Result<(), Error> {
    let on_click = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        let opener = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest(&format!("[{OPEN_ATTRIBUTE}]")).ok().flatten());
        if opener.is_some() {
            ev.prevent_default();
            state.preferences_open.set(true);
        }
    });
    dom::document()?
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .map_err(|e| Error::dom("listen for privacy-settings links", e))?;
    on_click.forget();
    Ok(())
}
