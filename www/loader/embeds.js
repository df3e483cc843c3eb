// embeds.js: the placeholders of held embeds (`<assent-placeholder>`), bundled
// by `cargo xtask loader` into the ES module `assent-embeds.js`. The loader
// hides a held iframe, embed, object, video or audio at once and imports this
// the first time a page has one: most pages never download it.
//
// `hold(I, e)` receives the loader's internals `I` (main.js): `cfg` (the
// configuration; the language is read from it, lang.js), `svc` (services by
// id), `seen` (held embed -> true until it has a placeholder, then the
// placeholder; gone once loaded), `activate(e)` (loads an embed) and
// `open(what, id)` (the widget).

import { language } from "./lang.js";
import { attempt, list } from "./util.js";

// Per language, `|`-separated: the placeholder's message (% = the provider,
// else the service id, else the category), "load this once", "always allow %".
const TX = {
  en: "% is blocked|Load this once|Always allow %",
  fr: "% est bloqué|Charger cette fois|Toujours autoriser %",
  de: "% ist blockiert|Einmal laden|% immer erlauben",
  da: "% er blokeret|Indlæs denne gang|Tillad altid %",
  sk: "% je blokované|Načítať tentoraz|Vždy povoliť %",
};

// `all:initial` on the host (a shadow tree's !important rules beat the page's)
// and on the inner elements keeps page and inherited styles out; sizes are px.
// Colours: #222 on #eee and #fff on #05c, both above 4.5:1; the focus ring is
// black then white, visible on any background.
const CSS = `:host{all:initial!important}
div,button{all:initial;display:block;font:16px/1.5 system-ui,sans-serif;color:#222}
div{padding:16px;background:#eee;box-sizing:border-box}
button{margin-top:8px;padding:8px;background:#05c;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #000;box-shadow:0 0 0 6px #fff}`;

let sheet;
let names;


// Creates `tag` with text `text` in `parent`.
const el = (tag, text, parent) => {
  tag = document.createElement(tag);
  tag.textContent = text;
  parent.append(tag);
  return tag;
};

// Puts a placeholder of its size before the held embed `e` (unless it was
// loaded meanwhile): what is blocked, "Load this once" and, for a service,
// "Always allow". Everything in an open shadow root with a constructed
// stylesheet (no CSP `style-src 'unsafe-inline'` needed).
export const hold = (I, e) =>
  attempt(() => {
    if (I.seen.get(e) !== true) return;
    const { cfg } = I;
    const L = language(cfg);
    const t = TX[L].split("|");
    if (!names) {
      // The site's category names: in this language, else the policy's
      // default one, else any (up to the first broken category or service, as
      // far as the loader read the configuration).
      names = {};
      const langs = list(cfg.languages);
      attempt(() => {
        for (const c of list(cfg.categories)) {
          const n = c.name || 0;
          names[c.id] = n[L] || n[langs[0]] || Object.values(n)[0];
          for (const s of list(c.services)) s.id;
        }
      });
    }
    const id = e.dataset.service;
    const who = I.svc[id]?.provider || id || names[e.dataset.category] || e.dataset.category;
    const px = (k) => ((k = e.getAttribute(k)), /^\d+$/.test(k) ? k + "px" : k);
    const host = document.createElement("assent-placeholder");
    const root = host.attachShadow({ mode: "open" });
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const div = el("div", t[0].replace("%", () => who), root);
    div.style.cssText = `width:${px("width")};min-height:${px("height")}`;
    el("button", t[1], div).onclick = () => (I.activate(e), e.focus());
    if (id) el("button", t[2].replace("%", () => who), div).onclick = () => I.open("allow-service", id);
    I.seen.set(e, host);
    e.before(host);
  });
