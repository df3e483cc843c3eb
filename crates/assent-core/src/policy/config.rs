//! The widget configuration a page embeds as `<script type="application/json"
//! id="assent-config">`, derived from a policy and its earlier revisions.
//!
//! It carries what the loader and the widget need on every page view and nothing
//! else: the revision and *consent revision* (the oldest revision whose
//! decisions still hold, see [`consent_revision`]), the decision lifetime, the
//! languages, the cookie categories with their Google Consent Mode types and
//! services (with the cookies cleared on withdrawal), and what changed when the
//! last change was material. Reference: `docs/consent-manager.md`.

use super::diff::{diff, revision_chain, PolicyDiff};
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
    let chain = revision_chain(current, earlier);
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
pub use json::{category_basis, page_config, texts_hash, widget_config};

#[cfg(feature = "policy-text")]
mod json {
    use serde_json::{json, Value};

    use super::super::hash::{canonical_value, content_hash, sha256};
    use super::super::model::{LegalBasis, Policy, Text};
    use super::super::page::{
        PageCategory, PageChanges, PageConfig, PageCookie, PageRecipient, PageService,
    };
    use super::consent_revision;
    use crate::record::Controller;
    use crate::rules::DEFAULT_LIFETIME_DAYS;
    use crate::texts::Texts;
    use crate::Category;

    /// The legal basis a consent record names for a cookie category: the
    /// category's own `basis`, else the first basis of the policy purpose linked
    /// to it, else consent (ePrivacy Art 5(3)) for an optional category and
    /// legitimate interest for strictly necessary storage.
    pub fn category_basis(policy: &Policy, category: Category) -> LegalBasis {
        let declared = policy.categories.iter().find(|c| c.id == category);
        declared
            .and_then(|c| c.basis)
            .or_else(|| {
                policy
                    .purposes
                    .iter()
                    .find(|p| p.category == Some(category))
                    .and_then(|p| p.basis.first().copied())
            })
            .unwrap_or(if category == Category::Necessary {
                LegalBasis::LegitimateInterest
            } else {
                LegalBasis::Consent
            })
    }

    /// The UI texts hash of consent records (`docs/records.md`): the SHA-256
    /// of the canonical JSON of every fixed string of the consent UI in `lang`
    /// and the policy's category and service texts in `lang` (`null` where the
    /// policy has none and the widget shows its default).
    pub fn texts_hash(policy: &Policy, lang: &str) -> String {
        let ui = Texts::for_language(lang);
        let in_lang = |t: &Text| t.0.get(ui.lang).map_or(Value::Null, |s| json!(s));
        let categories: Vec<Value> = policy
            .categories
            .iter()
            .map(|c| {
                json!({
                    "id": c.id.key(),
                    "name": in_lang(&c.name),
                    "description": in_lang(&c.description),
                    "services": c.services.iter().map(|s| json!({
                        "id": s.id,
                        "purpose": in_lang(&s.purpose),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let value = json!({
            "ui": serde_json::to_value(ui).unwrap_or(Value::Null),
            "categories": categories,
        });
        sha256(canonical_value(&value).as_bytes())
    }

    /// The UI languages a page of `policy` can show: those the policy offers,
    /// or all of them when it offers none the UI speaks.
    fn ui_languages(policy: &Policy) -> Vec<&'static str> {
        let mut langs: Vec<&'static str> = policy
            .languages
            .iter()
            .filter_map(|l| Texts::find(l))
            .map(|t| t.lang)
            .collect();
        langs.dedup();
        if langs.is_empty() {
            langs = Texts::ALL.iter().map(|t| t.lang).collect();
        }
        langs
    }

    /// The page configuration of `policy` ([`PageConfig`]); `lang` forces the
    /// language (a notice page in that language), else the page decides.
    pub fn page_config(policy: &Policy, earlier: &[Policy], lang: Option<&str>) -> PageConfig {
        let (consent, material) = consent_revision(policy, earlier);
        let categories = policy
            .categories
            .iter()
            .map(|c| PageCategory {
                id: c.id,
                basis: Some(category_basis(policy, c.id)),
                name: c.name.clone(),
                description: c.description.clone(),
                consent_mode: c.consent_mode.clone(),
                services: c
                    .services
                    .iter()
                    .map(|s| PageService {
                        id: s.id.clone(),
                        name: s.name.clone().unwrap_or_default(),
                        provider: s.provider.clone(),
                        purpose: s.purpose.clone(),
                        cookies: s
                            .cookies
                            .iter()
                            .map(|k| PageCookie {
                                name: k.name.clone(),
                                storage: k.storage,
                                domain: k.domain.clone(),
                                path: k.path.clone(),
                                lifetime: k.lifetime.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let changes = material.map(|(since, d)| PageChanges {
            since,
            purposes: d
                .added_consent_purposes
                .iter()
                .chain(&d.changed_consent_purposes)
                .filter_map(|id| policy.purposes.iter().find(|p| &p.id == id))
                .map(|p| p.name.clone())
                .collect(),
            recipients: d
                .added_subprocessors
                .iter()
                .chain(&d.changed_transfers)
                .filter_map(|name| policy.subprocessors.iter().find(|s| &s.name == name))
                .map(|s| PageRecipient {
                    name: s.name.clone(),
                    country: s.countries().collect::<Vec<_>>().join(", "),
                })
                .collect(),
        });
        PageConfig {
            policy: policy.id.clone(),
            revision: policy.revision,
            hash: content_hash(policy),
            controller: Controller::of(policy),
            jurisdiction: Controller::jurisdiction(policy),
            texts: ui_languages(policy)
                .into_iter()
                .map(|l| (l.to_owned(), texts_hash(policy, l)))
                .collect(),
            widget_version: env!("CARGO_PKG_VERSION").to_owned(),
            consent_revision: consent,
            lifetime_days: policy
                .consent_lifetime
                .as_deref()
                .and_then(super::lifetime_days)
                .unwrap_or(DEFAULT_LIFETIME_DAYS),
            languages: policy.languages.clone(),
            categories,
            lang: lang.map(str::to_owned),
            changes,
            records: None,
            account: None,
            floating_button: None,
            reload_on_withdrawal: None,
        }
    }

    /// [`page_config`] as JSON.
    pub fn widget_config(policy: &Policy, earlier: &[Policy], lang: Option<&str>) -> Value {
        serde_json::to_value(page_config(policy, earlier, lang)).unwrap_or(Value::Null)
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
