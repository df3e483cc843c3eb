// main.js: the Assent loader's page side, bundled by `cargo xtask loader` into
// `assent-loader.js`. It runs synchronously in <head>, before any third-party
// tag, on every page view: sets the Google Consent Mode defaults, reads the
// stored choice, gates the page's scripts and embeds, and imports the wasm
// widget (banner, preferences) only when the banner must show or the user asks
// for the settings. Nothing here throws into the host page: failures are
// `[assent] ` console warnings. Budget: 3 KiB gzip, hence the terse code.
import { evaluate, expiresAt, gate, OPTIONAL, pick } from "./rules.js";
import { TX, box, el, icon } from "./ui.js";

const W = window;
const D = document;
const N = navigator;
const warn = (m) => console.warn("[assent] " + m);
// Runs `f`; an exception becomes a warning.
const T = (f) => {
  try {
    return f();
  } catch (e) {
    warn(e);
  }
};
const arr = (x) => (Array.isArray(x) ? x : []);
const me = D.currentScript;
const CATS = ["necessary", ...OPTIONAL];

T(() => {
  // --- Configuration, `<script type="application/json" id="assent-config">`:
  // every field optional; missing or broken: a warning and the defaults.
  let cfg;
  try {
    cfg = JSON.parse(D.querySelector("#assent-config").text);
    if (cfg.constructor != Object) throw 0;
  } catch {
    warn("no valid #assent-config: defaults used");
    cfg = {};
  }
  const langs = arr(cfg.languages);
  const sub = (l) => (l + "").split("-")[0].toLowerCase();
  // Language: the first of the override, <html lang>, the browser's, the
  // policy's default and English that the loader has words for and (when the
  // configuration lists languages) the policy offers.
  const L =
    [cfg.lang, D.documentElement.lang, ...N.languages, langs[0], "en"]
      .map(sub)
      .find((l) => TX.hasOwnProperty(l) && (!langs[0] || langs.map(sub).includes(l))) || "en";
  const t = TX[L].split("|");

  // Category -> Google Consent Mode types: the defaults, then the site's own
  // `consent-mode`. The site's category names (in this language, else the
  // policy's default one, else any) and its services by id.
  const modes = {};
  "security_storage functionality_storage|analytics_storage|ad_storage ad_user_data ad_personalization|personalization_storage"
    .split("|")
    .map((x, i) => (modes[CATS[i]] = x.split(" ")));
  const types = Object.values(modes).flat();
  const names = {};
  const svc = {};
  T(() => {
    for (const c of arr(cfg.categories)) {
      const n = c.name || 0;
      names[c.id] = n[L] || n[langs[0]] || Object.values(n)[0];
      if (c["consent-mode"]) modes[c.id] = arr(c["consent-mode"]);
      for (const s of arr(c.services)) svc[s.id] = { ...s, cat: c.id };
    }
  });

  // --- Google Consent Mode v2 (gtag.js only reads Arguments objects): every
  // type denied but those of a category that runs under `e` (nothing decided:
  // the necessary ones).
  function gtag() {
    (W.dataLayer = W.dataLayer || []).push(arguments);
  }
  const gcm = (e) => {
    const o = {};
    for (const x of types) o[x] = "denied";
    for (const k in modes) if (gate(e, k)) for (const x of modes[k]) o[x] = "granted";
    return o;
  };
  gtag("consent", "default", { ...gcm(), wait_for_update: 500 });

  // --- The stored choice, cookie and localStorage: the newest valid wins.
  const gpc = N.globalPrivacyControl === true;
  const ev = (s) => {
    const v = evaluate(s, cfg, Date.now(), gpc);
    if (v.problem) warn(v.problem);
    return v;
  };
  // Blocked storage: a warning, and nothing read from it.
  let V = pick([
    ev(T(() => /(?:^|; *)assent_consent=([^;]*)/.exec(D.cookie)?.[1])),
    ev(T(() => localStorage.getItem("assent.consent"))),
  ]);
  let E = V.effective;
  if (E) gtag("consent", "update", gcm(E));

  // --- Gating: inert scripts and `data-src` embeds wait until gate() says run.
  const SEL = 'script[type="text/plain"][data-category],[data-category][data-src]';
  // Scripts activated (and their copies): never twice. Held embeds -> placeholder.
  const seen = new WeakMap();
  let queue = Promise.resolve();

  // Replaces an inert script by an executable copy: every attribute but `type`,
  // `data-type` as the type, the nonce (hidden from the attribute after
  // parsing), async only if asked, the same text. One after the other, an
  // external one waited for: scripts run in document order.
  const run = (s) =>
    (queue = queue
      .then(
        () =>
          new Promise((ok) => {
            const c = D.createElement("script");
            for (const a of s.attributes) if (a.name != "type") c.setAttribute(a.name == "data-type" ? "type" : a.name, a.value);
            c.nonce = s.nonce;
            c.async = s.hasAttribute("async");
            c.text = s.text;
            seen.set(c, 1);
            c.addEventListener("load", ok);
            c.addEventListener("error", ok);
            s.replaceWith(c);
            if (!c.src || c.async || !c.isConnected) ok();
          }),
      )
      .catch(warn));

  // Loads a held embed: its source from `data-src` (`data` for <object>; a
  // <source> makes its <video> or <audio> select a resource again).
  const activate = (e) => {
    e[e.localName == "object" ? "data" : "src"] = e.dataset.src;
    e.removeAttribute("data-src");
    if (e.localName == "source") e.parentNode.load?.();
    if (seen.has(e)) seen.get(e).remove(), (e.hidden = false);
  };

  // Holds an embed: hidden, after a placeholder of its size that says what is
  // blocked and offers "Load this once" and, for a service, "Always allow".
  const hold = (e) => {
    const id = e.dataset.service;
    const who = svc[id]?.provider || id || names[e.dataset.category] || e.dataset.category;
    const px = (k) => ((k = e.getAttribute(k)), /^\d+$/.test(k) ? k + "px" : k);
    const [host, root] = box("assent-placeholder");
    const div = el("div", t[0].replace("%", () => who), root);
    div.style.cssText = `width:${px("width")};min-height:${px("height")}`;
    el("button", t[1], div).onclick = () => (activate(e), e.focus());
    if (id) el("button", t[2].replace("%", () => who), div).onclick = () => open("allow-service", id);
    seen.set(e, host);
    e.hidden = true;
    e.before(host);
  };

  // Whether the parser has gone past `n`, so an inline script's text is complete.
  const past = (n) => {
    for (; n; n = n.parentNode) if (n.nextSibling) return 1;
  };

  // Goes through every gated element in document order, at start, on every
  // DOM insertion (the parser's later elements, an SPA's at any time) and after
  // every decision.
  const scan = () =>
    T(() => {
      for (const e of D.querySelectorAll(SEL))
        if (!gate(E, e.dataset.category, e.dataset.service))
          seen.has(e) || (/^(iframe|embed|object|video|audio)$/.test(e.localName) && hold(e));
        else if (e.localName != "script") activate(e);
        else if (!seen.has(e)) {
          // Nothing after an inline script still being parsed runs before it.
          if (!e.src && D.readyState == "loading" && !past(e)) return;
          seen.set(e, 1);
          run(e);
        }
    });
  scan();
  new MutationObserver(scan).observe(D.documentElement, { childList: true, subtree: true });

  // --- The floating settings button, once a valid decision exists. Its host is
  // `[data-assent-open]`: its clicks reach the delegated listener.
  let btn;
  const button = () =>
    T(() => {
      if (btn || !E || cfg["floating-button"] === false || !D.body) return;
      const [host, root] = box("assent-reopen");
      const b = el("button", "", root);
      b.setAttribute("aria-label", t[3]);
      b.append(icon());
      host.setAttribute("data-assent-open", "");
      D.body.append((btn = host));
    });
  D.addEventListener("click", (e) => {
    if (e.target.closest?.("[data-assent-open]")) e.preventDefault(), open("preferences");
  });
  const ready = new Promise((ok) => (D.readyState == "loading" ? D.addEventListener("DOMContentLoaded", ok) : ok()));
  ready.then(() => (scan(), button()));

  // --- The widget (wasm), imported only when needed: the loader script's
  // `data-widget`, else `assent.js` beside it. It calls `decided(stored)` after
  // every decision (storage written, or blocked: the value still applies here).
  const url = me?.dataset.widget || new URL("assent.js", me?.src || location.href);
  const decided = (s) =>
    T(() => {
      s = ev(s);
      s.status == "valid" ? apply(s) : warn("decision not applied: " + s.status);
    });
  let widget;
  const load = () =>
    (widget ||= import(url)
      .then(async (m) => (await m.default(), m.boot({ decided }), m))
      .catch((e) => {
        widget = 0;
        throw e;
      }));
  const open = (what, id) =>
    Promise.all([load(), ready])
      .then(([m]) => m.show(what, id))
      .catch((e) => warn("widget: " + e));

  // --- Clearing a service's declared cookies and storage (`*` globs). A cookie
  // is expired without Domain, with its declared one and with every parent
  // domain of the page: trackers set them on the registrable domain.
  const hosts = location.hostname.split(".").map((_, i, a) => a.slice(i).join("."));
  const kill = (n, path, domain) => {
    for (const d of ["", domain, ...hosts]) D.cookie = n + "=;Max-Age=0;Path=" + (path || "/") + (d ? ";Domain=" + d : "");
  };
  const wipe = (s) =>
    arr(s.cookies).map((k) =>
      T(() => {
        const re = RegExp("^" + k.name.split("*").map((x) => x.replace(/\W/g, "\\$&")).join(".*") + "$");
        const kind = k.storage || "cookie";
        const st = kind == "local-storage" ? localStorage : kind == "session-storage" && sessionStorage;
        if (kind == "indexeddb") indexedDB.deleteDatabase(k.name);
        for (const n of st ? Object.keys(st) : kind == "cookie" ? [k.name, ...D.cookie.split(/=[^;]*;? */)] : [])
          if (re.test(n)) st ? st.removeItem(n) : kill(n, k.path, k.domain);
      }),
    );

  // --- The state as the API and the events report it. An expired or outdated
  // decision still says what it had granted ("expired").
  const consent = () => {
    const d = V.decision;
    const st = V.status;
    const old = !E && st != "none" && d;
    const of = (c, id) => (gate(E, c, id) ? "given" : gate(old, c, id) ? "expired" : "refused");
    const categories = {};
    const services = {};
    for (const k of CATS) categories[k] = of(k);
    for (const id in svc) services[id] = of(svc[id].cat, id);
    return {
      status: st,
      reason: E
        ? E.gpcRefused
          ? "gpc"
          : { preferences: "custom" }[d.method] || d.method
        : { expired: "expiry", outdated: "policy-change" }[st] || st,
      method: d && d.method,
      decidedAt: d && d.decidedAt,
      expiresAt: d && expiresAt(d, cfg),
      revision: d && d.revision,
      gpc: d && d.gpc,
      categories,
      services,
    };
  };
  let subs = [];
  // Dispatches `assent:<type>` on document; onChange callbacks hear all but ready.
  const fire = (type, withdrawn) => {
    const detail = { ...consent(), withdrawn };
    D.dispatchEvent(new CustomEvent("assent:" + type, { detail }));
    if (type != "ready") for (const f of subs) T(() => f(detail));
  };

  // A new verdict for this page view (a decision, or nothing after a reset):
  // clear what was withdrawn (on reset, every optional service), update Consent
  // Mode, load what is allowed now, tell the page.
  const apply = (v, reset) => {
    const old = E;
    const type = reset || V.status == "valid" ? "change" : "consent";
    const withdrawn = OPTIONAL.filter((k) => gate(old, k) && !gate(v.effective, k));
    V = v;
    E = v.effective;
    for (const id in svc) {
      const c = svc[id].cat;
      const was = gate(old, c, id);
      if ((reset || was) && !gate(E, c, id)) {
        if (was) withdrawn.push(id);
        wipe(svc[id]);
      }
    }
    gtag("consent", "update", gcm(E));
    scan();
    button();
    fire(type, withdrawn);
    if (withdrawn[0] && cfg["reload-on-withdrawal"]) location.reload();
  };

  // --- The JS API, `window.Assent`; a queue the page made before is replayed.
  const api = {
    show: () => open("banner"),
    showPreferences: () => open("preferences"),
    acceptedCategory: (k) => gate(E, k),
    acceptedService: (id) => !!svc[id] && gate(E, svc[id].cat, id),
    getConsent: consent,
    onChange: (f) => (subs.push(f), () => (subs = subs.filter((x) => x != f))),
    reset: () => {
      T(() => kill("assent_consent"));
      T(() => localStorage.removeItem("assent.consent"));
      apply(ev(), 1);
      return api.show();
    },
    push: (a) => T(() => api[a[0]](...a.slice(1))),
  };
  const queued = W.Assent;
  W.Assent = api;
  arr(queued).map(api.push);
  fire("ready", []);
  if (!E) api.show();
});
