//! One category row of the preferences: a labelled switch and its description.

use assent_core::Choice;
use leptos::prelude::*;

use super::CategoryText;

/// A category's switch showing the draft choice; changes are read by
/// [`super::ConsentUi`] from `data-category`. Strictly necessary is shown on and
/// disabled: it needs no consent and cannot be refused (ePrivacy Art 5(3)).
pub fn category_switch(
    entry: CategoryText,
    always_on: &'static str,
    draft: RwSignal<Choice>,
) -> impl IntoView {
    let CategoryText {
        category,
        name,
        description,
    } = entry;
    let locked = !category.needs_consent();
    let id = format!("assent-switch-{}", category.key());
    let description_id = format!("{id}-desc");
    view! {
        <li class="category">
            <div class="row">
                <label for=id.clone()>{name}</label>
                <span class="always-on" hidden=!locked>{always_on}</span>
                <input type="checkbox" role="switch" id=id part="switch"
                    data-category=category.key() aria-describedby=description_id.clone()
                    disabled=locked prop:checked=move || draft.with(|c| c.allows(category)) />
            </div>
            <p id=description_id class="description">{description}</p>
        </li>
    }
}
