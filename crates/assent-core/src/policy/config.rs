//! The widget configuration a page embeds as `<script type="application/json"
//! id="assent-config">`, derived from a policy and its earlier revisions.
//!
//! It carries what the loader and the widget need on every page view and nothing
//! else: the revision and *consent revision* (the oldest revision whose
//! decisions still hold, see [`consent_revision`]), the decision lifetime, the
//! languages, the cookie categories with their Google Consent Mode types and
//! services (with the cookies cleared on withdrawal), and what changed when the
//! last change was material. Reference: `docs/consent-manager.md`.

use super::diff::{diff, PolicyDiff};
use super::model::Policy;

/// A consent lifetime such as `6 months` in days: days, weeks, months (365/12
/// days each, so `6 months` is 182 and `13 months` is 395) or years.
pub fn lifetime_days(text: &str) -> Option<u32> {
    let (number, unit) = text.trim().split_once(' ')?;
    let n: u32 = number.parse().ok()?;
    let days = match unit.trim().trim_end_matches('s') {
        "day" => n,
        "week" => n.checked_mul(7)?,
        "month" => n.checked_mul(365)? / 12,
        "year" => n.checked_mul(365)?,
        _ => return None,
    };
    (days > 0).then_some(days)
}

/// The oldest revision whose decisions still hold, and the material change that
/// set it (with the revision it is measured from), given the policy's earlier
/// revisions (any order; other policies' and later revisions are ignored).
///
/// Walking back from the current revision, each step that is not material
/// (see [`PolicyDiff::is_material`]) keeps older decisions valid. Without the
/// previous revision Assent cannot tell a cosmetic change from a material one,
/// so the current revision is the consent revision: it fails closed and asks again.
pub fn consent_revision(current: &Policy, earlier: &[Policy]) -> (u32, Option<(u32, PolicyDiff)>) {
    let mut chain: Vec<&Policy> = earlier
        .iter()
        .filter(|p| p.id == current.id && p.revision < current.revision)
        .collect();
    chain.sort_by_key(|p| p.revision);
    chain.dedup_by_key(|p| p.revision);
    chain.push(current);
    let mut consent = current.revision;
    let mut material = None;
    for pair in chain.windows(2).rev() {
        let d = diff(pair[0], pair[1]);
        if d.is_material() {
            material = Some((pair[0].revision, d));
            break;
        }
        consent = pair[0].revision;
    }
    (consent, material)
}

#[cfg(feature = "policy-text")]
pub use json::widget_config;

#[cfg(feature = "policy-text")]
mod json {
    use serde_json::{json, Value};

    use super::super::model::{Policy, Text};
    use super::consent_revision;
    use crate::rules::DEFAULT_LIFETIME_DAYS;

    fn text(t: &Text) -> Value {
        serde_json::to_value(t).unwrap_or(Value::Null)
    }

    /// The configuration JSON of `policy` (see the module docs); `lang` forces
    /// the language (a notice page in that language), else the page decides.
    pub fn widget_config(policy: &Policy, earlier: &[Policy], lang: Option<&str>) -> Value {
        let (consent, material) = consent_revision(policy, earlier);
        let categories: Vec<Value> = policy
            .categories
            .iter()
            .map(|c| {
                let services: Vec<Value> = c
                    .services
                    .iter()
                    .map(|s| {
                        json!({
                            "id": s.id,
                            "provider": s.provider,
                            "purpose": text(&s.purpose),
                            "cookies": s.cookies.iter().map(|k| json!({
                                "name": k.name,
                                "storage": k.storage,
                                "domain": k.domain,
                                "path": k.path,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({
                    "id": c.id.key(),
                    "name": text(&c.name),
                    "description": text(&c.description),
                    "consent-mode": c.consent_mode,
                    "services": services,
                })
            })
            .collect();
        let lifetime = policy
            .consent_lifetime
            .as_deref()
            .and_then(super::lifetime_days)
            .unwrap_or(DEFAULT_LIFETIME_DAYS);
        let mut config = json!({
            "policy": policy.id,
            "revision": policy.revision,
            "consent-revision": consent,
            "lifetime-days": lifetime,
            "languages": policy.languages,
            "categories": categories,
        });
        if let Some(lang) = lang {
            config["lang"] = json!(lang);
        }
        if let Some((since, d)) = material {
            let purposes: Vec<Value> = d
                .added_consent_purposes
                .iter()
                .chain(&d.changed_consent_purposes)
                .filter_map(|id| policy.purposes.iter().find(|p| &p.id == id))
                .map(|p| text(&p.name))
                .collect();
            let recipients: Vec<Value> = d
                .added_subprocessors
                .iter()
                .chain(&d.changed_transfers)
                .filter_map(|name| policy.subprocessors.iter().find(|s| &s.name == name))
                .map(|s| json!({ "name": s.name, "country": s.country }))
                .collect();
            config["changes"] = json!({
                "since": since,
                "purposes": purposes,
                "recipients": recipients,
            });
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cnil_lifetimes_read_as_days() {
        let table = [
            ("6 months", Some(182)),
            ("13 months", Some(395)),
            ("14 months", Some(425)),
            ("182 days", Some(182)),
            ("26 weeks", Some(182)),
            ("1 year", Some(365)),
            ("0 days", None),
            ("six months", None),
            ("6 fortnights", None),
            ("", None),
        ];
        for (text, days) in table {
            assert_eq!(lifetime_days(text), days, "{text:?}");
        }
    }
}
