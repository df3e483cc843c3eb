// ui.js: the loader's own small UI, shared by the embed placeholder
// (`<assent-placeholder>`) and the floating settings button (`<assent-reopen>`):
// their words in English, French and German, one stylesheet, and an open
// shadow root that keeps a hostile host page's CSS out.

// Per language, `|`-separated: the placeholder's message (% = the provider,
// else the service id, else the category), "load this once", "always allow %",
// the settings button's accessible name.
export const TX = {
  en: "% is blocked|Load this once|Always allow %|Privacy settings",
  fr: "% est bloqué|Charger cette fois|Toujours autoriser %|Paramètres de confidentialité",
  de: "% ist blockiert|Einmal laden|% immer erlauben|Datenschutzeinstellungen",
};

// One stylesheet for both. `all:initial` on the host (a shadow tree's
// !important rules beat the page's) and on the inner elements keeps page and
// inherited styles out; sizes are px. Colours: #222 on #eee and #fff on #05c,
// both above 4.5:1; the focus ring is black then white, visible on any
// background. The settings button is the shadow root's own child (a
// placeholder's buttons are in its div): fixed, round, bottom left.
const CSS = `:host{all:initial!important}
div,button{all:initial;display:block;font:16px/1.5 system-ui,sans-serif;color:#222}
div{padding:16px;background:#eee;box-sizing:border-box}
button{margin-top:8px;padding:8px;background:#05c;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #000;box-shadow:0 0 0 6px #fff}
:host>button{position:fixed;z-index:99999;left:16px;bottom:16px;border-radius:50%}
svg{width:24px;fill:#fff}`;

// Creates `tag` with text `text` in `parent`.
export const el = (tag, text, parent) => {
  tag = document.createElement(tag);
  tag.textContent = text;
  parent.append(tag);
  return tag;
};

let sheet;

// A custom element `tag` with an open shadow root holding the stylesheet (a
// constructed one: no CSP `style-src 'unsafe-inline'` needed). Returns [host, root].
export const box = (tag) => {
  const host = document.createElement(tag);
  const root = host.attachShadow({ mode: "open" });
  if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  return [host, root];
};

// The settings icon (a cookie), hidden from assistive technology: the button
// has the accessible name. Built node by node, not with innerHTML, so pages
// enforcing Trusted Types work too.
export const icon = () => {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.append(document.createElementNS(svg.namespaceURI, "path"));
  svg.firstChild.setAttribute("d", "M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5");
  return svg;
};
