//! The one button type of the consent UI.
//!
//! Accept all and Reject all are both [`ButtonKind::Choice`]: one markup and one
//! CSS rule, so they cannot differ in size, weight or colour (EDPB Cookie Banner
//! Taskforce, practices C, D and E). Buttons carry no handler of their own: a
//! press is read by [`super::ConsentUi`] from `data-action` (one delegated
//! listener keeps the wasm small; Leptos generates code per handler).

use leptos::prelude::*;

use super::Control;

/// How a button looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonKind {
    /// Accept all and Reject all: same look, always.
    Choice,
    /// Customize and Save: outlined.
    Secondary,
}

/// A labelled button that triggers `control` when pressed.
pub fn action_button(label: &'static str, kind: ButtonKind, control: Control) -> impl IntoView {
    let class = match kind {
        ButtonKind::Choice => "choice",
        ButtonKind::Secondary => "secondary",
    };
    view! {
        <button type="button" class=class part=class data-action=control.key()>
            {label}
        </button>
    }
}
