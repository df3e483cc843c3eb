// records.js: signed, hash-chained consent records (docs/records.md, the
// contract), bundled by `cargo xtask loader` into the decision chunk
// `assent-decide.js` (which the first visit needs anyway). Used only where
// `#assent-config` names a `records` endpoint: for each decision (`record`)
// and an expired one (`record` with method "expiry").
//
// A record is built, signed (JWS over its JCS form, with the device's
// non-extractable WebCrypto key: device-key.js) and stored in the IndexedDB
// outbox (record-store.js) in one step under the Web Lock `assent-records`,
// which serialises the tabs of the origin; delivery.js then posts it.
// Records are proof, never a precondition: no IndexedDB, no WebCrypto or
// blocked storage is a `[assent] ` warning, and the decision still applies.
// Nothing here touches a browser global at import time (node tests import
// `event`).
import { enqueue, flush as send } from "./delivery.js";
import { deviceKey, sha256, sign } from "./device-key.js";
import { forget, markOutbox, note, noted, read, transaction, withLock } from "./record-store.js";
import { expiresAt, state } from "./rules.js";
import { list, warn } from "./util.js";

// --- What a record says about its event (core `record::purposes` and
// `Method::of`, held to tests/vectors/records.json): `event(categories,
// verdict, method, last)` is `{method, purposes, last}` for the verdict
// (rules.js) recorded on a page whose configuration has `categories`:
// - `method`: the one asked for ("allow-service", "expiry"), else the
//   decision's;
// - `purposes`: every category, then every service, each with its category's
//   legal basis (`consent`, `legitimate-interest` for necessary, when the
//   configuration has none) and its state: "not-required" for necessary, else
//   `state(verdict, ...)` (given, expired, refused), "withdrawn" instead of
//   refused when it was given in this device's previous record;
// - `last`: the states by kind initial and id (`canalytics`, `syoutube`), as
//   the chain keeps them for the next record: the previous record's `last`
//   is the argument.
export const event = (categories, verdict, method, last) => {
  const categoryPurposes = [];
  const servicePurposes = [];
  for (const category of list(categories)) {
    const necessary = category.id == "necessary";
    const basis = category.basis || (necessary ? "legitimate-interest" : "consent");
    // The state of the category (`service` absent) or of one of its services.
    const stateOf = (key, service) => {
      const now = necessary ? "not-required" : state(verdict, category.id, service);
      return now == "refused" && last[key] == "given" ? "withdrawn" : now;
    };
    categoryPurposes.push({ id: category.id, kind: "category", state: stateOf("c" + category.id), basis });
    for (const { id } of list(category.services))
      servicePurposes.push({ id, kind: "service", category: category.id, state: stateOf("s" + id, id), basis });
  }
  const purposes = [...categoryPurposes, ...servicePurposes];
  return {
    method: method || verdict.decision.method,
    purposes,
    last: Object.fromEntries(purposes.map((p) => [p.kind[0] + p.id, p.state])),
  };
};

// --- Making a record.

// The host's account id as the page says now (a single-page app may have
// signed in since the loader ran: the configuration is read again); none, or
// a blank one: no `account`.
const currentAccount = () => {
  try {
    const account = JSON.parse(document.querySelector("#assent-config").text).account;
    return account == null || !String(account).trim() ? undefined : String(account);
  } catch {}
};

// How many recorded decisions the chain's head remembers (`recent`), to make
// a noted decision's record once only: notes wait for the next page view, far
// fewer decisions away.
const RECENT = 20;

