//! The lint rules of transfers outside the EEA (GDPR Chapter V): every
//! country a recipient (a sub-processor, another recipient, or an onward
//! transfer of either) processes in that is neither in the EEA nor adequate
//! needs a safeguard that covers it, and a safeguard nothing needs is either
//! kept as a contingency or removed.

use super::finding::Finding;
use super::lint::is_country_code;
use super::model::{Mechanism, Policy, Transfer};
use super::place;
use super::recipient::{destinations, Destination};
use super::written::Stated;

/// Every finding of these rules.
pub fn lint(policy: &Policy, out: &mut Vec<Finding>) {
    for recipient in destinations(policy) {
        let at = recipient.at.key("transfer");
        // An unreadable country is reported by `bad-value`, not as a transfer.
        if recipient.countries().any(|c| !is_country_code(c)) {
            continue;
        }
        let active: Vec<&Transfer> = recipient
            .transfers()
            .iter()
            .filter(|t| !t.contingency)
            .collect();
        for message in misused(&recipient, &active) {
            out.push(Finding::new(
                "transfer-without-mechanism",
                at.clone(),
                message,
            ));
        }
        let uncovered: Vec<&str> = recipient
            .countries()
            .filter(|c| needs_safeguard(c) && !active.iter().any(|t| covers(t, c)))
            .collect();
        if !uncovered.is_empty() {
            out.push(Finding::new(
                "transfer-without-mechanism",
                at.clone(),
                format!(
                    "`{}` processes data in {} (outside the EEA, no adequacy decision) but names no transfer \
                     safeguard that covers it (scc with its module, bcr, dpf for the US, or an Art 49 derogation)",
                    recipient.name,
                    uncovered.join(", ")
                ),
            ));
        }
        if let Some(message) = needless(&recipient, &active) {
            out.push(Finding::new("transfer-mechanism-unneeded", at, message));
        }
    }
}

/// Whether data processed in `country` leaves the protection of the GDPR.
fn needs_safeguard(country: &str) -> bool {
    !place::in_eea(country) && !place::adequate(country)
}

/// Whether `transfer` makes a transfer to `country` lawful.
fn covers(transfer: &Transfer, country: &str) -> bool {
    match transfer.mechanism {
        Mechanism::Adequacy => place::adequate(country),
        Mechanism::Dpf => country.eq_ignore_ascii_case("US"),
        Mechanism::Scc => transfer.module.as_ref().is_some_and(scc_module_given),
        Mechanism::Bcr | Mechanism::Derogation => true,
    }
}

/// Whether an SCC module is one of Decision 2021/914's four, or the source
/// does not name it (the notice then says so).
fn scc_module_given(module: &Stated<u8>) -> bool {
    module.value().is_none_or(|m| (1..=4).contains(m))
}

/// Safeguards named for a country they cannot apply to.
fn misused(recipient: &Destination<'_>, active: &[&Transfer]) -> Vec<String> {
    let mut messages = Vec::new();
    let mut countries = recipient.countries();
    for t in active {
        match t.mechanism {
            Mechanism::Adequacy if !recipient.countries().any(place::adequate) => messages.push(format!(
                "{} has no adequacy decision; use scc, bcr or dpf",
                recipient.countries().collect::<Vec<_>>().join(", ")
            )),
            Mechanism::Dpf if !countries.any(|c| c.eq_ignore_ascii_case("US")) => messages
                .push("the Data Privacy Framework covers recipients in the US only".to_owned()),
            Mechanism::Scc if !t.module.as_ref().is_some_and(scc_module_given) => messages.push(
                "name the SCC module (1 to 4) of Decision 2021/914, or write \"not-stated\" if the source does not"
                    .to_owned(),
            ),
            _ => {}
        }
    }
    messages
}

/// A safeguard given where every country is in the EEA or adequate (an
/// adequacy decision named for an adequate country is right, not needless).
fn needless(recipient: &Destination<'_>, active: &[&Transfer]) -> Option<String> {
    if recipient.countries().any(needs_safeguard) {
        return None;
    }
    let only_adequacy_where_adequate = active
        .iter()
        .all(|t| t.mechanism == Mechanism::Adequacy && recipient.countries().any(place::adequate));
    if active.is_empty() || only_adequacy_where_adequate {
        return None;
    }
    let countries = recipient.countries().collect::<Vec<_>>().join(", ");
    let place = if recipient.countries().all(place::in_eea) {
        "is in the EEA"
    } else {
        "is in the EEA or has an adequacy decision"
    };
    Some(format!(
        "{countries} {place}: `{}` needs no transfer mechanism (keep it with contingency = true \
         if it covers a later move, or remove it)",
        recipient.name
    ))
}
