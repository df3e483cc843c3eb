//! My data (GDPR Art 15(1)): what is held about the account, with its own
//! counts, why and on which basis, for how long, and who processes it where:
//! core's notice model, as the preview's notice pages show it.

use assent_core::policy::notice::{labels, Notice, NoticeDataRef};
use leptos::prelude::*;

use crate::state::Panel;

/// The section.
pub fn my_data(panel: Panel) -> impl IntoView {
    let t = panel.t;
    view! {
        <p class="intro">{t.my_data_intro}</p>
        {move || panel.notice.get().map(|n| notice(panel, n))}
        {move || panel.notice.with(Option::is_none).then(|| view! { <p aria-busy="true">{t.loading}</p> })}
    }
}

fn names(refs: &[NoticeDataRef]) -> String {
    refs.iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn notice(panel: Panel, n: Notice) -> impl IntoView {
    let (t, w) = (panel.t, panel.words);
    let data = n
        .data
        .iter()
        .map(|d| {
            let count = d.count.map_or_else(
                || t.none_held.to_owned(),
                |c| format!("{c} {}", if c == 1 { t.item } else { t.items }),
            );
            view! {
                <tr>
                    <th scope="row">{d.name.clone()}</th>
                    <td>{d.description.clone().unwrap_or_default()}</td>
                    <td class="count">{count}</td>
                </tr>
            }
        })
        .collect_view();
    let purposes = n
        .purposes
        .iter()
        .map(|p| {
            // A purpose pursued for the organisation's business customers:
            // their legal basis, not the organisation's (GDPR Art 28).
            let bases = if p.for_customers {
                labels(&n.lang).basis_by_customer.to_owned()
            } else {
                p.bases
                    .iter()
                    .map(|b| format!("{} ({})", b.name, b.article))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td>{bases}</td>
                    <td>{names(&p.data)}</td>
                </tr>
            }
        })
        .collect_view();
    let retention = n
        .retention
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{names(&r.data)}</th>
                    <td>{r.period_phrase(w)}</td>
                    <td>{r.counted_from.clone()}</td>
                    <td>{r.reference.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let processors = n
        .subprocessors
        .iter()
        .map(|s| {
            let transfer = s.safeguards(w);
            view! {
                <tr>
                    <th scope="row">{s.name.clone()}</th>
                    <td>{s.role.clone()}</td>
                    <td>{s.places()}</td>
                    <td>{transfer}</td>
                </tr>
            }
        })
        .collect_view();
    // Independent and joint controllers, in the same table: the role cell
    // says in which capacity they receive the data.
    let others = n
        .recipients
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.name.clone()}</th>
                    <td>{format!("{} ({})", r.role, r.kind_name)}</td>
                    <td>{r.places()}</td>
                    <td>{r.safeguards(w)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4>{w.data_categories}</h4>
        <div class="table" role="region" tabindex="0" aria-label=w.data_categories><table>
            <thead><tr><th scope="col">{w.data}</th><th scope="col">{w.note}</th><th scope="col">{t.held}</th></tr></thead>
            <tbody>{data}</tbody>
        </table></div>
        <h4>{w.purposes}</h4>
        <div class="table" role="region" tabindex="0" aria-label=w.purposes><table>
            <thead><tr><th scope="col">{w.purpose}</th><th scope="col">{w.basis}</th><th scope="col">{w.data}</th></tr></thead>
            <tbody>{purposes}</tbody>
        </table></div>
        <h4>{w.retention}</h4>
        <div class="table" role="region" tabindex="0" aria-label=w.retention><table>
            <thead><tr><th scope="col">{w.data}</th><th scope="col">{w.period}</th><th scope="col">{w.after}</th><th scope="col">{w.reference}</th></tr></thead>
            <tbody>{retention}</tbody>
        </table></div>
        <h4>{w.subprocessors}</h4>
        <div class="table" role="region" tabindex="0" aria-label=w.subprocessors><table>
            <thead><tr><th scope="col">{w.name}</th><th scope="col">{w.role}</th><th scope="col">{w.country}</th><th scope="col">{w.transfer}</th></tr></thead>
            <tbody>{processors}{others}</tbody>
        </table></div>
    }
}
