//! The page's configuration of the widget, `#assent-config`, written from the
//! site's policy (`cargo xtask policy config`, the preview does it for its
//! pages; format in `docs/consent-manager.md`):
//!
//! ```html
//! <script type="application/json" id="assent-config">
//!   {"policy": "pix2clip", "revision": 2, "consent-revision": 2, "lifetime-days": 182,
//!    "languages": ["en", "fr"], "categories": [{"id": "analytics", "name": {"en": "…"}, …}],
//!    "changes": {"since": 1, "purposes": [{"en": "…"}], "recipients": [{"name": "…", "country": "US"}]}}
//! </script>
//! ```
//!
//! The loader reads the same element. Without it every category is offered
//! with default words. A broken configuration is reported and the defaults are
//! used: the banner always shows, and nothing is granted by a broken file.

use assent_core::policy::page::PageConfig;
use assent_core::policy::Text;
use assent_core::{Category, Rules};

use crate::platform::dom;
use crate::ui::{CategoryText, Changes, ServiceText, Texts, UiConfig, Words};
use crate::Error;

/// Id of the configuration element.
pub const CONFIG_ID: &str = "assent-config";

/// Everything the page's configuration says.
#[derive(Clone, Debug, Default)]
pub struct SiteConfig {
    /// Validity rules of stored decisions.
    pub rules: Rules,
    /// What the UI offers.
    pub ui: UiConfig,
    /// The language the page forces, if any.
    pub lang: Option<String>,
}

/// The configuration of the current page, or the defaults with the error.
pub fn read() -> (SiteConfig, Option<Error>) {
    let element = dom::document()
        .ok()
        .and_then(|d| d.get_element_by_id(CONFIG_ID));
    let Some(element) = element else {
        return (SiteConfig::default(), None);
    };
    match parse(&element.text_content().unwrap_or_default()) {
        Ok(config) => (config, None),
        Err(reason) => (SiteConfig::default(), Some(Error::Config(reason))),
    }
}

/// Parses the configuration JSON: `JSON.parse`, then serde-wasm-bindgen into
/// core's model, [`PageConfig`] (lenient: every field may be left out and
/// takes its default, unknown fields are ignored; see its module docs).
pub fn parse(json: &str) -> Result<SiteConfig, String> {
    let value = js_sys::JSON::parse(json).map_err(|e| crate::error::describe(&e))?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err("the configuration is not a JSON object".into());
    }
    let page: PageConfig = serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())?;
    site_config(page)
}

/// What the widget takes from the page's configuration.
fn site_config(page: PageConfig) -> Result<SiteConfig, String> {
    let rules = Rules {
        revision: page.revision,
        consent_revision: page.consent_revision,
        lifetime_days: page.lifetime_days,
    };
    let languages = assent_core::language::offered(&page.languages);
    let fallback = page
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| "en".to_owned());

    let mut categories = Vec::new();
    for item in page.categories {
        let mut services = Vec::new();
        for s in item.services {
            if !assent_core::is_service_id(&s.id) {
                return Err(format!(
                    "`{}` cannot be a service id (letters, digits, - and _)",
                    s.id
                ));
            }
            services.push(ServiceText {
                provider: if s.provider.is_empty() {
                    s.id.clone()
                } else {
                    s.provider
                },
                name: given(s.name),
                id: s.id,
                purpose: words(s.purpose),
                cookies: s
                    .cookies
                    .into_iter()
                    .map(|k| (k.name, k.lifetime))
                    .collect(),
            });
        }
        categories.push(CategoryText {
            category: item.id,
            name: given(item.name),
            description: given(item.description),
            services,
        });
    }
    // Strictly necessary first, then the UI's order; the first entry of a
    // category wins (ordered by walking Category::ALL: no sort in the wasm).
    let mut ordered: Vec<CategoryText> = Category::ALL
        .into_iter()
        .filter_map(|c| {
            let position = categories.iter().position(|e| e.category == c);
            match (c, position) {
                (_, Some(i)) => Some(categories.swap_remove(i)),
                (Category::Necessary, None) => Some(CategoryText {
                    category: c,
                    name: None,
                    description: None,
                    services: Vec::new(),
                }),
                _ => None,
            }
        })
        .collect();
    if ordered.len() == 1 {
        ordered = UiConfig::default().categories;
    }
    let categories = ordered;

    let changes = page.changes.map(|changes| Changes {
        purposes: changes.purposes.into_iter().map(words).collect(),
        recipients: changes
            .recipients
            .into_iter()
            .map(|r| {
                if r.country.is_empty() {
                    r.name
                } else {
                    format!("{} ({})", r.name, r.country)
                }
            })
            .collect(),
    });
    Ok(SiteConfig {
        rules,
        ui: UiConfig {
            languages,
            fallback,
            categories,
            changes,
            records: page.records.is_some_and(|r| !r.is_empty()),
        },
        lang: page.lang,
    })
}

/// A text as the UI keeps it.
fn words(text: Text) -> Words {
    Words(text.0.into_iter().collect())
}

/// A text the site gives; none when it gives none (the UI's own words).
fn given(text: Text) -> Option<Words> {
    (!text.0.is_empty()).then(|| words(text))
}

/// The language to speak (core's rule, `assent_core::language::choose`, which
/// the loader's `lang.js` restates): the first of the page's forced language,
/// `<html lang>` and the browser's languages that the policy offers; else the
/// first it offers.
pub fn language(config: &SiteConfig) -> &'static Texts {
    let document = dom::document().ok();
    let html_lang = document
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"));
    let browser: Vec<String> = dom::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default();
    // `ui.languages` is what the policy offers (its languages the UI speaks,
    // or all of them), which core reads as the policy's own list would be.
    let offered: Vec<&str> = config.ui.languages.iter().map(|t| t.lang).collect();
    let wishes = config
        .lang
        .iter()
        .chain(html_lang.iter())
        .chain(browser.iter())
        .map(String::as_str);
    assent_core::language::choose(wishes, &offered)
}
