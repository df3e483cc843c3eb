//! One category row of the preferences: a labelled switch and its description.

use assent_core::{Category, Choice};
use leptos::prelude::*;

use super::Texts;

/// A category's switch showing the draft choice; changes are read by
/// [`super::ConsentUi`] from `data-category`. Strictly necessary is shown on and
/// disabled: it needs no consent and cannot be refused (ePrivacy Art 5(3)).
pub fn category_switch(category: Category, draft: RwSignal<Choice>) -> impl IntoView {
    let (name, description) = Texts::EN.category(category);
    let locked = !category.needs_consent();
    let id = format!("assent-switch-{}", category.key());
    let description_id = format!("{id}-desc");
    view! {
        <li class="category">
            <div class="row">
                <label for=id.clone()>{name}</label>
                <span class="always-on" hidden=!locked>{Texts::EN.always_on}</span>
                <input type="checkbox" role="switch" id=id part="switch"
                    data-category=category.key() aria-describedby=description_id.clone()
                    disabled=locked prop:checked=move || draft.with(|c| c.allows(category)) />
            </div>
            <p id=description_id class="description">{description}</p>
        </li>
    }
}
