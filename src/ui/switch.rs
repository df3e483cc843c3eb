//! One category row of the preferences: a labelled switch, its description and
//! a switch per service of the category.

use leptos::prelude::*;

use super::{CategoryText, Draft, ServiceText, Texts};

/// A category's switch and its services' switches, showing the draft choice;
/// changes are read by [`super::ConsentUi`] from `data-category` and
/// `data-service`. Strictly necessary is shown on and disabled: it needs no
/// consent and cannot be refused (ePrivacy Art 5(3)).
pub fn category_switch(
    entry: CategoryText,
    texts: &'static Texts,
    fallback: &str,
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let CategoryText {
        category,
        name,
        description,
        services,
    } = entry;
    let (default_name, default_description) = texts.category(category);
    let name = name.map_or_else(
        || default_name.to_owned(),
        |n| n.get(texts.lang, fallback).to_owned(),
    );
    let description = description.map_or_else(
        || default_description.to_owned(),
        |d| d.get(texts.lang, fallback).to_owned(),
    );
    let locked = !category.needs_consent();
    let id = format!("assent-switch-{}", category.key());
    let description_id = format!("{id}-desc");
    let services = services
        .into_iter()
        .map(
            |ServiceText {
                 id: service,
                 provider,
                 purpose,
             }| {
                let input_id = format!("assent-service-{service}");
                let purpose_id = format!("{input_id}-desc");
                let purpose = purpose.get(texts.lang, fallback).to_owned();
                let on = service.clone();
                view! {
                    <li class="service">
                        <div class="row">
                            <label for=input_id.clone()>{provider}</label>
                            <input type="checkbox" role="switch" id=input_id part="switch"
                                data-service=service aria-describedby=purpose_id.clone()
                                disabled=locked
                                prop:checked=move || draft.with(|d| d.service_on(&on, category)) />
                        </div>
                        <p id=purpose_id class="description">{purpose}</p>
                    </li>
                }
            },
        )
        .collect_view();
    view! {
        <li class="category">
            <div class="row">
                <label for=id.clone()>{name}</label>
                <span class="always-on" hidden=!locked>{texts.always_on}</span>
                <input type="checkbox" role="switch" id=id part="switch"
                    data-category=category.key() aria-describedby=description_id.clone()
                    disabled=locked prop:checked=move || draft.with(|d| d.choice.allows(category)) />
            </div>
            <p id=description_id class="description">{description}</p>
            <ul class="services">{services}</ul>
        </li>
    }
}
