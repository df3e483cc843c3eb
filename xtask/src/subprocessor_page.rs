//! A processor's sub-processor page and its Atom feed
//! (`policies/<name>.subprocessors.<lang>.html` and `.atom`, GDPR Art 28(2)):
//! the sub-processors in use now, and every change between the policy's
//! revisions (`<policies>/history/`) with the day it was announced, the day it
//! takes effect and the last day to object, from core's
//! `policy::changes`. Customers subscribe to the feed to hear of changes.

use assent_core::policy::changes::{subprocessor_changes, ChangeKind, SubprocessorChange};
use assent_core::policy::notice::dpa::{dpa_labels, DpaLabels};
use assent_core::policy::{labels, notice, Policy};

use crate::preview::{consent_of, escape, page, section, subprocessors_table, Table};

/// The page of `policy`'s sub-processors in `lang` (`stem` names its files),
/// or `None` for a policy without processor terms.
pub fn subprocessor_page(
    stem: &str,
    policy: &Policy,
    earlier: &[Policy],
    lang: &str,
    live_reload: bool,
) -> Option<String> {
    policy.processor.as_ref()?;
    let l = dpa_labels(lang);
    let n = notice(policy, lang);
    let name = &policy.controller.legal_name;
    let feed = format!("{}.subprocessors.{}.atom", escape(stem), escape(lang));
    let mut body = format!(
        "<h1>{} — {}</h1>\n<p><a href=\"{feed}\" type=\"application/atom+xml\">{}</a></p>\n",
        escape(l.subprocessor_page),
        escape(name),
        escape(l.feed)
    );
    let current = subprocessors_table(&n.subprocessors, labels(lang)).html();
    section(&mut body, "current", l.current, &current);
    let changes = subprocessor_changes(policy, earlier);
    let history = if changes.is_empty() {
        format!("<p>{}</p>\n", escape(l.no_changes))
    } else {
        changes_table(&changes, l).html()
    };
    section(&mut body, "changes", l.change_history, &history);
    let head = consent_of(policy, earlier, lang);
    let title = format!("{} — {name}", l.subprocessor_page);
    Some(page(lang, &title, head, &body, live_reload))
}

/// The changes, newest first: what, who, where, and the three dates.
fn changes_table(changes: &[SubprocessorChange], l: &DpaLabels) -> Table {
    let not_stated = |value: &Option<String>, lang: &str| {
        value
            .clone()
            .unwrap_or_else(|| labels(lang).not_stated.to_owned())
    };
    Table {
        name: "changes",
        head: vec![
            l.change,
            labels(l.lang).name,
            labels(l.lang).country,
            l.announced,
            l.takes_effect,
            l.objection_deadline,
        ],
        rows: changes
            .iter()
            .map(|c| {
                vec![
                    kind(c.kind, l).to_owned(),
                    c.name.clone(),
                    c.countries.join(", "),
                    not_stated(&c.announced, l.lang),
                    c.effective.clone(),
                    not_stated(&c.objection_deadline, l.lang),
                ]
            })
            .collect(),
    }
}

fn kind(kind: ChangeKind, l: &DpaLabels) -> &'static str {
    match kind {
        ChangeKind::Added => l.added,
        ChangeKind::Removed => l.removed,
        ChangeKind::Changed => l.changed,
    }
}

/// The Atom feed (RFC 4287) of `policy`'s sub-processor changes in `lang`,
/// or `None` for a policy without processor terms. Each change is an entry
/// dated the day it was announced (else the day it takes effect).
pub fn subprocessor_feed(
    stem: &str,
    policy: &Policy,
    earlier: &[Policy],
    lang: &str,
) -> Option<String> {
    policy.processor.as_ref()?;
    let l = dpa_labels(lang);
    let changes = subprocessor_changes(policy, earlier);
    let name = &policy.controller.legal_name;
    let page = format!("{stem}.subprocessors.{lang}.html");
    let day = |c: &SubprocessorChange| c.announced.clone().unwrap_or_else(|| c.effective.clone());
    // The feed changes when the policy does: its newest revision's dates.
    let updated = changes
        .iter()
        .map(day)
        .chain([policy
            .announced
            .clone()
            .unwrap_or_else(|| policy.effective.clone())])
        .max()
        .unwrap_or_default();
    let entries: String = changes
        .iter()
        .map(|c| entry(&policy.id, c, l, &page, &day(c)))
        .collect();
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <id>tag:assent,2026:{id}/subprocessors/{lang}</id>\n\
         <title>{title}</title>\n\
         <updated>{updated}T00:00:00Z</updated>\n\
         <author><name>{author}</name></author>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{stem}.subprocessors.{lang}.atom\"/>\n\
         {entries}</feed>\n",
        lang = escape(lang),
        id = escape(&policy.id),
        title = escape(&format!("{} — {name}", l.subprocessor_page)),
        author = escape(name),
        page = escape(&page),
        stem = escape(stem),
    ))
}

fn entry(policy: &str, c: &SubprocessorChange, l: &DpaLabels, page: &str, day: &str) -> String {
    let words = labels(l.lang);
    let or_not_stated =
        |v: &Option<String>| v.clone().unwrap_or_else(|| words.not_stated.to_owned());
    let summary = format!(
        "{}{}{}. {}{}{}. {}{}{}.",
        l.announced,
        words.colon,
        or_not_stated(&c.announced),
        l.takes_effect,
        words.colon,
        c.effective,
        l.objection_deadline,
        words.colon,
        or_not_stated(&c.objection_deadline)
    );
    format!(
        "<entry>\n<id>tag:assent,2026:{policy}/{revision}/{kind:?}/{name_id}</id>\n\
         <title>{title}</title>\n<updated>{day}T00:00:00Z</updated>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <summary>{summary}</summary>\n</entry>\n",
        policy = escape(policy),
        revision = c.revision,
        kind = c.kind,
        name_id = escape(&c.name.replace(' ', "-")),
        title = escape(&format!(
            "{}{}{} ({})",
            kind(c.kind, l),
            words.colon,
            c.name,
            c.countries.join(", ")
        )),
        day = escape(day),
        page = escape(page),
        summary = escape(&summary),
    )
}
