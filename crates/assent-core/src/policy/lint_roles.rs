//! The lint rules of roles and processor terms (GDPR Art 28): a processor's
//! policy must say what its data processing agreement commits to, with the
//! periods the controller relies on, and a purpose pursued on the customers'
//! behalf must leave the legal basis to them.

use super::finding::{Finding, Path};
use super::model::{Policy, Text};
use super::period::Period;
use super::processor::{ProcessorTerms, PurposeRole, Role};

/// Every finding of these rules.
pub fn lint(policy: &Policy, out: &mut Vec<Finding>) {
    purposes(policy, out);
    contact(policy, out);
    if policy.role.processes_for_customers() {
        terms(policy, out);
    }
}

fn purposes(policy: &Policy, out: &mut Vec<Finding>) {
    for (i, purpose) in policy.purposes.iter().enumerate() {
        let at = Path::root().key("purposes").index(i).key("basis");
        match purpose.role_in(policy) {
            PurposeRole::Processor if !purpose.basis.is_empty() => out.push(Finding::new(
                "processor-own-purpose",
                at,
                format!(
                    "purpose `{}` is pursued on the customers' behalf, so the customer determines its legal basis; \
                     if {} pursues it for its own ends, it is the controller for it: add role = \"controller\"",
                    purpose.id, policy.controller.legal_name
                ),
            )),
            PurposeRole::Controller if purpose.basis.is_empty() => out.push(Finding::new(
                "purpose-without-basis",
                at,
                format!(
                    "purpose `{}` names no legal basis; if it is pursued for customers, add role = \"processor\"",
                    purpose.id
                ),
            )),
            _ => {}
        }
    }
    if policy.role == Role::Controller
        && policy
            .purposes
            .iter()
            .any(|p| p.role == Some(PurposeRole::Processor))
    {
        out.push(Finding::new(
            "processor-terms-missing",
            Path::root().key("role"),
            "a purpose is pursued as processor: set role = \"both\" and add the [processor] terms",
        ));
    }
}

/// A controller must give its contact details (Art 13(1)(a), (b)), and a
/// consent record names a contact: "not stated" is for a processor's policy
/// only, whose customers are the controllers.
fn contact(policy: &Policy, out: &mut Vec<Finding>) {
    let controls = policy
        .purposes
        .iter()
        .any(|p| p.role_in(policy) == PurposeRole::Controller);
    let collects_consent = !policy.categories.is_empty();
    if policy.controller.contact_email().is_none() && (controls || collects_consent) {
        out.push(Finding::new(
            "not-stated-required",
            Path::root().key("controller").key("email"),
            format!(
                "{} controls processing or collects consent, so people need a contact (GDPR Art 13(1)(a), (b)): \
                 give the privacy e-mail or the DPO",
                policy.controller.legal_name
            ),
        ));
    }
}

fn terms(policy: &Policy, out: &mut Vec<Finding>) {
    let Some(terms) = &policy.processor else {
        out.push(Finding::new(
            "processor-terms-missing",
            Path::root().key("role"),
            "a processor's policy needs its [processor] terms (GDPR Art 28(3))",
        ));
        return;
    };
    let at = Path::root().key("processor");
    let required = [
        (
            at.key("breach-notification").key("within"),
            &terms.breach_notification.within,
            "how soon the customer hears of a breach (Art 28(3)(f), Art 33(2))",
        ),
        (
            at.key("subprocessor-changes").key("notice"),
            &terms.subprocessor_changes.notice,
            "how long before a sub-processor change the customer is told, to object (Art 28(2))",
        ),
        (
            at.key("end-of-contract").key("deadline"),
            &terms.end_of_contract.deadline,
            "when the data is returned or deleted after the contract (Art 28(3)(g))",
        ),
    ];
    for (path, value, what) in required {
        if value.is_none() {
            out.push(Finding::new(
                "processor-terms-missing",
                path,
                format!("say {what}"),
            ));
        }
    }
    if let Some(within) = &terms.breach_notification.within {
        if period_hours(within).is_some_and(|hours| hours > 72) {
            out.push(Finding::new(
                "breach-notification-too-late",
                at.key("breach-notification").key("within"),
                format!(
                    "`{within}` leaves the customer less than its own 72 hours to notify the authority (Art 33(1)); \
                     notify it within 72 hours at most"
                ),
            ));
        }
    }
}

/// Every text of the processor terms `terms` (at `at`), with its path: the
/// `missing-translation` rule checks them like the rest of the policy.
pub fn texts(terms: &ProcessorTerms, at: Path) -> Vec<(Path, &Text)> {
    let mut out = vec![
        (at.key("customer"), &terms.customer),
        (at.key("nature"), &terms.nature),
    ];
    let optional = [
        (
            at.key("breach-notification").key("channel"),
            terms.breach_notification.channel.as_ref(),
        ),
        (
            at.key("subprocessor-changes").key("channel"),
            terms.subprocessor_changes.channel.as_ref(),
        ),
        (
            at.key("subprocessor-changes").key("on-objection"),
            terms.subprocessor_changes.on_objection.as_ref(),
        ),
        (
            at.key("assistance").key("note"),
            terms.assistance.as_ref().and_then(|a| a.note.as_ref()),
        ),
        (
            at.key("audits").key("frequency"),
            terms.audits.as_ref().and_then(|a| a.frequency.as_ref()),
        ),
        (
            at.key("end-of-contract").key("format"),
            terms.end_of_contract.format.as_ref(),
        ),
        (
            at.key("end-of-contract").key("legal-hold"),
            terms.end_of_contract.legal_hold.as_ref(),
        ),
    ];
    out.extend(
        optional
            .into_iter()
            .filter_map(|(path, text)| Some((path, text?))),
    );
    for (i, subject) in terms.subjects.iter().enumerate() {
        out.push((at.key("subjects").index(i), subject));
    }
    for (i, measure) in terms.security_measures.iter().enumerate() {
        out.push((at.key("security-measures").index(i), measure));
    }
    out
}

/// The length of a period in hours, when it has one (`48 hours`, `3 days`);
/// `None` for a period without a length or one that cannot be read (the
/// `bad-value` rule reports those).
pub fn period_hours(text: &str) -> Option<u32> {
    Period::parse(text)?.max_hours()
}

#[cfg(test)]
mod tests {
    use super::period_hours;

    #[test]
    fn periods_read_as_hours() {
        let table = [
            ("48 hours", Some(48)),
            ("72 hours", Some(72)),
            ("1 hour", Some(1)),
            ("90 minutes", Some(2)),
            ("3 days", Some(72)),
            ("4 days", Some(96)),
            ("1 week", Some(168)),
            ("session", None),
            ("seventy-two hours", None),
            ("", None),
        ];
        for (text, hours) in table {
            assert_eq!(period_hours(text), hours, "{text:?}");
        }
    }
}
