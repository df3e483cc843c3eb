// reopen.js: the floating settings button (`<assent-reopen>`), bundled by
// `cargo xtask loader` into the ES module `assent-reopen.js`. The loader
// imports it once, at DOMContentLoaded or after a decision, only when a valid
// decision exists and `floating-button` is `true`, or is not `false` and the page
// has no `[data-assent-open]` element of its own (the site's "Privacy settings"
// link is then the persistent way back, GDPR Art 7(3)): most sites, which have
// such a link, never download it.
//
// `show(cfg)` receives the page's configuration (for the language). The button's
// host carries `data-assent-open`, so its clicks reach the loader's delegated
// listener, which opens the preferences.

import { language } from "./lang.js";

// The button's accessible name per language.
const TX = {
  en: "Privacy settings",
  fr: "Paramètres de confidentialité",
  de: "Datenschutzeinstellungen",
  da: "Privatlivsindstillinger",
  sk: "Nastavenia súkromia",
};

// Fixed, round, bottom left, in an open shadow root with `all:initial` on the
// host (a shadow tree's !important rules beat the page's). #fff on #05c is above
// 4.5:1; the focus ring is black then white, visible on any background.
const CSS =
  ":host{all:initial!important}button{all:initial;position:fixed;z-index:99999;left:16px;bottom:16px;border-radius:50%;padding:8px;background:#05c;color:#fff;cursor:pointer}:focus-visible{outline:3px solid #000;box-shadow:0 0 0 6px #fff}svg{width:24px;fill:#fff}";

// Adds the button to the page (the loader calls it once). The icon (a cookie) is
// built node by node (pages enforcing Trusted Types work too) and hidden from
// assistive technology: the button has the accessible name. A failure is a
// `[assent] ` warning.
export const show = (cfg) => {
  try {
    const D = document;
    const host = D.createElement("assent-reopen");
    const root = host.attachShadow({ mode: "open" });
    (root.adoptedStyleSheets = [new CSSStyleSheet()])[0].replaceSync(CSS);
    const b = root.appendChild(D.createElement("button"));
    b.setAttribute("aria-label", TX[language(cfg)]);
    const svg = b.appendChild(D.createElementNS("http://www.w3.org/2000/svg", "svg"));
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.appendChild(D.createElementNS(svg.namespaceURI, "path")).setAttribute("d", "M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5");
    host.setAttribute("data-assent-open", "");
    D.body.append(host);
  } catch (e) {
    console.warn("[assent] " + e);
  }
};
