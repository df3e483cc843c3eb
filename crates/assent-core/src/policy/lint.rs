//! The policy lint: each rule has a stable id, fires on its fixture under
//! `tests/policies/lint/`, and never on the seed policies in `www/policies/`.
//! The EDPB Cookie Banner Taskforce practices (A–H) that a policy file could
//! encode are errors here, so they cannot be configured.

use std::collections::BTreeSet;

use super::finding::{Finding, Path};
use super::model::*;
use super::period::Period;
use super::written::Phrase;
use crate::Category;

/// Every rule id with a one-line description.
pub const RULES: [(&str, &str); 24] = [
    (
        "syntax",
        "the file is not valid TOML or JSON, or a value has the wrong type",
    ),
    (
        "unknown-field",
        "a field the format does not define (typo?)",
    ),
    (
        "consent-on-by-default",
        "a consent purpose starts granted (EDPB practice B)",
    ),
    (
        "consent-not-rejectable",
        "a consent purpose cannot be refused (EDPB practice A)",
    ),
    (
        "legitimate-interest-cookies",
        "legitimate interest claimed for non-essential storage (EDPB practice F)",
    ),
    (
        "non-essential-as-necessary",
        "a non-essential service filed as strictly necessary (EDPB practice G)",
    ),
    (
        "transfer-without-mechanism",
        "a non-EEA recipient without adequacy or a transfer mechanism (GDPR Ch. V)",
    ),
    (
        "special-data-without-explicit-consent",
        "special-category data processed without explicit consent (Art 9(2)(a))",
    ),
    (
        "data-without-retention",
        "a data category with no retention rule (Art 13(2)(a))",
    ),
    (
        "consent-without-withdrawal",
        "a consent purpose with no way to withdraw (Art 7(3))",
    ),
    (
        "revision-not-increased",
        "a changed policy whose revision did not increase",
    ),
    (
        "unknown-reference",
        "a reference to a data category, purpose or recipient that is not declared",
    ),
    (
        "missing-translation",
        "a text lacks one of the declared languages",
    ),
    (
        "bad-value",
        "a country that is not an ISO 3166-1 alpha-2 code, or a period Assent cannot read",
    ),
    (
        "legitimate-interest-unstated",
        "legitimate interest as a basis without the interest pursued (Art 13(1)(d))",
    ),
    (
        "response-time-too-long",
        "an answer time over one month, or an extension over two (Art 12(3))",
    ),
    (
        "transfer-mechanism-unneeded",
        "a transfer mechanism for a recipient in the EEA or an adequate country (mark it a contingency, or remove it)",
    ),
    (
        "processor-terms-missing",
        "a processor without its Art 28(3) terms, or without a period they need (breach notice, sub-processor notice, end of contract)",
    ),
    (
        "breach-notification-too-late",
        "a processor tells its customer of a breach later than the 72 hours the customer has itself (Art 33(1))",
    ),
    (
        "processor-own-purpose",
        "a purpose pursued on the customers' behalf names a legal basis: the customer determines it, or the purpose is the processor's own (Art 28(10))",
    ),
    (
        "purpose-without-basis",
        "a purpose the organisation controls names no legal basis (Art 6(1), 13(1)(c))",
    ),
    (
        "subprocessor-notice-too-short",
        "a revision adds a sub-processor with less notice to customers than the [processor] terms promise (Art 28(2))",
    ),
    (
        "language-not-spoken",
        "a policy language the consent UI and the notice have no words for (en, fr, de, da, sk): its pages would mix languages",
    ),
    (
        "not-stated-required",
        "a controller, or a site that collects consent, whose privacy e-mail and DPO are both not stated (Art 13(1)(a), (b))",
    ),
];

/// Every finding of the rules that need only this file.
pub fn lint(policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    consent_rules(policy, &mut out);
    cookie_rules(policy, &mut out);
    super::lint_transfers::lint(policy, &mut out);
    special_data(policy, &mut out);
    retention(policy, &mut out);
    references(policy, &mut out);
    spoken(policy, &mut out);
    translations(policy, &mut out);
    values(policy, &mut out);
    super::lint_roles::lint(policy, &mut out);
    out
}

/// `revision-not-increased`: `next` differs from `previous` but its revision is
/// not higher.
pub fn lint_revision(previous: &Policy, next: &Policy) -> Vec<Finding> {
    let changed = {
        let mut p = previous.clone();
        p.revision = next.revision;
        p != *next
    };
    let mut out = Vec::new();
    if changed && next.revision <= previous.revision {
        out.push(Finding::new(
            "revision-not-increased",
            Path::root().key("revision"),
            format!(
                "the policy changed but its revision went from {} to {}; increase it",
                previous.revision, next.revision
            ),
        ));
    }
    out.extend(super::changes::notice_finding(previous, next));
    out
}

