//! One category row of the preferences: a labelled switch, its description and
//! a switch per service of the category.

use leptos::prelude::*;

use assent_core::policy::notice::PeriodWords;
use assent_core::Category;

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
        .map(|service| service_row(service, category, locked, texts, fallback, draft))
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

/// One service: its own name (its provider's when it has none), the provider,
/// what it is for and, on request, its cookies with their lifetimes. A
/// service of a category that needs no consent reads "Always on", with no
/// switch: it is not a choice (ePrivacy Art 5(3)).
fn service_row(
    service: ServiceText,
    category: Category,
    locked: bool,
    texts: &'static Texts,
    fallback: &str,
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let ServiceText {
        id,
        name,
        provider,
        purpose,
        cookies,
    } = service;
    let input_id = format!("assent-service-{id}");
    let name_id = format!("assent-service-name-{id}");
    let purpose_id = format!("{input_id}-desc");
    let name = name.map_or_else(
        || provider.clone(),
        |n| n.get(texts.lang, fallback).to_owned(),
    );
    let purpose = purpose.get(texts.lang, fallback).to_owned();
    let on = id.clone();
    // One view for both kinds (a second, type-erased view costs the wasm
    // kilobytes): a locked service has no switch and no label target.
    let switch = (!locked).then(|| {
        view! {
            <input type="checkbox" role="switch" id=input_id.clone() part="switch"
                data-service=id aria-describedby=purpose_id.clone()
                prop:checked=move || draft.with(|d| d.service_on(&on, category)) />
        }
    });
    view! {
        <li class="service">
            <div class="row">
                <label for=(!locked).then_some(input_id) id=name_id data-name>{name}</label>
                <span class="always-on" hidden=!locked>{texts.always_on}</span>
                {switch}
            </div>
            <p id=purpose_id class="description">{purpose}</p>
            <p class="provider">{texts.provider}": "{provider}</p>
            <details class="cookies" hidden=cookies.is_empty()>
                <summary>{texts.cookies}</summary>
                <p>{cookie_list(&cookies, texts)}</p>
            </details>
        </li>
    }
}

/// The cookies of a service, each with its lifetime in the UI's language
/// (`lang — 13 mois; p2c_session — la session de navigation`), as one text:
/// a view per cookie would cost the wasm more than the list is worth.
fn cookie_list(cookies: &[(String, String)], texts: &'static Texts) -> String {
    let periods = PeriodWords::for_language(texts.lang);
    cookies
        .iter()
        .map(|(name, lifetime)| format!("{name} — {}", periods.name(lifetime)))
        .collect::<Vec<_>>()
        .join("; ")
}
