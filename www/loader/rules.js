// rules.js: the loader's consent rules as pure functions (no DOM, no clock): the
// JavaScript twin of assent-core's `stored.rs` (decode), `rules.rs` (evaluate,
// pick, the lifetime, a verdict's reason and states) and `gate.rs` (gate). Core is the spec; the shared test
// vectors (`tests/vectors/consent.json`, replayed by
// `tests/loader/vectors.test.mjs`) prove that the two agree on every case.
//
// Shapes (camelCase versions of the vectors' keys):
// - decision: { categories: {analytics, marketing, personalization: bool},
//   services: {id: bool} (no prototype), method, decidedAt, revision, gpc }
// - effective: { categories, services, gpcRefused }
// - verdict: { status: "none"|"expired"|"outdated"|"valid", decision, effective, problem }
// - rules: the page configuration { revision, "consent-revision", "lifetime-days" }

// The categories that need consent, in the order of the stored flags `a?m?p?`.
export const OPTIONAL = ["analytics", "marketing", "personalization"];

// One day in milliseconds.
const DAY = 864e5;

// The stored form `v2.<a?m?p?>.<method>.<decided-at-ms>.<revision>.<gpc 0|1>.<services>`;
// services are `~`-separated (empty items ignored), each `+id` (granted alone)
// or `-id` (refused alone), ids of 1 to 64 ASCII letters, digits, `_` or `-`.
const FORM =
  /^v2\.a([01])m([01])p([01])\.(accept-all|reject-all|preferences)\.(\d+)\.(\d+)\.([01])\.((?:~|[+-][\w-]{1,64}(?=~|$))*)$/;

// `s` as a string without the whitespace core trims (Rust's
// `char::is_whitespace`): JavaScript's `trim` and `\s` also take U+FEFF and
// leave U+0085, so a value core refuses would read here.
const trim = (s) => (s + "").replace(/^(?:[^\S\ufeff]|\x85)+|(?:[^\S\ufeff]|\x85)+$/g, "");

// A number of the configuration: a non-negative integer, else `fallback`
// (core `Rules::default()`: revision 0, consent revision 0, 182 days).
export const num = (x, fallback) => (Number.isInteger(x) && x >= 0 ? x : fallback);

// Reads a stored value (core `Decision::decode`): the decision, or null when the
// value is broken in any way, so that it never grants anything. Surrounding
// whitespace is ignored; a timestamp above 2^53 - 1 (the largest integer a
// JavaScript number holds exactly), a revision above 2^32 - 1 and a service
// named twice are refused. Services live in an object without prototype: an id
// like `constructor` never reads as granted.
//
// Here and in `pick` and `gate`, lists are walked with index loops, never
// with Array.prototype's methods: a host page that redefines those (a lying
// `every` says yes to anything) cannot make the loader grant
// (tests/e2e/hostile-page.test.mjs).
export function decode(value) {
  const m = FORM.exec(trim(value));
  const services = Object.create(null);
  for (let i = 0, items = m ? m[8].split("~") : []; i < items.length; i++)
    if (items[i]) {
      if (items[i].slice(1) in services) return null;
      services[items[i].slice(1)] = items[i][0] == "+";
    }
  return m && m[5] < 2 ** 53 && m[6] < 2 ** 32
    ? {
        categories: { analytics: m[1] == 1, marketing: m[2] == 1, personalization: m[3] == 1 },
        services,
        method: m[4],
        decidedAt: +m[5],
        revision: +m[6],
        gpc: m[7] == 1,
      }
    : null;
}

// When `decision` expires under `rules`, in Unix milliseconds: the lifetime is
// 182 days (six months) unless the page says otherwise, clamped to 1..395 days
// (13 months, the CNIL's maximum) (core `Rules::expires_at_ms`).
export const expiresAt = (decision, rules) =>
  decision.decidedAt + Math.min(395, Math.max(1, num(rules["lifetime-days"], 182))) * DAY;

