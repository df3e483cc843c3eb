//! What the host app passes to `mount(element, options)`.
//!
//! Plain data (the API's base URL, the language) is read with
//! serde-wasm-bindgen; the callbacks (the CSRF value, the bearer token, the
//! loader's consent bridge) stay JavaScript values and are called through
//! [`crate::api`] and [`ConsentBridge`]. Nothing here throws: a missing or
//! mistyped field takes its default.

use js_sys::{Function, Reflect};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

/// The default base URL of the rights API (the reference server behind a
/// site's `/api/` proxy).
pub const DEFAULT_API: &str = "/api/rights/v1";

/// The options' plain data.
#[derive(Debug, Default, Deserialize)]
struct Plain {
    #[serde(default)]
    api: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// How the panel proves who is calling.
#[derive(Clone)]
pub enum Auth {
    /// Same-origin cookies; changes carry this CSRF value (a string, or a
    /// function returning one, asked at each call).
    Cookies(Option<JsValue>),
    /// `Authorization: Bearer …` from this callback (a string or a promise
    /// of one), asked again after a 401.
    Bearer(Function),
}

/// The options, read.
#[derive(Clone)]
pub struct Options {
    /// The rights API's base URL, without a trailing slash.
    pub api: String,
    /// The language asked for (the panel's texts fall back to English).
    pub lang: String,
    /// Credentials.
    pub auth: Auth,
    /// The loader's consent state and preferences, when mounted by the loader.
    pub consent: Option<ConsentBridge>,
}

impl Options {
    /// Reads `value` (an object, or anything else for the defaults);
    /// `page_lang` is the host page's `<html lang>`.
    pub fn read(value: &JsValue, page_lang: Option<String>) -> Options {
        let plain: Plain = serde_wasm_bindgen::from_value(value.clone()).unwrap_or_default();
        let field = |name: &str| {
            Reflect::get(value, &JsValue::from_str(name))
                .ok()
                .filter(|v| !v.is_undefined() && !v.is_null())
        };
        let auth = match field("token").and_then(|t| t.dyn_into::<Function>().ok()) {
            Some(token) => Auth::Bearer(token),
            None => Auth::Cookies(field("csrf")),
        };
        let api = plain
            .api
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API.to_owned());
        Options {
            api: api.trim_end_matches('/').to_owned(),
            lang: plain
                .lang
                .or(page_lang)
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "en".to_owned()),
            auth,
            consent: field("consent").map(ConsentBridge),
        }
    }
}

/// The loader's consent manager: `{ get(), open(), onChange(f) }`.
#[derive(Clone)]
pub struct ConsentBridge(JsValue);

impl ConsentBridge {
    fn method(&self, name: &str) -> Option<Function> {
        Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()?
            .dyn_into::<Function>()
            .ok()
    }

    /// Each category the site asks consent for and whether it is granted now
    /// (`Assent.getConsent().categories`, strictly necessary left out).
    pub fn categories(&self) -> Vec<(String, bool)> {
        let Some(state) = self.method("get").and_then(|f| f.call0(&self.0).ok()) else {
            return Vec::new();
        };
        let categories =
            Reflect::get(&state, &JsValue::from_str("categories")).unwrap_or(JsValue::UNDEFINED);
        if !categories.is_object() {
            return Vec::new();
        }
        let keys = js_sys::Object::keys(categories.unchecked_ref::<js_sys::Object>());
        keys.iter()
            .filter_map(|k| k.as_string())
            .filter(|k| k != "necessary")
            .map(|k| {
                let state = Reflect::get(&categories, &JsValue::from_str(&k))
                    .ok()
                    .and_then(|v| v.as_string());
                (k, state.as_deref() == Some("given"))
            })
            .collect()
    }

    /// Opens the consent preferences (the same dialog as the banner's).
    pub fn open(&self) -> bool {
        self.method("open")
            .is_some_and(|f| f.call0(&self.0).is_ok())
    }

    /// Calls `listener` after every consent change; the returned function
    /// unsubscribes.
    pub fn on_change(&self, listener: &Function) -> Option<Function> {
        self.method("onChange")?
            .call1(&self.0, listener)
            .ok()?
            .dyn_into::<Function>()
            .ok()
    }
}
