//! The language the consent UI speaks on a page view.
//!
//! One rule for the widget (`src/embed/config.rs` `language`) and the
//! loader's chunks (`www/loader/lang.js`, its JavaScript twin), held together
//! by the shared vectors (`tests/vectors/language.json`, [`crate::vectors`]):
//!
//! 1. The policy **offers** its `languages` the UI has words for
//!    ([`Texts::ALL`]: English, French, German), in its order (its default
//!    first); a policy that lists none of them (or no languages at all)
//!    offers them all, so the visitor still gets the UI in their language.
//! 2. The visitor's **wishes**, in this order: the page configuration's `lang`
//!    (a page in one language), `<html lang>` (a single-page app's current
//!    language), the browser's languages. The first whose primary subtag
//!    ([`Texts::find`]: `fr-CA`, `FR`, `fr_FR` and ` fr ` are French) is
//!    offered is spoken.
//! 3. Else the first language offered: the policy's default when the UI
//!    speaks it, else the first of its languages the UI speaks, else English.

use crate::texts::Texts;

/// A BCP 47 tag's primary subtag: what comes before the first `-` or `_`,
/// ASCII whitespace around the tag ignored as HTML does (` fr-CA` → `fr`);
/// compare it ignoring ASCII case. Every lookup of words by language (the
/// UI's [`Texts::find`], the notice's labels) reads tags this way.
pub fn primary_subtag(tag: &str) -> &str {
    tag.trim_matches(|c: char| c.is_ascii_whitespace())
        .split(['-', '_'])
        .next()
        .unwrap_or("")
}

/// The languages the UI may speak under a policy whose `languages` are
/// `policy` (its default first): those the UI has words for, in the policy's
/// order, each once; every language of the UI when the policy lists none of
/// them. Never empty.
pub fn offered<S: AsRef<str>>(policy: &[S]) -> Vec<&'static Texts> {
    let mut offered: Vec<&'static Texts> = Vec::with_capacity(Texts::ALL.len());
    for texts in policy.iter().filter_map(|l| Texts::find(l.as_ref())) {
        if !offered.iter().any(|o| o.lang == texts.lang) {
            offered.push(texts);
        }
    }
    if offered.is_empty() {
        offered.extend(Texts::ALL);
    }
    offered
}

/// The language to speak: the first of `wishes` (the configuration's `lang`,
/// `<html lang>`, then the browser's languages, most wanted first) that the
/// policy [`offered`] under its `languages`, `policy`; else the first language
/// it offers (see the module docs).
pub fn choose<'a, S: AsRef<str>>(
    wishes: impl IntoIterator<Item = &'a str>,
    policy: &[S],
) -> &'static Texts {
    let offered = offered(policy);
    wishes
        .into_iter()
        .filter_map(Texts::find)
        .find(|wish| offered.iter().any(|o| o.lang == wish.lang))
        .unwrap_or(offered[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speak(wishes: &[&str], policy: &[&str]) -> &'static str {
        choose(wishes.iter().copied(), policy).lang
    }

    #[test]
    fn the_first_wish_the_policy_offers_is_spoken() {
        assert_eq!(speak(&["de", "fr"], &["en", "fr"]), "fr");
        assert_eq!(speak(&["fr-CA"], &["en", "fr"]), "fr");
        assert_eq!(speak(&["DE_at"], &[]), "de");
        assert_eq!(speak(&[" fr\n"], &["en", "fr"]), "fr");
    }

    #[test]
    fn without_a_wish_offered_the_policy_default_is_spoken() {
        assert_eq!(speak(&["it", "es"], &["fr", "en"]), "fr");
        assert_eq!(speak(&[], &[]), "en");
        // A default the UI has no words for: the policy's first it has.
        assert_eq!(speak(&["it"], &["es", "de", "fr"]), "de");
    }

    #[test]
    fn a_policy_in_no_language_of_the_ui_offers_them_all() {
        assert_eq!(speak(&["it", "de"], &["es", "it"]), "de");
        assert_eq!(speak(&["it"], &["es"]), "en");
        assert_eq!(
            offered(&["es"]).iter().map(|t| t.lang).collect::<Vec<_>>(),
            ["en", "fr", "de", "da", "sk"]
        );
    }

    #[test]
    fn offered_keeps_the_policy_order_once_each() {
        let langs: Vec<_> = offered(&["fr-FR", "es", "en", "fr"])
            .iter()
            .map(|t| t.lang)
            .collect();
        assert_eq!(langs, ["fr", "en"]);
    }
}
