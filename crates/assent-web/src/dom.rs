//! Access to the page's `window` and `document` as `Result`s.

use web_sys::{Document, Window};

use crate::Error;

/// The page's window.
pub fn window() -> Result<Window, Error> {
    web_sys::window().ok_or(Error::NoDocument)
}

/// The page's document.
pub fn document() -> Result<Document, Error> {
    window()?.document().ok_or(Error::NoDocument)
}

/// Whether the page was served over HTTPS (cookies then get `Secure`).
pub fn is_secure_context() -> bool {
    window().map(|w| w.is_secure_context()).unwrap_or(false)
}
