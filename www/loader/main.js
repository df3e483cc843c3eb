// main.js: the Assent loader's page side, bundled by `cargo xtask loader` into
// `assent-loader.js`. It runs synchronously in <head>, before any third-party
// tag, on every page view: sets the Google Consent Mode defaults, reads the
// stored choice, gates the page's scripts and embeds, opens the preferences
// from any `[data-assent-open]` element, and imports the rest only when needed,
// from beside itself:
// - `assent-decide.js` (the first layer: the banner, Accept all, Reject all
//   and withdrawal without the wasm; applying a decision: cleanup, events),
//   when the banner must show or the visitor asks, which imports the wasm
//   widget (preferences) only when the visitor asks for more;
// - `assent-embeds.js` (the placeholders of held embeds) when a page has one;
// - `assent-reopen.js` (the floating settings button) once a valid decision
//   exists, unless the page has its own `[data-assent-open]` element (see
//   `floating-button` in docs/loader.md);
//   it carries the signed consent records (docs/records.md) too, so it is
//   also imported where the configuration names a `records` endpoint and a
//   page view finds earlier records still waiting to be sent;
// - `assent-mydata.js` (`<assent-my-data>` and `Assent.mountMyData`: the
//   "GDPR & my data" panel) when a page has that element or calls it.
// Nothing here throws into the host page: failures are `[assent] ` console
// warnings. Budget: 3 KiB gzip for this file (docs/loader.md), hence the terse
// code.
import { evaluate, expiresAt, gate, OPTIONAL, pick, reason, state } from "./rules.js";
import { attempt, list, warn } from "./util.js";

const W = window;
const D = document;
// The loader's own tag, captured while it runs: its `data-widget`, and the
// directory the chunks (and by default the widget) are served from.
const me = D.currentScript;
const base = me?.src || location.href;
// Imports the chunk `assent-<name>.js` beside the loader.
const chunk = (name) => import(new URL("assent-" + name + ".js", base));
// `f()`'s promise, made once; again after a failure.
const once = (f, p) => () =>
  (p ||= f().catch((e) => {
    p = 0;
    throw e;
  }));
const CATS = ["necessary", ...OPTIONAL];


