//! Telling the host app what happened: `CustomEvent`s on a host element.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::Error;

/// Dispatches `name` on `target` with `detail`; it bubbles and crosses shadow
/// roots (`composed`), so the host app hears it on any ancestor.
pub fn dispatch(target: &Element, name: &str, detail: &JsValue) -> Result<(), Error> {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let event = CustomEvent::new_with_event_init_dict(name, &init)
        .map_err(|e| Error::dom("create an event", e))?;
    target
        .dispatch_event(&event)
        .map(|_| ())
        .map_err(|e| Error::dom("dispatch an event", e))
}
