// first.js: the first layer without the wasm. The banner's markup is the
// widget's own Leptos components rendered to HTML at build time, once per UI
// language (`crates/assent-prerender`, bundled in as `assent-first-layer`);
// this module mounts it the way the widget mounts itself (an `<assent-widget>`
// host first in <body>, an open shadow root, a constructed stylesheet, a
// render root) and fills in what varies per page, exactly as the wasm would
// render it for this page:
// - the languages of the switcher (the policy's, in its order; hidden when one),
// - the link to the privacy policy (`<link rel="privacy-policy">`),
// - the Global Privacy Control note,
// - what changed since the visitor's last decision (an outdated one).
// `tests/e2e/first-layer.test.mjs` compares the result with the banner the
// wasm mounts.
//
// The buttons are read from `data-action`, as the widget reads them: the
// caller decides what Accept all, Reject all and Customize do. Nothing here
// throws: `mountBanner` throws only while mounting, and its caller then lets
// the wasm show the banner instead.
import layer from "assent-first-layer";
import { offeredLanguages } from "./lang.js";
import { list, warn } from "./util.js";

const D = document;

// A text of the policy in `lang`, else in the policy's default language, else
// the first given (one string: every language). As the widget's `Words::get`.
const textIn = (text, lang, fallback) =>
  typeof text == "string" ? text : text && typeof text == "object" ? (text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? "") + "" : "";

// The items of "what changed": each new purpose, then each new recipient as
// "name (country)".
const changeItems = (cfg, lang, words) => {
  const changes = cfg.changes || {};
  const fallback = list(cfg.languages)[0] || "en";
  return [
    ...list(changes.purposes)
      .filter((p) => p && typeof p == "object" || typeof p == "string")
      .map((p) => words["new-purpose"] + ": " + textIn(p, lang, fallback)),
    ...list(changes.recipients)
      .filter((r) => typeof r?.name == "string")
      .map((r) => words["new-recipient"] + ": " + r.name + (typeof r.country == "string" ? " (" + r.country + ")" : "")),
  ];
};

// Fills the rendered banner in `root` for this page.
const fillIn = (root, page, lang) => {
  const q = (selector) => root.querySelector(selector);
  const switcher = q("select.lang");
  const offered = offeredLanguages(page.cfg.languages);
  const options = [...switcher.options];
  for (const option of options) option.remove();
  for (const l of offered) switcher.append(options.find((o) => o.value == l));
  if (offered.length < 2) switcher.hidden = true;
  const policy = D.querySelector("link[rel~='privacy-policy'][href]");
  if (policy) {
    const link = q("a[part=link]");
    link.setAttribute("href", policy.getAttribute("href"));
    link.hidden = false;
  }
  q(".gpc").hidden = !page.gpc;
  if (page.outdated) {
    q(".changes").hidden = false;
    for (const item of changeItems(page.cfg, lang, layer.banners[lang])) {
      const li = D.createElement("li");
      li.textContent = item;
      q(".changes ul").append(li);
    }
  }
};

// The banner's HTML in `lang`, through a Trusted Types policy where the page
// enforces them (a page whose CSP refuses the policy gets the wasm's banner).
let policy;
const html = (lang) => {
  const markup = layer.banners[lang].html;
  return self.trustedTypes ? (policy ||= trustedTypes.createPolicy("assent", { createHTML: (s) => s })).createHTML(markup) : markup;
};

// The stylesheet: constructed where the browser can (no `style-src` needed
// under CSP), else a <style> element.
const adoptStyles = (shadow) => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(layer.css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const style = D.createElement("style");
    style.textContent = layer.css;
    shadow.append(style);
  }
};

// The banner of each language: English comes with this chunk, the others
// each in a chunk of their own (`assent-banner-<lang>.js`), fetched with
// `fetchChunk(name)` (the loader's `chunk`) the first time they are needed.
const wordsFor = (lang, fetchChunk) =>
  layer.banners[lang] ? Promise.resolve() : fetchChunk("banner-" + lang).then((module) => (layer.banners[lang] = module.default));

// Mounts the banner for `page` = { cfg, lang, gpc, outdated } and calls
// `onAction(action, button)` for each press of a `[data-action]` button.
// Resolves to { host, root, lang() } where `lang()` is the language shown
// now; rejects if it cannot mount (nothing is left in the page then).
export const mountBanner = async (page, onAction, fetchChunk) => {
  let lang = layer.languages.includes(page.lang) ? page.lang : offeredLanguages(page.cfg.languages)[0];
  await wordsFor(lang, fetchChunk);
  const host = D.createElement("assent-widget");
  const shadow = host.attachShadow({ mode: "open" });
  const root = D.createElement("div");
  const render = () => {
    root.innerHTML = html(lang);
    fillIn(root, page, lang);
  };
  render();
  adoptStyles(shadow);
  shadow.append(root);
  // A language switch renders the banner afresh, focus staying on the switcher.
  root.addEventListener("change", (e) => {
    const chosen = e.target.value;
    if (!e.target.matches("select.lang") || !layer.languages.includes(chosen)) return;
    wordsFor(chosen, fetchChunk).then(() => {
      lang = chosen;
      render();
      root.querySelector("select.lang").focus();
    }, warn);
  });
  root.addEventListener("click", (e) => {
    const button = e.target.closest("[data-action]");
    if (button) onAction(button.dataset.action, button);
  });
  D.body.prepend(host);
  return { host, root, lang: () => lang };
};
