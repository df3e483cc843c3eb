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

use assent_core::{Category, Rules};
use wasm_bindgen::{JsCast, JsValue};

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

/// Parses the configuration JSON.
pub fn parse(json: &str) -> Result<SiteConfig, String> {
    let value = js_sys::JSON::parse(json).map_err(|e| crate::error::describe(&e))?;
    if !value.is_object() {
        return Err("the configuration is not a JSON object".into());
    }
    let defaults = Rules::default();
    let rules = Rules {
        revision: number(&value, "revision")?.unwrap_or(defaults.revision),
        consent_revision: number(&value, "consent-revision")?.unwrap_or(defaults.consent_revision),
        lifetime_days: number(&value, "lifetime-days")?.unwrap_or(defaults.lifetime_days),
    };
    let policy_languages: Vec<String> = list(&value, "languages")?
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    let mut languages: Vec<&'static Texts> = policy_languages
        .iter()
        .filter_map(|l| Texts::find(l))
        .collect();
    languages.dedup_by_key(|t| t.lang);
    if languages.is_empty() {
        languages = Texts::ALL.to_vec();
    }
    let fallback = policy_languages
        .first()
        .cloned()
        .unwrap_or_else(|| "en".to_owned());

    let mut categories = Vec::new();
    for item in list(&value, "categories")? {
        let id = string(&item, "id").ok_or("a category has no `id`")?;
        let category = Category::from_key(&id).ok_or_else(|| format!("unknown category `{id}`"))?;
        let mut services = Vec::new();
        for s in list(&item, "services")? {
            let id = string(&s, "id").ok_or("a service has no `id`")?;
            if !assent_core::is_service_id(&id) {
                return Err(format!(
                    "`{id}` cannot be a service id (letters, digits, - and _)"
                ));
            }
            services.push(ServiceText {
                provider: string(&s, "provider").unwrap_or_else(|| id.clone()),
                id,
                purpose: text(&s, "purpose").unwrap_or_default(),
            });
        }
        categories.push(CategoryText {
            category,
            name: text(&item, "name"),
            description: text(&item, "description"),
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

    let changes = get(&value, "changes");
    let changes = changes.is_object().then(|| Changes {
        purposes: list(&changes, "purposes")
            .unwrap_or_default()
            .iter()
            .filter_map(as_text)
            .collect(),
        recipients: list(&changes, "recipients")
            .unwrap_or_default()
            .iter()
            .filter_map(|r| {
                let name = string(r, "name")?;
                Some(match string(r, "country") {
                    Some(country) => format!("{name} ({country})"),
                    None => name,
                })
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
            records: string(&value, "records").is_some_and(|r| !r.is_empty()),
        },
        lang: string(&value, "lang"),
    })
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

fn number(object: &JsValue, key: &str) -> Result<Option<u32>, String> {
    let v = get(object, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Ok(Some(n as u32)),
        _ => Err(format!("`{key}` is not a whole number")),
    }
}

fn list(object: &JsValue, key: &str) -> Result<Vec<JsValue>, String> {
    let v = get(object, key);
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(&v) {
        return Err(format!("`{key}` is not an array"));
    }
    Ok(js_sys::Array::from(&v).iter().collect())
}

fn text(object: &JsValue, key: &str) -> Option<Words> {
    as_text(&get(object, key))
}

/// A text: a map language → string, or one string for every language.
fn as_text(v: &JsValue) -> Option<Words> {
    if let Some(s) = v.as_string() {
        return Some(Words(vec![(String::new(), s)]));
    }
    if !v.is_object() {
        return None;
    }
    let mut text = Words::default();
    for pair in js_sys::Object::entries(v.unchecked_ref()).iter() {
        let pair = js_sys::Array::from(&pair);
        if let (Some(lang), Some(words)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            text.0.push((lang, words));
        }
    }
    Some(text)
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
