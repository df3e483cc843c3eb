//! First-party cookies of the host page, through `document.cookie`.
//!
//! Reading or writing `document.cookie` throws in sandboxed documents, and a write
//! is silently dropped when cookies are disabled; [`write`] reads the cookie back
//! so that case is an error too.

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

use crate::dom;
use crate::Error;

const STORE: &str = "cookie";

/// How a cookie is written. Always `Path=/` and `SameSite=Lax`, host-only
/// (no `Domain`), `Secure` on HTTPS pages.
#[derive(Clone, Copy, Debug)]
pub struct CookieOptions {
    /// Lifetime in seconds (`Max-Age`); 0 deletes the cookie.
    pub max_age_s: u64,
}

fn html_document() -> Result<HtmlDocument, Error> {
    dom::document()?
        .dyn_into::<HtmlDocument>()
        .map_err(|_| Error::StorageBlocked {
            store: STORE,
            reason: "the document is not an HTML document".to_owned(),
        })
}

/// The value of the cookie called `name`, if the page has one.
pub fn read(name: &str) -> Result<Option<String>, Error> {
    let jar = html_document()?
        .cookie()
        .map_err(|e| Error::storage(STORE, e))?;
    Ok(find(&jar, name).map(str::to_owned))
}

/// Writes the cookie `name=value`. `value` must already be cookie-safe
/// (RFC 6265 `cookie-octet`).
pub fn write(name: &str, value: &str, options: CookieOptions) -> Result<(), Error> {
    let secure = if dom::is_secure_context() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{name}={value}; Max-Age={}; Path=/; SameSite=Lax{secure}",
        options.max_age_s
    );
    html_document()?
        .set_cookie(&cookie)
        .map_err(|e| Error::storage(STORE, e))?;
    if options.max_age_s > 0 && read(name)?.as_deref() != Some(value) {
        return Err(Error::CookieNotKept);
    }
    Ok(())
}

/// Finds `name` in a `document.cookie` string (`a=1; b=2`).
fn find<'a>(jar: &'a str, name: &str) -> Option<&'a str> {
    jar.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn finds_a_cookie_among_others() {
        let jar = "theme=dark; assent_consent=v1.a1m0p0.preferences.5; x=";
        assert_eq!(find(jar, "assent_consent"), Some("v1.a1m0p0.preferences.5"));
        assert_eq!(find(jar, "x"), Some(""));
        assert_eq!(find(jar, "consent"), None);
        assert_eq!(find("", "x"), None);
        assert_eq!(find("novalue", "novalue"), None);
    }
}