fn consent_rules(policy: &Policy, out: &mut Vec<Finding>) {
    for (i, purpose) in policy.purposes.iter().enumerate() {
        let at = Path::root().key("purposes").index(i);
        if purpose.basis.contains(&LegalBasis::LegitimateInterest)
            && purpose.legitimate_interest.is_none()
        {
            out.push(Finding::new(
                "legitimate-interest-unstated",
                at.key("basis"),
                format!(
                    "purpose `{}` rests on legitimate interest: say which in `legitimate-interest`",
                    purpose.id
                ),
            ));
        }
        if !purpose.basis.iter().any(|b| b.is_consent()) {
            continue;
        }
        if purpose.on_by_default {
            out.push(Finding::new(
                "consent-on-by-default",
                at.key("on-by-default"),
                format!("consent purpose `{}` must start refused", purpose.id),
            ));
        }
        if !purpose.rejectable {
            out.push(Finding::new(
                "consent-not-rejectable",
                at.key("rejectable"),
                format!("consent purpose `{}` must be refusable", purpose.id),
            ));
        }
        if purpose.withdrawal.is_empty() {
            out.push(Finding::new(
                "consent-without-withdrawal",
                at.key("withdrawal"),
                format!(
                    "consent purpose `{}` lists no withdrawal channel (consent-manager, panel or contact)",
                    purpose.id
                ),
            ));
        }
    }
}

fn cookie_rules(policy: &Policy, out: &mut Vec<Finding>) {
    for (i, category) in policy.categories.iter().enumerate() {
        let at = Path::root().key("categories").index(i);
        let essential = category.id == Category::Necessary;
        if !essential && category.basis == Some(LegalBasis::LegitimateInterest) {
            out.push(Finding::new(
                "legitimate-interest-cookies",
                at.key("basis"),
                format!(
                    "`{}` storage needs consent, not legitimate interest",
                    category.id
                ),
            ));
        }
        if essential {
            for (j, service) in category.services.iter().enumerate() {
                if !service.kind.can_be_strictly_necessary() {
                    out.push(Finding::new(
                        "non-essential-as-necessary",
                        at.key("services").index(j).key("kind"),
                        format!(
                            "service `{}` is not strictly necessary; file it under its own category",
                            service.id
                        ),
                    ));
                }
            }
        }
    }
    for (i, purpose) in policy.purposes.iter().enumerate() {
        let stores = purpose.category.is_some_and(|c| c != Category::Necessary);
        if stores && purpose.basis.contains(&LegalBasis::LegitimateInterest) {
            out.push(Finding::new(
                "legitimate-interest-cookies",
                Path::root().key("purposes").index(i).key("basis"),
                format!(
                    "purpose `{}` stores on the device for a non-essential category; it needs consent",
                    purpose.id
                ),
            ));
        }
    }
}

fn special_data(policy: &Policy, out: &mut Vec<Finding>) {
    for (i, data) in policy.data.iter().enumerate() {
        if data.special.is_none() {
            continue;
        }
        let users: Vec<&Purpose> = policy
            .purposes
            .iter()
            .filter(|p| p.data.contains(&data.id))
            .collect();
        let lawful = !users.is_empty()
            && users
                .iter()
                .all(|p| p.basis.contains(&LegalBasis::ExplicitConsent));
        if !lawful {
            out.push(Finding::new(
                "special-data-without-explicit-consent",
                Path::root().key("data").index(i).key("special"),
                format!(
                    "special-category data `{}` must be processed only by purposes based on explicit-consent",
                    data.id
                ),
            ));
        }
    }
}

fn retention(policy: &Policy, out: &mut Vec<Finding>) {
    let kept: BTreeSet<&str> = policy
        .retention
        .iter()
        .flat_map(|r| r.data.iter().map(String::as_str))
        .collect();
    for (i, data) in policy.data.iter().enumerate() {
        if !kept.contains(data.id.as_str()) {
            out.push(Finding::new(
                "data-without-retention",
                Path::root().key("data").index(i),
                format!("data category `{}` has no [[retention]] rule", data.id),
            ));
        }
    }
}

