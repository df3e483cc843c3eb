//! The second layer: a modal dialog with one switch per category and per
//! service.
//!
//! The dialog stays mounted and is shown with `hidden` (cheaper in wasm than
//! mounting and unmounting a view). [`super::ConsentState::open_preferences`]
//! resets the switches to the current decision on each opening (EDPB practice
//! B: nothing pre-ticked); [`super::ConsentUi`] traps focus in it, closes it on
//! Escape and gives focus back to the opener (WCAG 2.2 SC 2.1.2, 2.4.3).

use leptos::prelude::*;

use super::{action_button, category_switch, ButtonKind, CategoryText, Control, Draft, Texts};

/// The preferences dialog.
#[component]
pub fn Preferences(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// The choice being edited.
    draft: RwSignal<Draft>,
    /// The dialog element, for focus handling.
    dialog: NodeRef<leptos::html::Div>,
    /// The words of the dialog.
    texts: &'static Texts,
    /// The categories to offer, strictly necessary first.
    categories: Vec<CategoryText>,
    /// The policy's default language, for texts missing in this one.
    #[prop(default = String::from("en"))]
    fallback: String,
    /// Whether the browser sends Global Privacy Control.
    #[prop(default = false)]
    gpc: bool,
    /// Whether to offer the download of the visitor's consent records.
    #[prop(default = false)]
    records: bool,
    /// The language switcher.
    switcher: impl IntoView + 'static,
) -> impl IntoView {
    let t = texts;
    let switches = categories
        .into_iter()
        .map(|entry| category_switch(entry, t, &fallback, draft))
        .collect_view();
    view! {
        <div class="layer" hidden=move || !open.get()>
            <div class="backdrop" part="backdrop"></div>
            <div class="dialog" part="dialog" role="dialog" aria-modal="true"
                aria-labelledby="assent-prefs-title" aria-describedby="assent-prefs-body"
                node_ref=dialog>
                <div class="dialog-head">
                    <h2 id="assent-prefs-title" class="title">{t.preferences_title}</h2>
                    {switcher}
                    <button type="button" class="close" part="close" aria-label=t.close
                        data-action=Control::Close.key()>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </div>
                <p id="assent-prefs-body" class="body">{t.preferences_body}</p>
                <p class="gpc" part="gpc" role="note" hidden=!gpc>{t.gpc_note}</p>
                <ul class="categories">
                    {switches}
                </ul>
                <div class="actions">
                    {action_button(t.reject_all, ButtonKind::Choice, Control::RejectAll)}
                    {action_button(t.accept_all, ButtonKind::Choice, Control::AcceptAll)}
                    {action_button(t.save, ButtonKind::Secondary, Control::Save)}
                </div>
                <button type="button" class="history" part="history" hidden=!records
                    data-action=Control::History.key()>{t.history}</button>
            </div>
        </div>
    }
}