// Reads `stored` (the cookie or localStorage value, or nothing) under `rules` at
// `now` (Unix ms) with the browser's Global Privacy Control signal `gpc` (core
// `rules::evaluate`). Not trusted when dated more than a day ahead; expired after
// the lifetime; outdated when decided under a revision older than the consent
// revision or newer than the page's. When valid, `effective` is what it allows:
// a GPC signal the decision did not see refuses marketing.
export function evaluate(stored, rules, now, gpc) {
  const v = { status: "none", decision: null, effective: null, problem: null };
  const d = trim(stored ?? "") && (v.decision = decode(stored));
  if (d == null) v.problem = "malformed stored consent " + stored;
  else if (d.decidedAt > now + DAY) v.problem = "stored consent dated in the future";
  else if (d) {
    v.status =
      now >= expiresAt(d, rules)
        ? "expired"
        : d.revision < num(rules["consent-revision"], 0) || d.revision > num(rules.revision, 0)
          ? "outdated"
          : "valid";
    gpc = gpc && !d.gpc;
    if (v.status == "valid")
      v.effective = {
        categories: { ...d.categories, ...(gpc && { marketing: false }) },
        services: d.services,
        gpcRefused: gpc,
      };
  }
  return v;
}

// A verdict's rank in core's `pick`: valid first, then any decoded decision
// (`major`), then the newest.
const major = (v) => (v.status == "valid") * 2 + (v.status != "none");
const time = (v) => v.decision?.decidedAt ?? -1;

// Of several verdicts (cookie, localStorage), the one to use: the newest valid,
// else the newest decoded, else nothing; on a tie the later one, like Rust's
// `max_by_key` (core `rules::pick`). An index loop: see `decode`.
export function pick(verdicts) {
  let best = evaluate();
  for (let i = 0; i < verdicts.length; i++) {
    const v = verdicts[i];
    if ((major(v) - major(best) || time(v) - time(best)) >= 0) best = v;
  }
  return best;
}

// Why the page is in the state of `verdict` (core `Verdict::reason`): how a
// valid decision was made ("accept-all", "reject-all", "custom"), "gpc" when the
// GPC signal refused part of it, "expiry", "policy-change", else "none".
export const reason = (v) =>
  v.status == "valid"
    ? v.effective.gpcRefused
      ? "gpc"
      : v.decision.method == "preferences"
        ? "custom"
        : v.decision.method
    : { expired: "expiry", outdated: "policy-change" }[v.status] || "none";

// The state of `categories` (and `service`) under `verdict` (core
// `Verdict::state`): "given" when `gate` runs them under the effective choice;
// "expired" when the decision expired or is outdated and, read without the GPC
// rule (a decision gates like an effective choice without `gpcRefused`), would
// run them; else "refused".
export const state = (v, categories, service) =>
  gate(v.effective, categories, service)
    ? "given"
    : /^(expired|outdated)$/.test(v.status) && gate(v.decision, categories, service)
      ? "expired"
      : "refused";

// Whether an element with `data-category` = `categories` (keys separated by
// spaces or commas, all needed) and optional `data-service` = `service` may run
// under `effective` (null: no valid decision). Fails closed (core `gate`):
// unknown or empty categories hold; necessary alone runs; a GPC refusal holds
// marketing even for a service granted alone; a service exception decides for
// its service; otherwise every category must be granted.
export function gate(effective, categories, service) {
  // Keys split on core's whitespace and commas, compared ignoring ASCII case
  // only (`toLowerCase` reads U+212A KELVIN SIGN as "k").
  const keys = (categories + "")
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .split(/(?:[^\S\ufeff]|[\x85,])+/);
  const id = trim(service ?? "");
  // How many keys, how many of them optional, how many of those refused
  // (index loops: see `decode`). A key is optional when the decision has a
  // category of that name (a boolean: never an Object.prototype member); any
  // other key but necessary, an optional one without a decision, or
  // marketing under a GPC refusal holds the element.
  let named = 0;
  let optional = 0;
  let refused = 0;
  for (let i = 0; i < keys.length; i++)
    if (keys[i] && (named++, keys[i] != "necessary")) {
      const granted = effective?.categories[keys[i]];
      if (typeof granted != "boolean" || (keys[i] == "marketing" && effective.gpcRefused)) return false;
      optional++;
      refused += !granted;
    }
  return named > 0 && (!optional || (id in effective.services ? effective.services[id] : !refused));
}