// Under the records' lock: the record of `verdict` (`method`, `account`,
// `lang`, `gpc` as `record` has them), the next link of the device's chain,
// signed and put in the outbox with the chain's new head in one transaction
// (a record whose seq was given out is always in the outbox). An expiry
// already recorded is not recorded again, nor a decision (the page that made
// it and the next one's `recordNoted` may both try).
const appendRecord = async (cfg, verdict, method, account, lang, gpc) => {
  const expiry = method == "expiry";
  const decision = verdict.decision;
  const device = await deviceKey();
  let chain = await read("meta", "chain");
  // A new key (storage cleared in part) starts a new chain.
  if (chain?.sub != device.sub) chain = { sub: device.sub, seq: 0, hash: null, last: {} };
  if (expiry ? chain.expired == verdict.stored : list(chain.recent).includes(verdict.stored)) return;
  const e = event(cfg.categories, verdict, method, chain.last);
  const rec = {
    schema: "assent-record/1",
    id: crypto.randomUUID(),
    seq: chain.seq + 1,
    previous: chain.hash,
    subject: device.sub,
    account,
    controller: cfg.controller,
    jurisdiction: cfg.jurisdiction || "EU",
    policy: { id: cfg.policy, revision: cfg.revision, hash: cfg.hash },
    language: lang,
    method: e.method,
    gpc: expiry ? gpc : decision.gpc,
    purposes: e.purposes,
    widget: { version: cfg["widget-version"], texts: cfg.texts?.[lang] },
    // An expiry happened when the lifetime ran out.
    time: expiry ? expiresAt(decision, cfg) : decision.decidedAt,
    "valid-until": expiry ? null : expiresAt(decision, cfg),
    decision: verdict.stored,
  };
  const jws = await sign(device, rec);
  const entry = { rec, jws, hash: await sha256(jws) };
  const head = {
    ...chain,
    seq: rec.seq,
    hash: entry.hash,
    last: e.last,
    ...(expiry ? { expired: verdict.stored } : { recent: [...list(chain.recent).slice(1 - RECENT), verdict.stored] }),
  };
  await transaction(
    ["outbox", "meta"],
    (store) => {
      store("outbox").put(entry, rec.seq);
      store("meta").put(head, "chain");
    },
    "readwrite",
  );
  markOutbox(1);
  enqueue(entry);
};

/**
 * `record(cfg, verdict, lang, method)`: the record of the loader's `verdict`
 * (rules.js `evaluate` of a stored value, with that value as `stored`): a
 * decision just made (valid) in the UI language `lang`, `method`
 * "allow-service" for an embed's "Always allow", else the decision's own; or,
 * with method "expiry", the page's stored decision that has expired, once per
 * decision. Resolves once the record is in the outbox (or not made: a
 * warning); never rejects. Sending starts at once.
 */
export const record = async (cfg, verdict, lang, method) => {
  const expiry = method == "expiry";
  if (verdict.status != (expiry ? "expired" : "valid")) return;
  const account = currentAccount();
  // Noted before anything asynchronous: if the page goes before the record
  // is made, the next page view makes it (`recordNoted`). An expiry needs no
  // note: the next page view finds the decision expired again.
  if (!expiry) note({ stored: verdict.stored, lang, method, account });
  try {
    const gpc = navigator.globalPrivacyControl === true;
    // WebCrypto exists in secure contexts only (https:, localhost).
    if (!crypto.subtle) throw "no WebCrypto (not a secure context?)";
    await withLock("assent-records", () => appendRecord(cfg, verdict, method, account, lang, gpc));
  } catch (error) {
    return warn("consent record not made: " + error);
  } finally {
    // Made, or failed for a reason the next page view would meet again.
    forget(verdict.stored);
  }
  send(cfg);
};

// The records of the decisions still noted (their page went before they were
// made), oldest first, each as of its own time: `ev(stored, at)` is the
// loader's verdict of `stored` at `at` (main.js).
const recordNoted = async (cfg, ev) => {
  for (const { stored, lang, method, account } of noted()) {
    const decision = ev(stored).decision;
    const verdict = decision && ev(stored, decision.decidedAt);
    try {
      if (verdict?.status == "valid")
        await withLock("assent-records", () => appendRecord(cfg, verdict, method, account, lang, decision.gpc));
    } catch (error) {
      warn("consent record not made: " + error);
    }
    forget(stored);
  }
};

/**
 * `flush(cfg, ev)`: makes the records of the decisions still noted, then
 * sends the outbox to `cfg.records` (delivery.js). The loader calls it, with
 * its `ev`, on a page view that finds the outbox marker.
 */
export const flush = (cfg, ev) => recordNoted(cfg, ev).then(() => send(cfg));
