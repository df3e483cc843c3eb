//! `localStorage`, with every failure as an error value.
//!
//! Reading `window.localStorage` itself throws `SecurityError` when storage is
//! blocked (third-party iframe, privacy settings, sandbox); writes throw
//! `QuotaExceededError`. Unlike gloo-storage, nothing here panics on that.

use web_sys::Storage;

use crate::dom;
use crate::Error;

const STORE: &str = "localStorage";

fn local() -> Result<Storage, Error> {
    let blocked = |reason: &str| Error::StorageBlocked {
        store: STORE,
        reason: reason.to_owned(),
    };
    dom::window()?
        .local_storage()
        .map_err(|e| Error::storage(STORE, e))?
        .ok_or_else(|| blocked("the browser provides none"))
}

/// The value stored under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, Error> {
    local()?.get_item(key).map_err(|e| Error::storage(STORE, e))
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), Error> {
    local()?
        .set_item(key, value)
        .map_err(|e| Error::storage(STORE, e))
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), Error> {
    local()?
        .remove_item(key)
        .map_err(|e| Error::storage(STORE, e))
}