fn references(policy: &Policy, out: &mut Vec<Finding>) {
    let data: BTreeSet<&str> = policy.data.iter().map(|d| d.id.as_str()).collect();
    let purposes: BTreeSet<&str> = policy.purposes.iter().map(|p| p.id.as_str()).collect();
    let recipients: BTreeSet<&str> = policy
        .subprocessors
        .iter()
        .map(|s| s.name.as_str())
        .chain(policy.recipients.iter().map(|r| r.name.as_str()))
        .collect();
    let mut check = |set: &BTreeSet<&str>, what: &str, ids: &[String], at: Path| {
        for (k, id) in ids.iter().enumerate() {
            if !set.contains(id.as_str()) {
                out.push(Finding::new(
                    "unknown-reference",
                    at.index(k),
                    format!("no {what} `{id}` is declared"),
                ));
            }
        }
    };
    for (i, p) in policy.purposes.iter().enumerate() {
        check(
            &data,
            "data category",
            &p.data,
            Path::root().key("purposes").index(i).key("data"),
        );
    }
    for (i, r) in policy.retention.iter().enumerate() {
        check(
            &data,
            "data category",
            &r.data,
            Path::root().key("retention").index(i).key("data"),
        );
    }
    for (i, s) in policy.subprocessors.iter().enumerate() {
        check(
            &data,
            "data category",
            &s.data,
            Path::root().key("subprocessors").index(i).key("data"),
        );
    }
    for (i, r) in policy.recipients.iter().enumerate() {
        check(
            &data,
            "data category",
            &r.data,
            Path::root().key("recipients").index(i).key("data"),
        );
    }
    for (i, s) in policy.special.iter().enumerate() {
        let at = Path::root().key("special").index(i);
        check(&data, "data category", &s.data, at.key("data"));
        check(
            &recipients,
            "sub-processor",
            &s.recipients,
            at.key("recipients"),
        );
        check(
            &purposes,
            "purpose",
            std::slice::from_ref(&s.purpose),
            at.key("purpose"),
        );
    }
    if let Some(terms) = &policy.processor {
        let at = Path::root().key("processor").key("data");
        check(&data, "data category", &terms.data, at);
    }
}

/// A language of the policy the UI and the notice's labels do not speak: a
/// page in it would show the policy's words in it, and the buttons, headings
/// and legal bases in English.
fn spoken(policy: &Policy, out: &mut Vec<Finding>) {
    let spoken: Vec<&str> = crate::texts::Texts::ALL.iter().map(|t| t.lang).collect();
    for (i, lang) in policy.languages.iter().enumerate() {
        if crate::texts::Texts::find(lang).is_none() {
            out.push(Finding::new(
                "language-not-spoken",
                Path::root().key("languages").index(i),
                format!(
                    "Assent's banner, preferences and notice have no words in `{lang}`: a page in it would mix \
                     languages; use one of {}",
                    spoken.join(", ")
                ),
            ));
        }
    }
}

