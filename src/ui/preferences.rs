//! The second layer: a modal dialog with one switch per category.
//!
//! The dialog stays mounted and is shown with `hidden` (cheaper in wasm than
//! mounting and unmounting a view). Each time it opens, the switches start from
//! the current decision, so on a first visit all are off (EDPB practice B: no
//! pre-ticked boxes). It traps focus, closes on Escape and gives focus back to
//! whatever opened it (WCAG 2.2 SC 2.1.2, 2.4.3).

use assent_core::{Action, Category, Choice};
use leptos::prelude::*;
use web_sys::{Element, KeyboardEvent};

use super::{ActionButton, ButtonKind, CategorySwitch, Texts};
use crate::platform::focus;

/// The preferences dialog.
#[component]
pub fn Preferences(
    /// Whether the dialog is shown; the dialog closes itself on dismiss.
    open: RwSignal<bool>,
    /// The choice in force; the switches start from it on each opening.
    current: Signal<Choice>,
    /// Called with Accept all, Reject all or Save.
    on_action: Callback<Action>,
) -> impl IntoView {
    let t = &Texts::EN;
    let draft = RwSignal::new(Choice::reject_all());
    let opener = StoredValue::new_local(None::<Element>);
    let dialog = NodeRef::<leptos::html::Div>::new();

    Effect::new(move |_| {
        if open.get() {
            // Runs after the opening click, before focus moves: remember the opener.
            opener.set_value(focus::deep_active_element());
            draft.set(current.get_untracked());
            if let Some(el) = dialog.get_untracked() {
                focus::focus_first_soon(&el);
            }
        }
    });

    let restore_focus = move || opener.with_value(|o| o.as_ref().map(focus::focus));
    let decide = move |action: Action| {
        restore_focus();
        on_action.run(action);
    };
    let dismiss = move || {
        open.set(false);
        restore_focus();
    };
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            dismiss();
        }
        "Tab" => {
            if let Some(el) = dialog.get_untracked() {
                trap_tab(&el, &ev);
            }
        }
        _ => {}
    };
    let reject = Callback::new(move |()| decide(Action::RejectAll));
    let accept = Callback::new(move |()| decide(Action::AcceptAll));
    let save = Callback::new(move |()| decide(Action::Save(draft.get_untracked())));

    view! {
        <div class="layer" hidden=move || !open.get()>
            <div class="backdrop" part="backdrop"></div>
            <div class="dialog" part="dialog" role="dialog" aria-modal="true"
                aria-labelledby="assent-prefs-title" aria-describedby="assent-prefs-body"
                node_ref=dialog on:keydown=on_keydown>
                <div class="dialog-head">
                    <h2 id="assent-prefs-title" class="title">{t.preferences_title}</h2>
                    <button type="button" class="close" part="close" aria-label=t.close
                        on:click=move |_| dismiss()>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                <p id="assent-prefs-body" class="body">{t.preferences_body}</p>
                <ul class="categories">
                    <CategorySwitch category=Category::Necessary draft=draft />
                    <CategorySwitch category=Category::Analytics draft=draft />
                    <CategorySwitch category=Category::Marketing draft=draft />
                    <CategorySwitch category=Category::Personalization draft=draft />
                </ul>
                <div class="actions">
                    <ActionButton label=t.reject_all kind=ButtonKind::Choice on_press=reject />
                    <ActionButton label=t.accept_all kind=ButtonKind::Choice on_press=accept />
                    <ActionButton label=t.save kind=ButtonKind::Secondary on_press=save />
                </div>
            </div>
        </div>
    }
}

/// Keeps Tab and Shift+Tab inside `dialog`, wrapping at both ends.
fn trap_tab(dialog: &Element, ev: &KeyboardEvent) {
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
