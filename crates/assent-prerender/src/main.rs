//! `assent-prerender`: the consent widget's first layer rendered to HTML at
//! build time, so that a first visit shows the banner, and takes Accept all,
//! Reject all and a one-click withdrawal, without downloading the wasm.
//!
//! It renders [`ConsentUi`] (feature `ssr`: the banner without the dialog, see
//! `src/ui/mod.rs`) natively with Leptos, once per UI language, with what does
//! not depend on the page: no decision, no policy link, no GPC note, no
//! changes, every language in the switcher. The loader's first layer
//! (`www/loader/first.js`) fills in what varies per page from `#assent-config`
//! (the policy link, the list of what changed, the GPC note, the site's
//! languages), and `tests/e2e/first-layer.test.mjs` fails if the result differs
//! from the banner the wasm mounts.
//!
//! Prints one JSON object to stdout, which `cargo xtask loader` bundles into
//! the first layer's chunk:
//! `{"css": "…", "banners": {"en": {"html": "…", "new-purpose": "…", "new-recipient": "…"}, …}}`.

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use assent::ui::{ConsentState, ConsentUi, UiConfig, BANNER_CSS};
use assent_core::texts::Texts;
use assent_core::Action;
use leptos::prelude::*;
use reactive_graph::diagnostics::SpecialNonReactiveZone;
use serde_json::{json, Map, Value};

/// Leptos' executor at build time: nothing runs after the render. Effects
/// (focus handling) are browser behaviour, and their futures are dropped, as
/// server rendering does.
struct RenderOnly;

impl CustomExecutor for RenderOnly {
    fn spawn(&self, _: PinnedFuture<()>) {}
    fn spawn_local(&self, _: PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// The banner in the language of `texts`, as the wasm would mount it on a
/// first visit of a page without a policy link.
fn banner_html(texts: &'static Texts) -> String {
    Owner::new().with(|| {
        // Signals are read once, outside any reactive context: what a render
        // to HTML does, and not the mistake Leptos' debug diagnostics look for.
        let _zone = SpecialNonReactiveZone::enter();
        let state = ConsentState::new(None, texts);
        let on_action = Callback::new(|_: Action| {});
        view! { <ConsentUi state=state on_action=on_action config=UiConfig::default() /> }.to_html()
    })
}

fn main() {
    if Executor::init_custom_executor(RenderOnly).is_err() {
        eprintln!("assent-prerender: an executor was already set");
        std::process::exit(1);
    }
    let banners: Map<String, Value> = Texts::ALL
        .into_iter()
        .map(|t| {
            let words = json!({
                "html": banner_html(t),
                "new-purpose": t.new_purpose,
                "new-recipient": t.new_recipient,
            });
            (t.lang.to_owned(), words)
        })
        .collect();
    println!("{}", json!({ "css": BANNER_CSS, "banners": banners }));
}
