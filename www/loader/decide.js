// decide.js: the first layer and applying a decision, bundled by `cargo xtask
// loader` into the ES module `assent-decide.js`. The loader imports it when the
// banner must show, when the visitor asks for the settings or withdraws, and
// for `Assent.reset()`: a return visit never downloads it.
//
// - The banner (`first.js`, the build-time rendering of the widget's own
//   components) with its Accept all and Reject all, and a one-click withdrawal
//   (`data-assent-open="reject"`), are decided here, in JavaScript, with
//   `choice.js` (core's `Action::decide`, held to the shared vectors): no wasm.
// - Customize, the settings, an embed's "Always allow" load the widget (wasm),
//   which mounts itself in the visitor's language and takes the banner's
//   place; from then on the widget shows everything. A hint of that intent
//   (pointer over or focus on Customize) fetches the wasm early.
//
// Every function receives the loader's internals `I` (main.js): `cfg` (the
// configuration), `url` (the widget's module), `svc` (services by id, with
// their category `cat`), `ev` (evaluates a stored value), `consent()` (the
// state for the API and events), `V()` (the current verdict), `subs()` (the
// onChange callbacks), `set(v)` (makes `v` this page view's verdict:
// Consent Mode, activation, the floating button's chunk) and `chunk(name)`
// (imports `assent-<name>.js`: here `assent-history.js`).
//
// The consent records (`records.js`, sent by `delivery.js`) are bundled in: a first visit through
// the banner needs them at once wherever the site collects records, and one
// file costs less than two. The loader imports this chunk for them too: to
// send what a return visit finds still queued (`flush`; `record` is exported
// for tests/bench/sign.mjs). The visitor's
// history of records is `assent-history.js`.
import { decide, encode } from "./choice.js";
import { mountBanner } from "./first.js";
import { language } from "./lang.js";
import { flush as sendRecords, record } from "./records.js";
import { expiresAt, gate, num, OPTIONAL } from "./rules.js";
import { attempt, list, warn } from "./util.js";

const D = document;

// --- Clearing a service's declared cookies and storage (`*` globs). A cookie
// is expired without Domain, with its declared one and with every parent
// domain of the page: trackers set them on the registrable domain.
const parentDomains = location.hostname.split(".").map((_, i, labels) => labels.slice(i).join("."));
const expireCookie = (name, path, domain) => {
  for (const where of ["", domain, ...parentDomains])
    D.cookie = name + "=;Max-Age=0;Path=" + (path || "/") + (where ? ";Domain=" + where : "");
};
const clearService = (service) =>
  list(service.cookies).map((declared) =>
    attempt(() => {
      const glob = RegExp("^" + declared.name.split("*").map((part) => part.replace(/\W/g, "\\$&")).join(".*") + "$");
      const kind = declared.storage || "cookie";
      const storage = kind == "local-storage" ? localStorage : kind == "session-storage" && sessionStorage;
      if (kind == "indexeddb") indexedDB.deleteDatabase(declared.name);
      const names = storage ? Object.keys(storage) : kind == "cookie" ? [declared.name, ...D.cookie.split(/=[^;]*;? */)] : [];
      for (const name of names)
        if (glob.test(name)) storage ? storage.removeItem(name) : expireCookie(name, declared.path, declared.domain);
    }),
  );