fn translations(policy: &Policy, out: &mut Vec<Finding>) {
    for (at, text) in texts(policy) {
        let missing: Vec<&str> = policy
            .languages
            .iter()
            .filter(|l| !text.0.contains_key(l.as_str()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            out.push(Finding::new(
                "missing-translation",
                at,
                format!("missing language(s): {}", missing.join(", ")),
            ));
        }
    }
    if policy.languages.len() < 2 {
        return;
    }
    for (at, words) in phrases(policy) {
        out.push(Finding::new(
            "missing-translation",
            at,
            format!(
                "`{words}` is one string for every language: write it as a text in each ({})",
                policy
                    .languages
                    .iter()
                    .map(|l| format!("{l} = \"…\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
}

/// Every phrase written as one string for every language, with its path.
fn phrases(policy: &Policy) -> Vec<(Path, &str)> {
    let mut out = Vec::new();
    for (i, d) in policy.data.iter().enumerate() {
        for (k, subject) in d.subjects.iter().enumerate() {
            if let Phrase::Same(words) = subject {
                out.push((
                    Path::root().key("data").index(i).key("subjects").index(k),
                    words.as_str(),
                ));
            }
        }
    }
    for (i, r) in policy.retention.iter().enumerate() {
        if let Some(Phrase::Same(words)) = &r.reference {
            out.push((
                Path::root().key("retention").index(i).key("reference"),
                words.as_str(),
            ));
        }
    }
    out
}

/// Every text of the policy, with its path.
fn texts(policy: &Policy) -> Vec<(Path, &Text)> {
    let mut out: Vec<(Path, &Text)> = Vec::new();
    let root = Path::root();
    if let Some(t) = policy.controller.dpo.value().and_then(|d| d.note.as_ref()) {
        out.push((root.key("controller").key("dpo").key("note"), t));
    }
    for (i, p) in policy.purposes.iter().enumerate() {
        let at = root.key("purposes").index(i);
        out.push((at.key("name"), &p.name));
        if let Some(t) = &p.description {
            out.push((at.key("description"), t));
        }
        if let Some(t) = &p.legitimate_interest {
            out.push((at.key("legitimate-interest"), t));
        }
    }
    for (i, c) in policy.categories.iter().enumerate() {
        let at = root.key("categories").index(i);
        out.push((at.key("name"), &c.name));
        out.push((at.key("description"), &c.description));
        for (j, s) in c.services.iter().enumerate() {
            out.push((at.key("services").index(j).key("purpose"), &s.purpose));
        }
    }
    for (i, d) in policy.data.iter().enumerate() {
        let at = root.key("data").index(i);
        out.push((at.key("name"), &d.name));
        if let Some(t) = &d.description {
            out.push((at.key("description"), t));
        }
        if let Some(t) = &d.source {
            out.push((at.key("source"), t));
        }
    }
    for (i, r) in policy.retention.iter().enumerate() {
        let at = root.key("retention").index(i);
        let optional = [
            ("after", &r.after),
            ("tied-to", &r.tied_to),
            ("legal-hold", &r.legal_hold),
        ];
        for (key, text) in optional {
            if let Some(t) = text {
                out.push((at.key(key), t));
            }
        }
    }
    for (i, s) in policy.subprocessors.iter().enumerate() {
        let at = root.key("subprocessors").index(i);
        out.push((at.key("role"), &s.role));
        out.extend(onward_texts(&s.onward, &at));
    }
    for (i, r) in policy.recipients.iter().enumerate() {
        let at = root.key("recipients").index(i);
        out.push((at.key("role"), &r.role));
        if let Some(t) = &r.arrangement {
            out.push((at.key("arrangement"), t));
        }
        out.extend(onward_texts(&r.onward, &at));
    }
    for place in super::recipient::destinations(policy) {
        for t in place.transfers().iter().filter_map(|t| t.measures.as_ref()) {
            out.push((place.at.key("transfer").key("measures"), t));
        }
    }
    for (i, r) in policy.rights.offered.iter().enumerate() {
        if let Some(t) = &r.note {
            out.push((root.key("rights").key("offered").index(i).key("note"), t));
        }
    }
    if let Some(terms) = &policy.processor {
        out.extend(super::lint_roles::texts(terms, root.key("processor")));
    }
    for (i, s) in policy.special.iter().enumerate() {
        let at = root.key("special").index(i);
        out.push((at.key("name"), &s.name));
        out.push((at.key("description"), &s.description));
        out.push((at.key("withdrawal"), &s.withdrawal));
    }
    out
}

/// The `to` texts of onward transfers listed at `at`.
fn onward_texts<'a>(onward: &'a [super::recipient::Onward], at: &Path) -> Vec<(Path, &'a Text)> {
    onward
        .iter()
        .enumerate()
        .map(|(k, o)| (at.key("onward").index(k).key("to"), &o.to))
        .collect()
}

fn values(policy: &Policy, out: &mut Vec<Finding>) {
    let bad = |out: &mut Vec<Finding>, at: Path, message: String| {
        out.push(Finding::new("bad-value", at, message));
    };
    let dates = [
        ("effective", Some(&policy.effective)),
        ("announced", policy.announced.as_ref()),
    ];
    for (key, date) in dates {
        if let Some(date) = date.filter(|d| super::date::Date::parse(d).is_none()) {
            bad(
                out,
                Path::root().key(key),
                format!("`{date}` is not a date: write YYYY-MM-DD"),
            );
        }
    }
    if let Some(country) = policy.controller.country.as_deref() {
        if !is_country_code(country) {
            let at = Path::root().key("controller").key("country");
            bad(
                out,
                at,
                format!("country `{country}` is not an ISO 3166-1 alpha-2 code such as FR or SK"),
            );
        }
    }
    for place in super::recipient::destinations(policy) {
        for country in place.countries().filter(|c| !is_country_code(c)) {
            let at = place.at.key("country");
            bad(
                out,
                at,
                format!(
                    "country `{country}` is not an ISO 3166-1 alpha-2 code such as DE, CN or US"
                ),
            );
        }
    }
    let mut periods: Vec<(Path, &str)> = Vec::new();
    for (i, r) in policy.retention.iter().enumerate() {
        periods.push((
            Path::root().key("retention").index(i).key("period"),
            &r.period,
        ));
    }
    for (i, c) in policy.categories.iter().enumerate() {
        for (j, s) in c.services.iter().enumerate() {
            for (k, cookie) in s.cookies.iter().enumerate() {
                let at = Path::root()
                    .key("categories")
                    .index(i)
                    .key("services")
                    .index(j);
                periods.push((at.key("cookies").index(k).key("lifetime"), &cookie.lifetime));
            }
        }
    }
    for (i, s) in policy.special.iter().enumerate() {
        periods.push((
            Path::root()
                .key("special")
                .index(i)
                .key("deletion-deadline"),
            &s.deletion_deadline,
        ));
    }
    if let Some(terms) = &policy.processor {
        let at = Path::root().key("processor");
        let breach = at.key("breach-notification");
        let changes = at.key("subprocessor-changes");
        let stated = [
            (
                breach.key("within"),
                terms.breach_notification.within.as_deref(),
            ),
            (
                changes.key("notice"),
                terms.subprocessor_changes.notice.as_deref(),
            ),
            (
                changes.key("objection-window"),
                terms.subprocessor_changes.objection_window.as_deref(),
            ),
            (
                at.key("assistance").key("response-time"),
                terms
                    .assistance
                    .as_ref()
                    .and_then(|a| a.response_time.as_deref()),
            ),
            (
                at.key("audits").key("notice"),
                terms.audits.as_ref().and_then(|a| a.notice.as_deref()),
            ),
            (
                at.key("end-of-contract").key("deadline"),
                terms.end_of_contract.deadline.as_deref(),
            ),
            (
                at.key("end-of-contract").key("choice-window"),
                terms.end_of_contract.choice_window.as_deref(),
            ),
        ];
        periods.extend(
            stated
                .into_iter()
                .filter_map(|(path, text)| Some((path, text?))),
        );
    }
    let rights = Path::root().key("rights");
    if let Some(time) = policy.rights.response_time.value() {
        periods.push((rights.key("response-time"), time));
    }
    if let Some(e) = &policy.rights.extension {
        periods.push((rights.key("extension"), e));
    }
    for (at, text) in periods {
        if period_days(text).is_none() {
            bad(out, at, format!(
                "cannot read the period `{text}`: write a number and a unit (minutes, hours, business hours, days, business days, weeks, months, years), or session, transaction, until-deleted"
            ));
        }
    }
    if let Some(lifetime) = &policy.consent_lifetime {
        let at = Path::root().key("consent-lifetime");
        match super::config::lifetime_days(lifetime) {
            None => bad(out, at, format!(
                "cannot read the consent lifetime `{lifetime}`: write a number of days, weeks or months, at most 13 months"
            )),
            Some(days) if days > crate::rules::MAX_LIFETIME_DAYS => bad(out, at, format!(
                "a consent lifetime of `{lifetime}` is over 13 months, the CNIL's maximum (deliberation 2020-092)"
            )),
            Some(_) => {}
        }
    }
    let over =
        |text: &str, days: u32| period_days(text).is_some_and(|d| d.is_some_and(|d| d > days));
    if policy
        .rights
        .response_time
        .value()
        .is_some_and(|t| over(t, 31))
    {
        out.push(Finding::new(
            "response-time-too-long",
            rights.key("response-time"),
            "GDPR Art 12(3): answer within one month",
        ));
    }
    if policy
        .rights
        .extension
        .as_deref()
        .is_some_and(|e| over(e, 62))
    {
        out.push(Finding::new(
            "response-time-too-long",
            rights.key("extension"),
            "GDPR Art 12(3): the extension is at most two further months",
        ));
    }
}

pub(super) fn is_country_code(country: &str) -> bool {
    country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())
}

/// The length of a period in days (rounded up; `Some(None)` for the named
/// periods without a length), or `None` if it cannot be read.
pub fn period_days(text: &str) -> Option<Option<u32>> {
    Period::parse(text).map(Period::max_days)
}

#[cfg(test)]
mod tests {
    use super::period_days;

    #[test]
    fn periods_read_as_days() {
        let table = [
            ("13 months", Some(Some(403))),
            ("1 year", Some(Some(366))),
            ("30 minutes", Some(Some(1))),
            ("182 days", Some(Some(182))),
            ("session", Some(None)),
            ("until-deleted", Some(None)),
            ("one year", None),
            ("30 minuets", None),
            ("forever", None),
            ("", None),
        ];
        for (text, days) in table {
            assert_eq!(period_days(text), days, "{text:?}");
        }
    }
}
