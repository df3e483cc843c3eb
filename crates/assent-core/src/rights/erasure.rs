//! What a policy says about erasure and explicit consent: which data an
//! account's erasure keeps (GDPR Art 17(3)(b)), and the statement a person
//! affirms to give explicit consent (Art 9(2)(a)).

use crate::policy::model::{LegalBasis, Policy, Retention, SpecialProcessing};
use crate::policy::notice::labels;
use crate::policy::period::Period;

use super::model::Retained;

/// The data an erasure keeps: every data category of a retention rule whose
/// basis is `legal-obligation`, with that rule's period and reference (the
/// longest rule wins when several apply). Names are in `lang`, else the
/// policy's first language.
pub fn retained(policy: &Policy, lang: &str) -> Vec<Retained> {
    let fallback = policy.languages.first().map_or("en", String::as_str);
    let words = labels(lang);
    // Each kept category with its longest rule, then named in `lang`.
    let mut kept: Vec<(&String, &Retention)> = Vec::new();
    for rule in &policy.retention {
        if rule.basis != Some(LegalBasis::LegalObligation) {
            continue;
        }
        for data in &rule.data {
            match kept.iter_mut().find(|(d, _)| *d == data) {
                Some(existing) if days(rule) > days(existing.1) => existing.1 = rule,
                Some(_) => {}
                None => kept.push((data, rule)),
            }
        }
    }
    kept.into_iter()
        .map(|(data, rule)| Retained {
            data: data.clone(),
            name: policy
                .data
                .iter()
                .find(|d| &d.id == data)
                .map_or_else(|| data.clone(), |d| d.name.get(lang, fallback).to_owned()),
            period: words.periods.bound(&rule.period, rule.at_most),
            basis: LegalBasis::LegalObligation,
            reference: rule.reference.as_ref().map(|p| p.get(lang, fallback)),
            count: None,
        })
        .collect()
}

/// The longest a rule keeps data, in days, to pick the longest of several
/// rules; 0 for a period without a length.
fn days(rule: &Retention) -> u32 {
    Period::parse(&rule.period)
        .and_then(Period::max_days)
        .unwrap_or(0)
}

/// The special processing `id` of the policy.
pub fn special<'a>(policy: &'a Policy, id: &str) -> Option<&'a SpecialProcessing> {
    policy.special.iter().find(|s| s.id == id)
}

/// The statement to show for `special` in `lang`: the language it is in (the
/// requested one if the policy has it, else the policy's first) and its text.
/// `None` when the policy words no statement.
pub fn statement<'a>(
    policy: &'a Policy,
    special: &'a SpecialProcessing,
    lang: &str,
) -> Option<(&'a str, &'a str)> {
    let text = special.statement.as_ref()?;
    if let Some((language, words)) = text.0.get_key_value(lang) {
        return Some((language.as_str(), words.as_str()));
    }
    let fallback = policy.languages.first()?;
    text.0
        .get_key_value(fallback.as_str())
        .or_else(|| text.0.iter().next())
        .map(|(language, words)| (language.as_str(), words.as_str()))
}

/// Whether `shown` is the policy's statement for `special` in `lang`
/// (exactly, after trimming outer white space).
pub fn is_statement(special: &SpecialProcessing, lang: &str, shown: &str) -> bool {
    special
        .statement
        .as_ref()
        .and_then(|text| text.0.get(lang))
        .is_some_and(|words| words.trim() == shown.trim())
}

#[cfg(all(test, feature = "policy-text"))]
mod tests {
    use super::*;
    use crate::policy::parse::{check, Syntax};

    fn pix2clip() -> Policy {
        let source = include_str!("../../../../www/policies/pix2clip.toml");
        check(source, Syntax::Toml).expect("pix2clip.toml parses")
    }

    /// GDPR Art 17(3)(b): invoices outlive the account for the ten years of
    /// the French Commercial Code, connection logs for the year of the CPCE;
    /// nothing else is kept.
    #[test]
    fn art_17_3_b_an_erasure_keeps_only_what_a_law_requires() {
        let kept = retained(&pix2clip(), "en");
        let summary: Vec<(&str, &str)> = kept
            .iter()
            .map(|k| (k.data.as_str(), k.period.as_str()))
            .collect();
        assert_eq!(summary, [("billing", "10 years"), ("technical", "1 year")]);
        assert_eq!(
            kept[0].reference.as_deref(),
            Some("French Commercial Code Art. L123-22")
        );
        assert_eq!(kept[0].name, "Billing data");
        assert_eq!(
            retained(&pix2clip(), "fr")[0].name,
            "Données de facturation"
        );
    }

    #[test]
    fn the_longest_legal_rule_wins() {
        let mut policy = pix2clip();
        let billing = |policy: &Policy| retained(policy, "en")[0].period.clone();
        let mut rule = policy
            .retention
            .iter()
            .find(|r| r.data.contains(&"billing".to_owned()))
            .unwrap()
            .clone();
        for (period, kept) in [
            ("2 years", "10 years"),
            ("transaction", "10 years"),
            ("11 years", "11 years"),
        ] {
            rule.period = period.into();
            policy.retention.push(rule.clone());
            assert_eq!(billing(&policy), kept, "beside a rule of {period}");
            policy.retention.pop();
        }
        assert_eq!(retained(&policy, "fr")[0].period, "10 ans");
    }

    /// Art 9(2)(a): consent is to the exact statement shown, in its language.
    #[test]
    fn art_9_2_a_consent_is_to_the_policy_statement() {
        let policy = pix2clip();
        let voice = special(&policy, "voice-cloning").expect("voice cloning");
        let (lang, text) = statement(&policy, voice, "fr").unwrap();
        assert_eq!(lang, "fr");
        assert!(text.starts_with("Je donne mon consentement explicite"));
        assert!(is_statement(voice, "fr", text));
        assert!(
            !is_statement(voice, "en", text),
            "French text, English label"
        );
        assert!(!is_statement(voice, "fr", "J'accepte"));
        let (lang, _) = statement(&policy, voice, "de").unwrap();
        assert_eq!(
            lang, "en",
            "German falls back to the policy's first language"
        );
    }
}