// A new verdict for this page view (a decision, or nothing after a reset):
// clear what was withdrawn (on reset, every optional service), update Consent
// Mode, load what is allowed now, tell the page (`assent:consent` where there
// was no valid decision, else `assent:change`, then the onChange callbacks),
// reload if asked to after a withdrawal (once `recorded`, the decision's
// record, is in the outbox, or a second has passed: the next page view sends
// it).
const apply = (I, verdict, reset, recorded) => {
  const services = I.svc;
  const before = I.V().effective;
  const after = verdict.effective;
  const type = reset || I.V().status == "valid" ? "change" : "consent";
  const withdrawn = OPTIONAL.filter((category) => gate(before, category) && !gate(after, category));
  for (const id in services) {
    const category = services[id].cat;
    const wasAllowed = gate(before, category, id);
    if ((reset || wasAllowed) && !gate(after, category, id)) {
      if (wasAllowed) withdrawn.push(id);
      clearService(services[id]);
    }
  }
  I.set(verdict);
  const detail = { ...I.consent(), withdrawn };
  D.dispatchEvent(new CustomEvent("assent:" + type, { detail }));
  for (const callback of I.subs()) attempt(() => callback(detail));
  if (withdrawn[0] && I.cfg["reload-on-withdrawal"])
    Promise.race([recorded, new Promise((done) => setTimeout(done, 1e3))]).then(() => location.reload());
};

// Makes the consent record of a decision (docs/records.md) where the site
// collects them (`records`); a promise that never rejects. Records are proof,
// not a precondition: the decision applies whatever happens to its record.
const recordIfCollected = (I, ...args) => I.cfg.records && record(I.cfg, ...args);

export { record };

/** `flush(I)`: what a page view that finds the outbox marker does (records.js `flush`). */
export const flush = (I) => sendRecords(I.cfg, I.ev);

// The method of the decision being made, when the stored value does not say
// it: "allow-service" while the widget runs an embed's "Always allow" (it
// decides within that `show` call).
let via;

// The widget's `bridge.decided(stored, language)`: applies a valid decision
// and records it in the language the user decided in.
const decided = (I, stored, lang) =>
  attempt(() => {
    const verdict = I.ev(stored);
    if (verdict.status != "valid") return warn("decision not applied: " + verdict.status);
    apply(I, verdict, 0, recordIfCollected(I, verdict, lang || language(I.cfg), via));
  });

// `Assent.reset()`: forgets the stored choice and applies "no decision".
export const reset = (I) => {
  attempt(() => expireCookie("assent_consent"));
  attempt(() => localStorage.removeItem("assent.consent"));
  apply(I, I.ev(), 1);
};

// --- The first layer's decisions. The stored value in both stores, as the
// widget's `consent_store::save`: the cookie for the decision's lifetime
// (`Path=/`, `SameSite=Lax`, `Secure` in a secure context), and localStorage.
// Blocked storage is a warning in the widget's words (`assent_web::Error`);
// the decision still applies to this page view.
const blocked = (store, error) => warn(store + " is not available (" + error + "); the choice applies to this page view only");
const save = (I, decision, value) => {
  const seconds = Math.floor((expiresAt(decision, I.cfg) - decision.decidedAt) / 1e3);
  const cookie = "assent_consent=" + value;
  try {
    D.cookie = cookie + "; Max-Age=" + seconds + "; Path=/; SameSite=Lax" + (isSecureContext ? "; Secure" : "");
    if (!("; " + D.cookie + ";").includes("; " + cookie + ";")) warn("the browser did not keep the consent cookie (cookies disabled?)");
  } catch (error) {
    blocked("cookie", error);
  }
  try {
    localStorage.setItem("assent.consent", value);
  } catch (error) {
    blocked("localStorage", error);
  }
};

// The banner while the first layer shows it: { host, root, lang() }; and
// while it is being mounted (its language's words may be fetched first).
let banner, mounting;

// Accept all or Reject all (`action`), decided here as the widget decides:
// on top of the valid decision shown, under this page's revision and GPC
// signal; stored, the banner closed, then applied and recorded in `lang`.
const decideHere = (I, action, lang) =>
  attempt(() => {
    const shown = I.V();
    const context = { now: Date.now(), revision: num(I.cfg.revision, 0), gpc: navigator.globalPrivacyControl === true };
    const decision = decide(action, context, shown.status == "valid" ? shown.decision : null);
    const value = encode(decision);
    save(I, decision, value);
    banner?.host.remove();
    banner = mounting = 0;
    decided(I, value, lang);
  });

