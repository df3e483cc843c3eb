//! `language.json`: the language the consent UI speaks (`language::choose`)
//! from the configuration's `lang`, `<html lang>`, the browser's languages and
//! the policy's `languages`. Twin: `www/loader/lang.js` `chooseLanguage`
//! (`tests/loader/language.test.mjs`).

use serde_json::{json, Value};

use crate::language;

/// One page view: its name, the configuration's `lang`, `<html lang>`, the
/// browser's languages and the policy's languages.
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

const EN_FR: &[&str] = &["en", "fr"];
const ALL: &[&str] = &["en", "fr", "de"];

const CASES: &[Case] = &[
    ("nothing known: English", None, None, &[], &[]),
    (
        "Danish, from the browser",
        None,
        None,
        &["da-DK", "en"],
        &["en", "da"],
    ),
    (
        "Slovak, from <html lang>",
        None,
        Some("sk"),
        &["cs", "en"],
        &["sk", "en"],
    ),
    ("the browser's language", None, None, &["fr"], EN_FR),
    (
        "the browser's first language offered",
        None,
        None,
        &["it", "de", "fr"],
        ALL,
    ),
    (
        "a region or script is ignored",
        None,
        None,
        &["fr-CA"],
        EN_FR,
    ),
    ("three subtags", None, None, &["en-Latn-US"], &["fr", "en"]),
    (
        "<html lang> before the browser",
        None,
        Some("fr"),
        &["de"],
        ALL,
    ),
    (
        "the configuration's lang before <html lang>",
        Some("de"),
        Some("fr"),
        &["en"],
        ALL,
    ),
    (
        "a lang the policy does not offer is passed over",
        Some("de"),
        Some("fr"),
        &["en"],
        EN_FR,
    ),
    (
        "an <html lang> the UI does not speak is passed over",
        None,
        Some("es"),
        &["de"],
        ALL,
    ),
    (
        "empty lang and <html lang> are passed over",
        Some(""),
        Some(""),
        &["de"],
        ALL,
    ),
    (
        "no wish offered: the policy's default",
        None,
        None,
        &["it", "es"],
        &["fr", "en"],
    ),
    (
        "no wish at all: the policy's default",
        None,
        None,
        &[],
        &["de", "fr"],
    ),
    (
        "a default the UI cannot speak: the policy's first it can",
        None,
        None,
        &["it"],
        &["es", "de", "fr"],
    ),
    (
        "a policy in no language of the UI: the visitor's",
        None,
        None,
        &["it", "de"],
        &["es", "it"],
    ),
    (
        "a policy in no language of the UI, no wish: English",
        None,
        None,
        &["it"],
        &["es"],
    ),
    (
        "no policy languages: any the UI speaks",
        None,
        None,
        &["de"],
        &[],
    ),
    (
        "no policy languages, no wish: English",
        None,
        Some("pt-BR"),
        &["ja"],
        &[],
    ),
    (
        "policy languages with regions",
        None,
        None,
        &["en-US"],
        &["fr-FR", "en-GB"],
    ),
    (
        "a policy language listed twice",
        None,
        None,
        &["en"],
        &["fr", "fr-CA", "en"],
    ),
    ("upper case", None, Some("FR"), &[], ALL),
    ("mixed case with an underscore", None, None, &["De_aT"], ALL),
    (
        "ASCII whitespace around a tag is ignored",
        Some(" fr\t"),
        None,
        &[],
        ALL,
    ),
    (
        "a line break in <html lang> is ignored",
        None,
        Some("\nde\r\n"),
        &[],
        ALL,
    ),
    (
        "a no-break space is not whitespace",
        Some("\u{a0}de"),
        None,
        &[],
        &["fr", "de"],
    ),
    (
        "a vertical tab is not whitespace",
        None,
        Some("\u{b}de"),
        &[],
        &["fr", "de"],
    ),
    (
        "whitespace inside a tag",
        None,
        Some("de -AT"),
        &[],
        &["fr", "de"],
    ),
    ("a trailing hyphen", None, Some("de-"), &[], &["fr", "de"]),
    ("no primary subtag", None, Some("-de"), &[], &["fr", "de"]),
    (
        "a longer word is not a language",
        None,
        None,
        &["english", "deu", "f"],
        &["fr", "en"],
    ),
    (
        "a language the UI does not speak",
        None,
        None,
        &["zh-Hant-TW"],
        &["fr", "de"],
    ),
    ("wildcard", None, None, &["*"], &["de", "en"]),
];

/// Every case, as the JSON document written to `tests/vectors/language.json`.
pub fn generate() -> Value {
    let cases: Vec<Value> = CASES
        .iter()
        .map(|(name, lang, html_lang, browser, languages)| {
            let wishes = lang.iter().chain(html_lang.iter()).chain(browser.iter());
            json!({
                "name": name,
                "lang": lang,
                "html-lang": html_lang,
                "browser": browser,
                "languages": languages,
                "language": language::choose(wishes.copied(), languages).lang,
                "offered": language::offered(languages).iter().map(|t| t.lang).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "about": super::about("language"),
        "ui-languages": crate::texts::Texts::ALL.iter().map(|t| t.lang).collect::<Vec<_>>(),
        "cases": cases,
    })
}
