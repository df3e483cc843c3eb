//! The page's configuration of the widget: which language, and the site's own
//! categories with their names and descriptions, from its policy.
//!
//! ```html
//! <script type="application/json" id="assent-config">
//!   {"lang": "fr", "categories": [{"id": "necessary", "name": "…", "description": "…"}, …]}
//! </script>
//! ```
//!
//! The policy preview writes this element from the policy file. Without it, the
//! language is `<html lang>` and every category is offered with default words.
//! A broken configuration is reported and the defaults are used: the banner
//! always shows.

use assent_core::Category;
use wasm_bindgen::JsValue;

use crate::platform::dom;
use crate::ui::{CategoryText, Texts, UiConfig};
use crate::Error;

/// Id of the configuration element.
pub const CONFIG_ID: &str = "assent-config";

/// The configuration of the current page, or the defaults with the error.
pub fn read() -> (UiConfig, Option<Error>) {
    let lang = page_language();
    let defaults = || UiConfig::defaults(Texts::for_language(&lang));
    let element = dom::document()
        .ok()
        .and_then(|d| d.get_element_by_id(CONFIG_ID));
    let Some(element) = element else {
        return (defaults(), None);
    };
    match parse(&element.text_content().unwrap_or_default(), &lang) {
        Ok(config) => (config, None),
        Err(reason) => (defaults(), Some(Error::Config(reason))),
    }
}

/// The page's language: `<html lang>`, else English.
fn page_language() -> String {
    dom::document()
        .ok()
        .and_then(|d| d.document_element())
        .and_then(|html| html.get_attribute("lang"))
        .unwrap_or_else(|| "en".to_owned())
}

fn parse(json: &str, page_lang: &str) -> Result<UiConfig, String> {
    let value = js_sys::JSON::parse(json).map_err(|e| crate::error::describe(&e))?;
    if !value.is_object() {
        return Err("the configuration is not a JSON object".into());
    }
    let lang = string(&value, "lang").unwrap_or_else(|| page_lang.to_owned());
    let texts = Texts::for_language(&lang);
    let list = get(&value, "categories");
    if list.is_undefined() {
        return Ok(UiConfig::defaults(texts));
    }
    if !js_sys::Array::is_array(&list) {
        return Err("`categories` is not an array".into());
    }
    let list = js_sys::Array::from(&list);
    let mut categories = Vec::new();
    for item in list.iter() {
        let id = string(&item, "id").ok_or("a category has no `id`")?;
        let category = Category::from_key(&id).ok_or_else(|| format!("unknown category `{id}`"))?;
        let (default_name, default_description) = texts.category(category);
        categories.push(CategoryText {
            category,
            name: string(&item, "name").unwrap_or_else(|| default_name.to_owned()),
            description: string(&item, "description")
                .unwrap_or_else(|| default_description.to_owned()),
        });
    }
    if !categories.iter().any(|c| c.category == Category::Necessary) {
        let (name, description) = texts.category(Category::Necessary);
        categories.push(CategoryText {
            category: Category::Necessary,
            name: name.to_owned(),
            description: description.to_owned(),
        });
    }
    categories.sort_by_key(|c| c.category);
    categories.dedup_by_key(|c| c.category);
    Ok(UiConfig { texts, categories })
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}
