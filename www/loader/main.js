// main.js: the Assent loader's page side, bundled by `cargo xtask loader` into
// `assent-loader.js`. It runs synchronously in <head>, before any third-party
// tag, on every page view: sets the Google Consent Mode defaults, reads the
// stored choice, gates the page's scripts and embeds, opens the preferences
// from any `[data-assent-open]` element, and imports the rest only when needed,
// from beside itself:
// - `assent-decide.js` (the first layer: the banner, Accept all, Reject all
//   and withdrawal without the wasm; applying a decision: cleanup, events;
//   the signed consent records, docs/records.md), when the banner must show
//   or the visitor asks, which imports the wasm widget (preferences) only when
//   the visitor asks for more; also where the configuration names a `records`
//   endpoint and a page view finds earlier records still waiting to be sent;
// - `assent-embeds.js` (the placeholders of held embeds) when a page has one;
// - `assent-reopen.js` (the floating settings button) once a valid decision
//   exists, unless the page has its own `[data-assent-open]` element (see
//   `floating-button` in docs/loader.md);
// - `assent-history.js` for `Assent.consentHistory()`;
// - `assent-mydata.js` (`<assent-my-data>` and `Assent.mountMyData`: the
//   "GDPR & my data" panel) when a page has that element or calls it.
// Nothing here throws into the host page: failures are `[assent] ` console
// warnings. Budget: 3 KiB gzip for this file (docs/loader.md): esbuild
// shortens the names, so the structure is what costs bytes (few functions,
// short property names on `I`).
import { evaluate, expiresAt, gate, OPTIONAL, pick, reason, state } from "./rules.js";
import { attempt, list, warn } from "./util.js";

