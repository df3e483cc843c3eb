//! The one button type of the consent UI.
//!
//! Accept all and Reject all are both `ActionButton { kind: Choice }`: one
//! component and one CSS rule, so they cannot differ in size, weight or colour
//! (EDPB Cookie Banner Taskforce, practices C, D and E). One component for every
//! button also keeps the wasm small: Leptos generates code per view type.

use leptos::prelude::*;

/// How a button looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonKind {
    /// Accept all and Reject all: same look, always.
    Choice,
    /// Customize and Save: outlined.
    Secondary,
}

impl ButtonKind {
    fn class(self) -> &'static str {
        match self {
            ButtonKind::Choice => "choice",
            ButtonKind::Secondary => "secondary",
        }
    }
}

/// A labelled button that runs `on_press`.
#[component]
pub fn ActionButton(
    /// The visible label (also the accessible name).
    label: &'static str,
    /// The look.
    kind: ButtonKind,
    /// What a press does.
    on_press: Callback<()>,
) -> impl IntoView {
    let class = kind.class();
    view! {
        <button type="button" class=class part=class on:click=move |_| on_press.run(())>
            {label}
        </button>
    }
}
