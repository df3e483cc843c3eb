//! The panel's frame: its heading, the list of sections (one shown at a
//! time, as the sub-pages of a settings screen), the section shown, and the
//! one-second tick that runs countdowns and follows work under way.

use gloo_timers::callback::Interval;
use leptos::html;
use leptos::prelude::*;

use crate::sections;
use crate::state::Panel;
use crate::widgets::message;

/// A section of the panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Section {
    MyData,
    Export,
    Consents,
    Restriction,
    Deletion,
    /// A special-category processing of the policy, by id.
    Special(String),
    Other,
}

/// The panel.
#[component]
pub fn PanelView(panel: Panel) -> impl IntoView {
    let t = panel.t;
    let shown = RwSignal::new(Section::MyData);
    let heading = NodeRef::<html::H3>::new();
    // The tick: countdowns, and a refresh each second while work is under
    // way on the server. Dropped (and so stopped) with the panel.
    let interval = Interval::new(1_000, move || {
        let _ = panel.tick.try_update(|n| *n += 1);
        if panel.busy_server_side() {
            panel.refresh();
        }
    });
    let interval = StoredValue::new_local(Some(interval));
    on_cleanup(move || {
        if let Some(Some(interval)) = interval.try_update_value(Option::take) {
            interval.cancel();
        }
    });
    panel.start();
    let specials = move || {
        panel.notice.with(|n| {
            n.as_ref()
                .map(|n| {
                    n.special
                        .iter()
                        .map(|s| (s.id.clone(), s.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let entries = move || {
        let mut list = vec![
            (Section::MyData, t.my_data.to_owned()),
            (Section::Export, t.export.to_owned()),
            (Section::Consents, t.consents.to_owned()),
            (Section::Restriction, t.restriction.to_owned()),
            (Section::Deletion, t.deletion.to_owned()),
        ];
        list.extend(
            specials()
                .into_iter()
                .map(|(id, name)| (Section::Special(id), name)),
        );
        list.push((Section::Other, t.other_rights.to_owned()));
        list
    };
    let go = move |section: Section| {
        shown.set(section);
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    };
    let title = move || {
        entries()
            .into_iter()
            .find(|(s, _)| *s == shown.get())
            .map(|(_, name)| name)
            .unwrap_or_default()
    };
    view! {
        <section class="panel" lang=t.lang aria-labelledby="assent-panel-title">
            <header>
                <h2 id="assent-panel-title">{t.title}</h2>
                <p>{t.intro}</p>
            </header>
            {move || panel.load_error.get().map(|e| view! {
                <div class="failure" role="alert">
                    <p>{message(t, &e)}</p>
                    <button type="button" class="secondary" on:click=move |_| { panel.load_error.set(None); panel.start() }>{t.retry}</button>
                </div>
            })}
            <div class="layout">
                <nav aria-label=t.sections_label>
                    <ul>
                        {move || entries().into_iter().map(|(section, name)| {
                            let current = {
                                let section = section.clone();
                                move || (shown.get() == section).then_some("page")
                            };
                            view! {
                                <li><button type="button" class="nav" aria-current=current
                                    on:click=move |_| go(section.clone())>{name}</button></li>
                            }
                        }).collect_view()}
                    </ul>
                </nav>
                <div class="content">
                    <h3 tabindex="-1" node_ref=heading>{title}</h3>
                    {move || match shown.get() {
                        Section::MyData => sections::my_data(panel).into_any(),
                        Section::Export => sections::export(panel).into_any(),
                        Section::Consents => sections::consents(panel).into_any(),
                        Section::Restriction => sections::restriction(panel).into_any(),
                        Section::Deletion => sections::deletion(panel).into_any(),
                        Section::Special(id) => sections::special(panel, id).into_any(),
                        Section::Other => sections::other(panel).into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}