const W = window;
const D = document;
// The loader's own tag, captured while it runs: its `data-widget`, and the
// directory the chunks (and by default the widget) are served from.
const loaderScript = D.currentScript;
const base = loaderScript?.src || location.href;
// Imports the chunk `assent-<name>.js` beside the loader.
const chunk = (name) => import(new URL("assent-" + name + ".js", base));
// `make()`'s promise, made once; again after a failure.
const once = (make, promise) => () =>
  (promise ||= make().catch((error) => {
    promise = 0;
    throw error;
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
    .map((names, i) => (modes[CATS[i]] = names.split(" ")));
  const types = Object.values(modes).flat();
  const svc = {};
  attempt(() => {
    for (const category of list(cfg.categories)) {
      if (category["consent-mode"]) modes[category.id] = list(category["consent-mode"]);
      for (const service of list(category.services)) svc[service.id] = { ...service, cat: category.id };
    }
  });

  // --- Google Consent Mode v2 (gtag.js only reads Arguments objects): every
  // type denied but those of a category that runs under `allowed` (the
  // verdict's effective choice; none: the necessary ones): the default first,
  // then an update after each verdict.
  function gtag() {
    (W.dataLayer = W.dataLayer || []).push(arguments);
  }
  let allowed;
  const gcm = (update) => {
    const state = {};
    for (const type of types) state[type] = "denied";
    for (const category in modes) if (gate(allowed, category)) for (const type of modes[category]) state[type] = "granted";
    gtag("consent", update ? "update" : "default", update ? state : { ...state, wait_for_update: 500 });
  };
  gcm();

  // --- The stored choice, cookie and localStorage: the newest valid wins.
  const gpc = navigator.globalPrivacyControl === true;
  // At `at` (default now): records.js evaluates a noted decision as of when it was made.
  const ev = (stored, at = Date.now()) => {
    const evaluated = evaluate(stored, cfg, at, gpc);
    if (evaluated.problem) warn(evaluated.problem);
    // The value itself, for its consent record (records.js).
    evaluated.stored = stored;
    return evaluated;
  };
  // Blocked storage: a warning, and nothing read from it.
  let verdict = pick([
    ev(attempt(() => /(?:^|; *)assent_consent=([^;]*)/.exec(D.cookie)?.[1])),
    ev(attempt(() => localStorage.getItem("assent.consent"))),
  ]);
  if ((allowed = verdict.effective)) gcm(1);

  // --- Gating: inert scripts and `data-src` embeds wait until gate() says run.
  const GATED = 'script[type="text/plain"][data-category],[data-category][data-src]';
  // Scripts activated: never twice (their copies are not inert, so never
  // gated). Held embeds -> true until their placeholder exists, then the
  // placeholder.
  const seen = new WeakMap();
  let queue = Promise.resolve();

  // Under Trusted Types (`require-trusted-types-for 'script'`) the copy's
  // source and text go through the policy `assent-gate`, which only this
  // closure holds: what it passes is the page's own gated markup, and the copy
  // keeps its nonce (docs/loader.md, "Trusted Types").
  let gatePolicy;
  const trusted = (kind, value) =>
    (gatePolicy ||= W.trustedTypes?.createPolicy("assent-gate", { createScript: String, createScriptURL: String }))?.[kind](value) ?? value;

  // Replaces an inert script by an executable copy: every attribute but `type`,
  // `data-type` as the type, the nonce (hidden from the attribute after
  // parsing), async only if asked, the same text. One after the other, an
  // external one waited for: scripts run in document order.
  const run = (inert) =>
    (queue = queue
      .then(
        () =>
          new Promise((done) => {
            const copy = D.createElement("script");
            for (const { name, value } of inert.attributes)
              if (name != "type") copy.setAttribute(name == "data-type" ? "type" : name, name == "src" ? trusted("createScriptURL", value) : value);
            copy.nonce = inert.nonce;
            copy.async = inert.hasAttribute("async");
            copy.text = trusted("createScript", inert.text);
            copy.addEventListener("load", done);
            copy.addEventListener("error", done);
            inert.replaceWith(copy);
            if (!copy.src || copy.async || !copy.isConnected) done();
          }),
      )
      .catch(warn));

  // Loads a held embed: its source from `data-src` (`data` for <object>; a
  // <source> makes its <video> or <audio> select a resource again); a held one
  // shows again, without its placeholder.
  // The source is set a task later: Chromium does not navigate a frame whose
  // `src` is set while the parser is still inserting it (a MutationObserver
  // callback during parsing); `data-src` goes at once, so it runs only once.
  const activate = (embed, source = embed.dataset.src) => {
    embed.removeAttribute("data-src");
    setTimeout(() => {
      embed[embed.localName == "object" ? "data" : "src"] = source;
      if (embed.localName == "source") embed.parentNode.load?.();
    });
    const placeholder = seen.get(embed);
    if (seen.delete(embed)) placeholder.remove?.(), (embed.hidden = false);
  };

  // Holds an embed: hidden at once; its placeholder (what is blocked, "Load
  // this once", "Always allow") comes with `assent-embeds.js`, imported the
  // first time. If that fails the embed stays hidden and held.
  let embeds;
  const hold = (embed) => {
    seen.set(embed, (embed.hidden = true));
    (embeds ||= chunk("embeds").catch(warn)).then((module) => module?.hold(I, embed));
  };

  // The "GDPR & my data" panel: `assent-mydata.js` defines `<assent-my-data>`
  // and mounts the panel (`Assent.mountMyData`); imported once, when a page has
  // such an element or calls `mountMyData`. If it fails: one warning, no panel.
  let mydataChunk;
  const mydata = () => (mydataChunk ||= chunk("mydata").then((module) => module.define(I), warn));

  // Whether the parser has gone past `node`, so an inline script's text is complete.
  const past = (node) => {
    for (; node; node = node.parentNode) if (node.nextSibling) return 1;
  };

  // Goes through every gated element in document order, at start, on every
  // DOM insertion (the parser's later elements, an SPA's at any time) and after
  // every decision; imports the panel's chunk when an `<assent-my-data>` appears.
  const scan = () =>
    attempt(() => {
      D.querySelector("assent-my-data") && mydata();
      for (const element of D.querySelectorAll(GATED))
        if (!gate(allowed, element.dataset.category, element.dataset.service))
          seen.has(element) || (/^(iframe|embed|object|video|audio)$/.test(element.localName) && hold(element));
        else if (element.localName != "script") activate(element);
        else if (!seen.has(element)) {
          // Nothing after an inline script still being parsed runs before it.
          if (!element.src && D.readyState == "loading" && !past(element)) return;
          seen.set(element, 1);
          run(element);
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
  D.addEventListener("click", (event, opener = event.target.closest?.("[data-assent-open]")) => {
    if (opener) event.preventDefault(), open(opener.dataset.assentOpen == "reject" ? "reject-all" : "preferences");
  });
  const ready = new Promise((done) => (D.readyState == "loading" ? D.addEventListener("DOMContentLoaded", done) : done()));
  const floatingSetting = cfg["floating-button"];
  let floating;
  const button = () =>
    ready
      .then(
        () =>
          !floating &&
          allowed &&
          (floatingSetting === true || (floatingSetting !== false && !D.querySelector("[data-assent-open]"))) &&
          (floating = chunk("reopen")).then((module) => module.show(cfg)),
      )
      .catch(warn);
  ready.then(() => (scan(), button()));

  // --- The banner and the decisions: the decision chunk, imported when the
  // banner must show or the visitor asks; it shows the first layer itself and
  // imports the widget (wasm) only for more (Customize, the settings, "Always
  // allow"): the loader script's `data-widget`, else `assent.js` beside it. The
  // widget calls `decided(stored)` after every decision (storage written, or
  // blocked: the value still applies here), which the decision chunk applies.
  const url = loaderScript?.dataset.widget || new URL("assent.js", base);
  const decisions = once(() => chunk("decide"));
  const load = once(() => Promise.all([import(url), decisions()]).then(([widget, decide]) => decide.boot(I, widget)));
  const open = (what, id) =>
    Promise.all([decisions(), ready])
      .then(([decide]) => decide.open(I, what, id, load))
      .catch((error) => warn("widget: " + error));

  // --- Consent records (docs/records.md): a return visit never loads the
  // widget, so records still queued (the `assent.outbox` marker) are sent
  // from here.
  attempt(() => cfg.records && localStorage.getItem("assent.outbox") && decisions().then((decide) => decide.flush(I), warn));

  // --- The state as the API and the events report it. An expired or outdated
  // decision still says what it had granted ("expired").
  const consent = () => {
    const decision = verdict.decision;
    const categories = {};
    const services = {};
    for (const category of CATS) categories[category] = state(verdict, category);
    for (const id in svc) services[id] = state(verdict, svc[id].cat, id);
    return {
      status: verdict.status,
      reason: reason(verdict),
      method: decision && decision.method,
      decidedAt: decision && decision.decidedAt,
      expiresAt: decision && expiresAt(decision, cfg),
      revision: decision && decision.revision,
      gpc: decision && decision.gpc,
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
    V: () => verdict,
    subs: () => subs,
    // A new verdict for this page view: Consent Mode, what is allowed now loads.
    set: (next) => {
      verdict = next;
      allowed = next.effective;
      gcm(1);
      scan();
      button();
    },
  };

  // --- The JS API, `window.Assent`; a queue the page made before is replayed.
  const api = {
    show: () => open("banner"),
    showPreferences: () => open("preferences"),
    acceptedCategory: (category) => gate(allowed, category),
    acceptedService: (id) => !!svc[id] && gate(allowed, svc[id].cat, id),
    getConsent: consent,
    onChange: (callback) => (subs.push(callback), () => (subs = subs.filter((other) => other != callback))),
    // Forgets the choice (in the decision chunk), then shows the banner.
    reset: () =>
      decisions()
        .then((decide) => decide.reset(I), warn)
        .then(api.show),
    consentHistory: (options) => chunk("history").then((module) => module.history(cfg, options)),
    mountMyData: (element, options) => mydata().then((mount) => mount?.(element, options)),
    // `[method, ...args]`; anything else is a warning, never a throw.
    push: (call) => attempt(() => api[call[0]](...call.slice(1))),
  };
  const queued = W.Assent;
  W.Assent = api;
  list(queued).map(api.push);
  D.dispatchEvent(new CustomEvent("assent:ready", { detail: { ...consent(), withdrawn: [] } }));
  if (!allowed) api.show();
});
