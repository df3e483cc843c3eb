//! The wasm-bindgen glue of the widget (`assent.js`) and of the panel
//! (`assent-panel.js`), after wasm-bindgen writes it:
//!
//! - **Trusted Types.** Leptos writes its components' static templates with
//!   `innerHTML`, which a page enforcing Trusted Types
//!   (`require-trusted-types-for 'script'`) refuses from a plain string. The
//!   glue's one `innerHTML` import goes through a policy only that module
//!   holds (`assent-widget`, `assent-panel`; docs/loader.md, "Trusted
//!   Types"), so the page allows it by name. Nothing else in the wasm writes
//!   markup: no component sets `inner_html`.
//! - **Minified.** Trunk writes the widget's glue and does not minify it (its
//!   `minify` setting covers the pages and the CSS). The trunk post-build hook
//!   (`cargo xtask preview`) minifies it in place with esbuild in release
//!   builds, as `xtask/src/panel.rs` does the panel's glue: 8.3 KiB gzip
//!   become 5.9 KiB of the widget's size budget. Debug builds (`cargo xtask
//!   serve`) keep it readable.

use std::path::Path;

use crate::root;
use crate::run::{cmd, status};

/// The glue's file name, in the site's root.
pub const FILE: &str = "assent.js";

/// The widget's Trusted Types policy.
pub const WIDGET_POLICY: &str = "assent-widget";

/// What wasm-bindgen 0.2.130 writes for `Element::set_inner_html`.
const INNER_HTML: &str = ".innerHTML = getStringFromWasm0(";

/// The function the rewritten import calls.
const TRUSTED_HTML: &str = "assentTrustedHTML";

/// `glue` with its `innerHTML` writes through the Trusted Types policy
/// `policy`; unchanged if already rewritten, minified or not (the hook runs
/// again over a built site). Fails when the glue has no such write:
/// wasm-bindgen changed how it writes one, and this must follow.
pub fn trust_html(glue: &str, policy: &str) -> Result<String, String> {
    if glue.contains(&format!("createPolicy(\"{policy}\"")) {
        return Ok(glue.to_owned());
    }
    let writes = glue.matches(INNER_HTML).count();
    if writes == 0 {
        return Err(format!(
            "the glue has no `{INNER_HTML}…`: see how this wasm-bindgen writes innerHTML (xtask/src/glue.rs)"
        ));
    }
    let mut out = String::with_capacity(glue.len() + 400);
    out.push_str(&format!(
        "// Trusted Types: the components' static templates, through the policy\n\
         // \"{policy}\" that only this module holds (docs/loader.md).\n\
         let assentHtmlPolicy;\n\
         const {TRUSTED_HTML} = (html) =>\n  \
         self.trustedTypes\n    \
         ? (assentHtmlPolicy ||= trustedTypes.createPolicy(\"{policy}\", {{ createHTML: String }})).createHTML(html)\n    \
         : html;\n\n"
    ));
    // `X.innerHTML = getStringFromWasm0(a, b);` -> `X.innerHTML = assentTrustedHTML(getStringFromWasm0(a, b));`
    let mut rest = glue;
    while let Some(at) = rest.find(INNER_HTML) {
        let args_start = at + INNER_HTML.len();
        let close = rest[args_start..]
            .find(')')
            .ok_or("an innerHTML write without its closing parenthesis")?
            + args_start;
        out.push_str(&rest[..at]);
        out.push_str(".innerHTML = ");
        out.push_str(TRUSTED_HTML);
        out.push_str("(getStringFromWasm0(");
        out.push_str(&rest[args_start..=close]);
        out.push(')');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Rewrites `site/assent.js` for Trusted Types, in place; does nothing when
/// the site has none.
pub fn trust(site: &Path) -> Result<(), String> {
    let glue = site.join(FILE);
    let Ok(text) = std::fs::read_to_string(&glue) else {
        return Ok(());
    };
    let trusted = trust_html(&text, WIDGET_POLICY)?;
    std::fs::write(&glue, trusted).map_err(|e| format!("{}: {e}", glue.display()))
}

/// Minifies `site/assent.js` in place; does nothing when the site has none.
pub fn minify(site: &Path) -> Result<(), String> {
    let glue = site.join(FILE);
    if !glue.exists() {
        return Ok(());
    }
    let mut outfile = std::ffi::OsString::from("--outfile=");
    outfile.push(&glue);
    status(
        cmd(root().join("node_modules/.bin/esbuild"))
            .arg(&glue)
            .args([
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--allow-overwrite",
                "--log-level=warning",
            ])
            .arg(outfile),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str =
        "x: function(arg0, arg1, arg2) {\n    arg0.innerHTML = getStringFromWasm0(arg1, arg2);\n},";

    #[test]
    fn every_inner_html_write_goes_through_the_policy_once() {
        let trusted = trust_html(GLUE, "assent-widget").unwrap();
        assert!(
            trusted.contains("arg0.innerHTML = assentTrustedHTML(getStringFromWasm0(arg1, arg2));")
        );
        assert!(trusted.contains("createPolicy(\"assent-widget\""));
        assert_eq!(trust_html(&trusted, "assent-widget").unwrap(), trusted);
        // Minified, the helper's name is gone; the policy's is not.
        let minified = "e.innerHTML=q(u(n,t));trustedTypes.createPolicy(\"assent-widget\",{createHTML:String})";
        assert_eq!(trust_html(minified, "assent-widget").unwrap(), minified);
        assert!(trust_html("nothing here", "assent-widget").is_err());
    }
}