attempt(() => {
  // --- Configuration, `<script type="application/json" id="assent-config">`:
  // every field optional; missing or broken: a warning and the defaults.
  let cfg;
  try {
    cfg = JSON.parse(D.querySelector("#assent-config").text);
  } catch {}
  if (cfg?.constructor != Object) warn("no valid #assent-config: defaults used"), (cfg = {});

  // Category -> Google Consent Mode types: the defaults, then the site's own
  // `consent-mode`. The site's services by id.
  const modes = {};
  "security_storage functionality_storage|analytics_storage|ad_storage ad_user_data ad_personalization|personalization_storage"
    .split("|")
    .map((x, i) => (modes[CATS[i]] = x.split(" ")));
  const types = Object.values(modes).flat();
  const svc = {};
  attempt(() => {
    for (const c of list(cfg.categories)) {
      if (c["consent-mode"]) modes[c.id] = list(c["consent-mode"]);
      for (const s of list(c.services)) svc[s.id] = { ...s, cat: c.id };
    }
  });

  // --- Google Consent Mode v2 (gtag.js only reads Arguments objects): every
  // type denied but those of a category that runs under the verdict `E` (none:
  // the necessary ones): the default first, then an update after each verdict.
  function gtag() {
    (W.dataLayer = W.dataLayer || []).push(arguments);
  }
  let E;
  const gcm = (update) => {
    const o = {};
    for (const x of types) o[x] = "denied";
    for (const k in modes) if (gate(E, k)) for (const x of modes[k]) o[x] = "granted";
    gtag("consent", update ? "update" : "default", update ? o : { ...o, wait_for_update: 500 });
  };
  gcm();

  // --- The stored choice, cookie and localStorage: the newest valid wins.
  const gpc = navigator.globalPrivacyControl === true;
  const ev = (s) => {
    const v = evaluate(s, cfg, Date.now(), gpc);
    if (v.problem) warn(v.problem);
    // The value itself, for its consent record (records.js).
    v.stored = s;
    return v;
  };
  // Blocked storage: a warning, and nothing read from it.
  let V = pick([
    ev(attempt(() => /(?:^|; *)assent_consent=([^;]*)/.exec(D.cookie)?.[1])),
    ev(attempt(() => localStorage.getItem("assent.consent"))),
  ]);
  if ((E = V.effective)) gcm(1);

  // --- Gating: inert scripts and `data-src` embeds wait until gate() says run.
  const SEL = 'script[type="text/plain"][data-category],[data-category][data-src]';
  // Scripts activated (and their copies): never twice. Held embeds -> true until
  // their placeholder exists, then the placeholder.
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
  // <source> makes its <video> or <audio> select a resource again); a held one
  // shows again, without its placeholder.
  // The source is set a task later: Chromium does not navigate a frame whose
  // `src` is set while the parser is still inserting it (a MutationObserver
  // callback during parsing); `data-src` goes at once, so it runs only once.
  const activate = (e, s = e.dataset.src) => {
    e.removeAttribute("data-src");
    setTimeout(() => {
      e[e.localName == "object" ? "data" : "src"] = s;
      if (e.localName == "source") e.parentNode.load?.();
    });
    const p = seen.get(e);
    if (seen.delete(e)) p.remove?.(), (e.hidden = false);
  };

  // Holds an embed: hidden at once; its placeholder (what is blocked, "Load
  // this once", "Always allow") comes with `assent-embeds.js`, imported the
  // first time. If that fails the embed stays hidden and held.
  let embeds;
  const hold = (e) => {
    seen.set(e, (e.hidden = true));
    (embeds ||= chunk("embeds").catch(warn)).then((m) => m?.hold(I, e));
  };

  // The "GDPR & my data" panel: `assent-mydata.js` defines `<assent-my-data>`
  // and mounts the panel (`Assent.mountMyData`); imported once, when a page has
  // such an element or calls `mountMyData`. If it fails: one warning, no panel.
  let my;
  const mydata = () => (my ||= chunk("mydata").then((m) => m.define(I), warn));

  // Whether the parser has gone past `n`, so an inline script's text is complete.
  const past = (n) => {
    for (; n; n = n.parentNode) if (n.nextSibling) return 1;
  };

  // Goes through every gated element in document order, at start, on every
  // DOM insertion (the parser's later elements, an SPA's at any time) and after
  // every decision; imports the panel's chunk when an `<assent-my-data>` appears.
  const scan = () =>
    attempt(() => {
      D.querySelector("assent-my-data") && mydata();
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

  // --- The way back to the preferences (GDPR Art 7(3)): any
  // `[data-assent-open]` element, through one delegated listener, and the
  // floating button of `assent-reopen.js` (its host is `[data-assent-open]`
  // too). Imported once, at DOMContentLoaded or after a decision, when a valid
  // decision exists and `floating-button` is true, or is not false and the page
  // has no `[data-assent-open]` of its own.
  // `data-assent-open="reject"` withdraws every consent in one click, as one
  // click on Accept all gave it.
  D.addEventListener("click", (e, o = e.target.closest?.("[data-assent-open]")) => {
    if (o) e.preventDefault(), open(o.dataset.assentOpen == "reject" ? "reject-all" : "preferences");
  });
  const ready = new Promise((ok) => (D.readyState == "loading" ? D.addEventListener("DOMContentLoaded", ok) : ok()));
  const fb = cfg["floating-button"];
  let btn;
  const button = () =>
    ready
      .then(
        () =>
          !btn &&
          E &&
          (fb === true || (fb !== false && !D.querySelector("[data-assent-open]"))) &&
          (btn = chunk("reopen")).then((m) => m.show(cfg)),
      )
      .catch(warn);
  ready.then(() => (scan(), button()));

  // --- The banner and the decisions: the decision chunk, imported when the
  // banner must show or the visitor asks; it shows the first layer itself and
  // imports the widget (wasm) only for more (Customize, the settings, "Always
  // allow"): the loader script's `data-widget`, else `assent.js` beside it. The
  // widget calls `decided(stored)` after every decision (storage written, or
  // blocked: the value still applies here), which the decision chunk applies.
  const url = me?.dataset.widget || new URL("assent.js", base);
  const dec = once(() => chunk("decide"));
  const load = once(() => Promise.all([import(url), dec()]).then(([m, d]) => d.boot(I, m)));
  const open = (what, id) =>
    Promise.all([dec(), ready])
      .then(([d]) => d.open(I, what, id, load))
      .catch((e) => warn("widget: " + e));

  // --- Consent records (docs/records.md): a return visit never loads the
  // widget, so records still queued (the `assent.outbox` marker) are sent
  // from here.
  attempt(() => cfg.records && localStorage.getItem("assent.outbox") && dec().then((m) => m.flush(cfg), warn));

  // --- The state as the API and the events report it. An expired or outdated
  // decision still says what it had granted ("expired").
  const consent = () => {
    const d = V.decision;
    const categories = {};
    const services = {};
    for (const k of CATS) categories[k] = state(V, k);
    for (const id in svc) services[id] = state(V, svc[id].cat, id);
    return {
      status: V.status,
      reason: reason(V),
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

  // What the chunks receive (decide.js and embeds.js document their use).
  const I = {
    cfg,
    url,
    svc,
    ev,
    consent,
    seen,
    activate,
    open,
    chunk,
    V: () => V,
    subs: () => subs,
    // A new verdict for this page view: Consent Mode, what is allowed now loads.
    set: (v) => {
      V = v;
      E = v.effective;
      gcm(1);
      scan();
      button();
    },
  };

  // --- The JS API, `window.Assent`; a queue the page made before is replayed.
  const api = {
    show: () => open("banner"),
    showPreferences: () => open("preferences"),
    acceptedCategory: (k) => gate(E, k),
    acceptedService: (id) => !!svc[id] && gate(E, svc[id].cat, id),
    getConsent: consent,
    onChange: (f) => (subs.push(f), () => (subs = subs.filter((x) => x != f))),
    // Forgets the choice (in the decision chunk), then shows the banner.
    reset: () =>
      dec()
        .then((d) => d.reset(I), warn)
        .then(api.show),
    consentHistory: (o) => chunk("history").then((m) => m.history(cfg, o)),
    mountMyData: (e, o) => mydata().then((m) => m?.(e, o)),
    push: (a) => attempt(() => api[a[0]](...a.slice(1))),
  };
  const queued = W.Assent;
  W.Assent = api;
  list(queued).map(api.push);
  D.dispatchEvent(new CustomEvent("assent:ready", { detail: { ...consent(), withdrawn: [] } }));
  if (!E) api.show();
});
