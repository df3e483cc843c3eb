// decide.js: applying a decision, bundled by `cargo xtask loader` into the ES
// module `assent-decide.js`. The loader imports it together with the widget
// (a decision is only ever made by the widget, through `bridge.decided`) and
// for `Assent.reset()` (which shows the banner, so imports the widget anyway):
// a return visit never downloads it.
//
// Every function receives the loader's internals `I` (main.js): `cfg` (the
// configuration), `svc` (services by id, with their category `cat`), `ev`
// (evaluates a stored value), `consent()` (the state for the API and events),
// `V()` (the current verdict), `subs()` (the onChange callbacks), `set(v)`
// (makes `v` this page view's verdict: Consent Mode, activation, the
// floating button's chunk) and `chunk(name)` (imports `assent-<name>.js`:
// here `assent-records.js`, the consent records of docs/records.md).
import { language } from "./lang.js";
import { gate, OPTIONAL } from "./rules.js";

const D = document;
const warn = (m) => console.warn("[assent] " + m);
// Runs `f`; an exception becomes a warning.
const T = (f) => {
  try {
    return f();
  } catch (e) {
    warn(e);
  }
};

// --- Clearing a service's declared cookies and storage (`*` globs). A cookie
// is expired without Domain, with its declared one and with every parent
// domain of the page: trackers set them on the registrable domain.
const hosts = location.hostname.split(".").map((_, i, a) => a.slice(i).join("."));
const kill = (n, path, domain) => {
  for (const d of ["", domain, ...hosts]) D.cookie = n + "=;Max-Age=0;Path=" + (path || "/") + (d ? ";Domain=" + d : "");
};
const wipe = (I, s) =>
  (Array.isArray(s.cookies) ? s.cookies : []).map((k) =>
    T(() => {
      const re = RegExp("^" + k.name.split("*").map((x) => x.replace(/\W/g, "\\$&")).join(".*") + "$");
      const kind = k.storage || "cookie";
      const st = kind == "local-storage" ? localStorage : kind == "session-storage" && sessionStorage;
      if (kind == "indexeddb") indexedDB.deleteDatabase(k.name);
      for (const n of st ? Object.keys(st) : kind == "cookie" ? [k.name, ...D.cookie.split(/=[^;]*;? */)] : [])
        if (re.test(n)) st ? st.removeItem(n) : kill(n, k.path, k.domain);
    }),
  );

// A new verdict for this page view (a decision, or nothing after a reset):
// clear what was withdrawn (on reset, every optional service), update Consent
// Mode, load what is allowed now, tell the page (`assent:consent` where there
// was no valid decision, else `assent:change`, then the onChange callbacks),
// reload if asked to after a withdrawal (once `p`, the decision's record, is
// in the outbox, or a second has passed: the next page view sends it).
const apply = (I, v, reset, p) => {
  const { svc } = I;
  const old = I.V().effective;
  const E = v.effective;
  const type = reset || I.V().status == "valid" ? "change" : "consent";
  const withdrawn = OPTIONAL.filter((k) => gate(old, k) && !gate(E, k));
  for (const id in svc) {
    const c = svc[id].cat;
    const was = gate(old, c, id);
    if ((reset || was) && !gate(E, c, id)) {
      if (was) withdrawn.push(id);
      wipe(I, svc[id]);
    }
  }
  I.set(v);
  const detail = { ...I.consent(), withdrawn };
  D.dispatchEvent(new CustomEvent("assent:" + type, { detail }));
  for (const f of I.subs()) T(() => f(detail));
  if (withdrawn[0] && I.cfg["reload-on-withdrawal"])
    Promise.race([p, new Promise((ok) => setTimeout(ok, 1e3))]).then(() => location.reload());
};

// Makes the consent record of a decision (docs/records.md) where the site
// collects them (`records`); a promise that never rejects. Records are proof,
// not a precondition: the decision applies whatever happens to its record.
const rec = (I, ...a) => I.cfg.records && I.chunk("records").then((m) => m.record(I.cfg, ...a), warn);

// The method of the decision being made, when the stored value does not say
// it: "allow-service" while the widget runs an embed's "Always allow" (it
// decides within that `show` call).
let via;

// The widget's `bridge.decided(stored, language)`: applies a valid decision
// and records it in the language the user decided in.
const decided = (I, x, lang) =>
  T(() => {
    const s = I.ev(x);
    s.status == "valid" ? apply(I, s, 0, rec(I, x, lang || language(I.cfg), via)) : warn("decision not applied: " + s.status);
  });

// `Assent.reset()`: forgets the stored choice and applies "no decision".
export const reset = (I) => {
  T(() => kill("assent_consent"));
  T(() => localStorage.removeItem("assent.consent"));
  apply(I, I.ev(), 1);
};

// Initialises the widget module `m` (its wasm) and hands it the bridge;
// returns what the loader calls `show` on. A decision that has expired gets
// its expiry record now (the banner is about to ask again; once per decision).
export const boot = async (I, m) => {
  await m.default();
  m.boot({
    decided: (s, l) => decided(I, s, l),
    // The dialog's "Download my consent records" (shown only with `records`).
    history: () => I.chunk("records").then((r) => r.history(I.cfg, { download: 1 }), warn),
  });
  if (I.V().status == "expired") rec(I, 0, language(I.cfg), "expiry");
  return {
    show: (w, id) => {
      via = w == "allow-service" && w;
      try {
        m.show(w, id);
      } finally {
        via = 0;
      }
    },
  };
};
