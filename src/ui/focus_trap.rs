//! Keeps keyboard focus inside a modal dialog (WCAG 2.2 SC 2.1.2 with
//! `aria-modal`): Tab on the last control goes to the first, Shift+Tab on the
//! first goes to the last.

use web_sys::{Element, KeyboardEvent};

use crate::platform::focus;

/// Handles a Tab `keydown` inside `dialog`.
pub fn trap_tab(dialog: &Element, ev: &KeyboardEvent) {
    let items = focus::focusable_in(dialog);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = focus::active_element_near(dialog);
    let position = active
        .as_ref()
        .and_then(|a| items.iter().position(|i| a == i.as_ref() as &Element));
    let target = match (position, ev.shift_key()) {
        (None, false) => Some(first),
        (None, true) | (Some(0), true) => Some(last),
        (Some(i), false) if i + 1 == items.len() => Some(first),
        _ => None,
    };
    if let Some(target) = target {
        ev.prevent_default();
        let _ = target.focus();
    }
}
