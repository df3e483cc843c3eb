//! The annex page of a processor's data processing agreement
//! (`policies/<name>.dpa.<lang>.html`, GDPR Art 28(3)): the description of
//! the processing, the processor's commitments, its security measures and its
//! sub-processors, rendered from core's model (`policy::notice::dpa`) in each
//! language of the policy. The preview writes it beside the notice for a
//! policy whose `role` is `processor` or `both`.

use assent_core::policy::notice::dpa::{annex, DpaPart};
use assent_core::policy::{labels, Policy};

use crate::preview::{consent_of, escape, page, section, subprocessors_table};

/// The annex page of `policy` in `lang`, or `None` for a controller's policy.
pub fn dpa_page(
    policy: &Policy,
    earlier: &[Policy],
    lang: &str,
    live_reload: bool,
) -> Option<String> {
    let a = annex(policy, lang)?;
    let mut body = format!("<h1>{} — {}</h1>\n", escape(&a.title), escape(&a.processor));
    section(
        &mut body,
        "description",
        &a.description.heading,
        &facts(&a.description),
    );
    let commitments: String = a
        .commitments
        .1
        .iter()
        .map(|part| format!("<h3>{}</h3>\n{}", escape(&part.heading), facts(part)))
        .collect();
    section(&mut body, "commitments", &a.commitments.0, &commitments);
    section(&mut body, "security", &a.security.0, &list(&a.security.1));
    let subprocessors = subprocessors_table(&a.subprocessors.1, labels(lang)).html();
    section(
        &mut body,
        "subprocessors",
        &a.subprocessors.0,
        &subprocessors,
    );
    Some(page(
        lang,
        &format!("{} — {}", a.title, a.processor),
        consent_of(policy, earlier, lang),
        &body,
        live_reload,
    ))
}

/// A part's facts as a description list.
fn facts(part: &DpaPart) -> String {
    let items: String = part
        .facts
        .iter()
        .map(|(label, value)| format!("<dt>{}</dt><dd>{}</dd>\n", escape(label), escape(value)))
        .collect();
    format!("<dl>\n{items}</dl>\n")
}

fn list(items: &[String]) -> String {
    let items: String = items
        .iter()
        .map(|i| format!("<li>{}</li>\n", escape(i)))
        .collect();
    format!("<ul>\n{items}</ul>\n")
}