// A decision that has expired gets its expiry record when the banner asks
// again (once per page view; records.js keeps it once per decision).
let expiry;
const recordExpiry = (I) => expiry || I.V().status != "expired" || (expiry = recordIfCollected(I, I.V(), language(I.cfg), "expiry"));

// The wasm, fetched and compiled once: on a hint (`warm`) or when needed.
let compiled;
const compile = (module) => (compiled ||= module.default());
const warm = (I) => import(I.url).then(compile).catch(warn);

// Customize: the widget takes the banner's place and opens its preferences.
// The banner says it is busy meanwhile (`aria-busy`), and stays usable: if the
// widget cannot load, Accept all and Reject all still work.
const customize = (load) => {
  const section = banner.root.querySelector("section");
  section.setAttribute("aria-busy", "true");
  return load()
    .then((widget) => widget.show("preferences"))
    .catch((error) => (warn("widget: " + error), section.removeAttribute("aria-busy")));
};

// Shows the first layer's banner (once). Its Customize loads the widget.
const showBanner = (I, load) =>
  (mounting ||= (async () => {
    const page = { cfg: I.cfg, lang: language(I.cfg), gpc: navigator.globalPrivacyControl === true, outdated: I.V().status == "outdated" };
    const onAction = (action) => (action == "customize" ? customize(load) : decideHere(I, action, banner.lang()));
    const shown = await mountBanner(page, onAction, I.chunk);
    // A decision or the widget may have come first: the banner is not needed.
    if (widget || !mounting) return shown.host.remove();
    banner = shown;
    const hint = (event) => event.target.closest?.("[data-action=customize]") && warm(I);
    banner.root.addEventListener("pointerover", hint);
    banner.root.addEventListener("focusin", hint);
  })());

// What the loader's `open(what, id)` does: the banner and a one-click
// withdrawal here until the widget is loaded; anything else, and everything
// once it is, by the widget (`load()` boots it, see `boot`).
export const open = (I, what, id, load) => {
  if (!widget && what == "reject-all") return decideHere(I, "reject-all", banner ? banner.lang() : language(I.cfg));
  if (what == "banner") recordExpiry(I);
  if (!widget && what == "banner")
    return showBanner(I, load).catch((error) => {
      // A page that refuses it (a Trusted Types policy, say), or a banner
      // chunk that cannot be fetched: the widget's banner.
      warn("first layer: " + error);
      banner?.host.remove();
      banner = mounting = 0;
      return load().then((loaded) => loaded.show(what, id));
    });
  return load().then((loaded) => loaded.show(what, id));
};

// The widget's `show`, once booted.
let widget;

// Gives the widget's host the focus the first layer's banner had (the same
// control), and takes the banner out.
const handOver = () => {
  const focused = banner.host.shadowRoot.activeElement;
  const key = focused && (focused.dataset.action ? "[data-action=" + focused.dataset.action + "]" : "select.lang");
  banner.host.remove();
  banner = mounting = 0;
  const mounted = D.querySelector("assent-widget")?.shadowRoot;
  if (key) mounted?.querySelector(key)?.focus();
};

// Initialises the widget module `module` (its wasm) and hands it the bridge,
// with the language the first layer's banner shows, if any; returns what the
// loader calls `show` on.
export const boot = async (I, module) => {
  await compile(module);
  module.boot({
    decided: (stored, lang) => decided(I, stored, lang),
    // The dialog's "Download my consent records" (shown only with `records`).
    history: () => I.chunk("history").then((chunk) => chunk.history(I.cfg, { download: 1 }), warn),
    // The stored value of the decision this page view applies (blocked
    // storage keeps it here only).
    stored: () => I.V().stored,
    language: banner ? banner.lang() : undefined,
  });
  if (banner) attempt(handOver);
  return (widget = {
    show: (what, id) => {
      via = what == "allow-service" && what;
      try {
        module.show(what, id);
      } finally {
        via = 0;
      }
    },
  });
};
