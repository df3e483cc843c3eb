//! The one error type of the browser adapters.
//!
//! Anything the host page controls (blocked storage, a missing `<body>`, a
//! hostile prototype override) can fail; each failure is a variant here, reported
//! on the console by the embed layer, and never a panic: a third-party widget must
//! not throw into its host page.

use std::fmt;

use wasm_bindgen::{JsCast, JsValue};

/// A failure of a browser capability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// There is no `window` or `document` (not a browser page).
    NoDocument,
    /// The page has no `<body>` to attach the widget to.
    NoBody,
    /// A store (`"cookie"` or `"localStorage"`) cannot be read or written:
    /// disabled, sandboxed or blocked by the browser or the host page.
    StorageBlocked {
        /// Which store.
        store: &'static str,
        /// What the browser said.
        reason: String,
    },
    /// The browser accepted a cookie write without an error but did not keep it
    /// (cookies disabled for this site).
    CookieNotKept,
    /// A stored value could not be decoded; it is ignored and the user asked again.
    StoredValueInvalid(String),
    /// The page's `#assent-config` cannot be used; the defaults apply.
    Config(String),
    /// The loader's bridge could not be told about a decision.
    Bridge(String),
    /// A DOM operation failed.
    Dom {
        /// What the widget was doing.
        action: &'static str,
        /// What the browser said.
        reason: String,
    },
}

impl Error {
    /// A [`Error::StorageBlocked`] from a JavaScript exception.
    pub fn storage(store: &'static str, js: JsValue) -> Error {
        Error::StorageBlocked {
            store,
            reason: describe(&js),
        }
    }

    /// A [`Error::Dom`] from a JavaScript exception.
    pub fn dom(action: &'static str, js: JsValue) -> Error {
        Error::Dom {
            action,
            reason: describe(&js),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoDocument => f.write_str("no window or document: not running in a web page"),
            Error::NoBody => f.write_str("the page has no <body> to attach the consent UI to"),
            Error::StorageBlocked { store, reason } => {
                write!(f, "{store} is not available ({reason}); the choice applies to this page view only")
            }
            Error::CookieNotKept => {
                f.write_str("the browser did not keep the consent cookie (cookies disabled?)")
            }
            Error::StoredValueInvalid(e) => write!(f, "{e}; asking again"),
            Error::Bridge(e) => write!(f, "cannot hand the decision to the loader: {e}"),
            Error::Config(reason) => {
                write!(f, "ignoring #assent-config ({reason}); using the defaults")
            }
            Error::Dom { action, reason } => write!(f, "could not {action}: {reason}"),
        }
    }
}

impl std::error::Error for Error {}

/// A one-line description of a thrown JavaScript value (`DOMException`, `Error`,
/// string or anything else).
pub fn describe(js: &JsValue) -> String {
    if let Some(err) = js.dyn_ref::<js_sys::Error>() {
        let name = String::from(err.name());
        let message = String::from(err.message());
        return format!("{name}: {message}");
    }
    js.as_string()
        .unwrap_or_else(|| "an unknown JavaScript exception".to_owned())
}
