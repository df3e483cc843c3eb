//! The second layer: a modal dialog with one switch per optional category.
//!
//! Every switch starts from the current decision, so on a first visit all are
//! off (EDPB practice B: no pre-ticked boxes). The dialog traps focus, closes on
//! Escape and gives focus back to whatever opened it (WCAG 2.2 2.1.2, 2.4.3).

use assent_core::{Action, Category, Choice};
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::Texts;
use crate::platform::focus;

/// The preferences dialog.
#[component]
pub fn Preferences(
    /// The choice the switches start from.
    initial: Choice,
    /// Called with Accept all, Reject all or Save.
    on_action: Callback<Action>,
    /// Called when the dialog is dismissed without a decision.
    on_close: Callback<()>,
) -> impl IntoView {
    let t = &Texts::EN;
    let draft = RwSignal::new(initial);
    // Captured before the dialog takes focus, to give it back on close.
    let opener = StoredValue::new_local(focus::deep_active_element());
    let dialog = NodeRef::<leptos::html::Div>::new();
    dialog.on_load(|el| {
        if let Some(first) = focus::focusable_in(&el).first() {
            let _ = first.focus();
        }
    });

    let restore_focus = move || opener.with_value(|o| o.as_ref().map(focus::focus));
    let decide = move |action: Action| {
        restore_focus();
        on_action.run(action);
    };
    let dismiss = move || {
        restore_focus();
        on_close.run(());
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

    let switches = Category::OPTIONAL
        .into_iter()
        .map(|category| {
            let (name, description) = t.category(category);
            let id = format!("assent-switch-{}", category.key());
            let desc_id = format!("{id}-desc");
            view! {
                <li class="category">
                    <div class="row">
                        <label for=id.clone()>{name}</label>
                        <input type="checkbox" role="switch" id=id
                            aria-describedby=desc_id.clone()
                            prop:checked=move || draft.with(|c| c.allows(category))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|c| *c = c.with(category, on));
                            } />
                    </div>
                    <p id=desc_id class="description">{description}</p>
                </li>
            }
        })
        .collect_view();
    let (necessary_name, necessary_description) = t.category(Category::Necessary);

    view! {
        <div class="backdrop" part="backdrop"></div>
        <div class="dialog" part="dialog" role="dialog" aria-modal="true"
            aria-labelledby="assent-prefs-title" aria-describedby="assent-prefs-body"
            node_ref=dialog on:keydown=on_keydown>
            <div class="dialog-head">
                <h2 id="assent-prefs-title" class="title">{t.preferences_title}</h2>
                <button type="button" class="close" part="button close" aria-label=t.close
                    on:click=move |_| dismiss()>
                    <span aria-hidden="true">"×"</span>
                </button>
            </div>
            <p id="assent-prefs-body" class="body">{t.preferences_body}</p>
            <ul class="categories">
                <li class="category">
                    <div class="row">
                        <label for="assent-switch-necessary">{necessary_name}</label>
                        <span class="always-on">{t.always_on}</span>
                        <input type="checkbox" role="switch" id="assent-switch-necessary"
                            aria-describedby="assent-switch-necessary-desc" checked disabled />
                    </div>
                    <p id="assent-switch-necessary-desc" class="description">
                        {necessary_description}
                    </p>
                </li>
                {switches}
            </ul>
            <div class="actions">
                <button type="button" class="choice" part="button choice"
                    on:click=move |_| decide(Action::RejectAll)>{t.reject_all}</button>
                <button type="button" class="choice" part="button choice"
                    on:click=move |_| decide(Action::AcceptAll)>{t.accept_all}</button>
                <button type="button" class="secondary" part="button secondary"
                    on:click=move |_| decide(Action::Save(draft.get_untracked()))>{t.save}</button>
            </div>
        </div>
    }
}

/// Keeps Tab and Shift+Tab inside `dialog`, wrapping at both ends.
fn trap_tab(dialog: &web_sys::Element, ev: &KeyboardEvent) {
    let items = focus::focusable_in(dialog);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        ev.prevent_default();
        return;
    };
    let active = focus::active_element_near(dialog);
    let position = active.as_ref().and_then(|a| {
        items
            .iter()
            .position(|i| a == i.as_ref() as &web_sys::Element)
    });
    let target = match (position, ev.shift_key()) {
        (None, false) => Some(first),
        (None, true) => Some(last),
        (Some(0), true) => Some(last),
        (Some(i), false) if i == items.len() - 1 => Some(first),
        _ => None,
    };
    if let Some(target) = target {
        ev.prevent_default();
        let _ = target.focus();
    }
}
