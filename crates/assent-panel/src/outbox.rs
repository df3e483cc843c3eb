//! Changes sent but not yet answered, kept in `localStorage`
//! (`assent.panel.outbox`), so a page closed mid-request loses nothing: the
//! next mount for the same account sends them again under the same
//! idempotency key, and the server carries each out once. Blocked storage
//! only loses that resend; the call itself goes ahead.

use assent_web::storage;
use serde::{Deserialize, Serialize};

const KEY: &str = "assent.panel.outbox";

/// One change waiting for its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// The account it was made for (never resent for another).
    pub account: String,
    /// Its idempotency key.
    pub key: String,
    /// `POST` or `DELETE`.
    pub method: String,
    /// The path under the API base.
    pub path: String,
    /// The JSON body, as text.
    pub body: Option<String>,
}

/// Every change waiting, oldest first.
pub fn all() -> Vec<Pending> {
    let Ok(Some(text)) = storage::get(KEY) else {
        return Vec::new();
    };
    js_sys::JSON::parse(&text)
        .ok()
        .and_then(|v| serde_wasm_bindgen::from_value(v).ok())
        .unwrap_or_default()
}

/// Adds `pending` (once per key).
pub fn put(pending: &Pending) {
    let mut list = all();
    if list.iter().all(|p| p.key != pending.key) {
        list.push(pending.clone());
        save(&list);
    }
}

/// Removes the change with `key`.
pub fn take(key: &str) {
    let mut list = all();
    let before = list.len();
    list.retain(|p| p.key != key);
    if list.len() != before {
        save(&list);
    }
}

fn save(list: &[Pending]) {
    if list.is_empty() {
        let _ = storage::remove(KEY);
        return;
    }
    let text = serde_wasm_bindgen::to_value(list)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string());
    if let Some(text) = text {
        let _ = storage::set(KEY, &text);
    }
}

/// A new idempotency key (a random UUID; a time-based one where the browser
/// has no `crypto.randomUUID`).
pub fn new_key() -> String {
    assent_web::http::random_uuid().unwrap_or_else(|| {
        let now = js_sys::Date::now();
        let noise = js_sys::Math::random();
        format!("k-{now}-{}", noise.to_bits())
    })
}
