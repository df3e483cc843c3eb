// records.js: signed, hash-chained consent records (docs/records.md, the
// contract), bundled by `cargo xtask loader` into the decision chunk
// `assent-decide.js` (which the first visit needs anyway) and, for
// `Assent.consentHistory()` (`history`), into `assent-history.js`. Used only
// where `#assent-config` names a `records` endpoint: for each decision
// (`record`) and an expired one (`record` with method "expiry"), and for a
// page view that finds the `assent.outbox` marker (`flush`: return visits
// never load the widget).
//
// A record is built, signed (JWS over its JCS form, with the device's
// non-extractable WebCrypto key) and stored in the IndexedDB outbox in one
// step under the Web Lock `assent-records`, which serialises the tabs of the
// origin; it is then posted, one at a time in `seq` order, under the lock
// `assent-records-send` (a record is never posted by two tabs at once).
// Records are proof, never a precondition: no IndexedDB, no WebCrypto or
// blocked storage is a `[assent] ` warning, and the decision still applies.
// Nothing here touches a browser global at import time (node tests import
// `jcs` and `event`).
import { evaluate, expiresAt, pick, state } from "./rules.js";

const warn = (m) => console.warn("[assent] " + m);
const arr = (x) => (Array.isArray(x) ? x : []);
const utf8 = (s) => new TextEncoder().encode(s);
const S = () => crypto.subtle;
// The localStorage marker the loader checks on every page view: present while
// the outbox holds a record.
const MARK = "assent.outbox";

// JCS (RFC 8785) for what a record holds: strings, integers, booleans, null,
// arrays and objects. JSON.stringify already writes strings and numbers as
// JCS does (ECMAScript serialisation); keys sort by UTF-16 code units, which
// is what Array#sort compares. `undefined` members are left out, as JSON does.
// What I-JSON (RFC 7493, required by JCS) forbids throws: a lone surrogate
// (`\p{Cs}` matches only unpaired ones in a `u` regex), NaN, Infinity.
export const jcs = (v) => {
  if (typeof v == "string" ? /\p{Cs}/u.test(v) : typeof v == "number" && !isFinite(v)) throw Error("not I-JSON: " + JSON.stringify(v));
  return v && typeof v == "object"
    ? Array.isArray(v)
      ? "[" + v.map(jcs) + "]"
      : "{" +
        Object.keys(v)
          .sort()
          .filter((k) => v[k] !== undefined)
          .map((k) => jcs(k) + ":" + jcs(v[k])) +
        "}"
    : JSON.stringify(v);
};

// base64url without padding, of bytes (an ArrayBuffer or Uint8Array).
const b64 = (b) => {
  let s = "";
  for (const x of new Uint8Array(b)) s += String.fromCharCode(x);
  return btoa(s).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
};
// `sha256:` + hex SHA-256 of a string's UTF-8 bytes (the record hash, of an
// ASCII compact JWS).
const sha = async (s) =>
  "sha256:" + [...new Uint8Array(await S().digest("SHA-256", utf8(s)))].map((x) => (x + 256).toString(16).slice(1)).join("");

// --- IndexedDB `assent`: keys ("device"), outbox (by seq), receipts and
// rejected (by record id), meta ("chain"). One connection per page view.
let db;
const open = () =>
  (db ||= new Promise((ok, no) => {
    const r = indexedDB.open("assent", 1);
    r.onupgradeneeded = () => ["keys", "outbox", "receipts", "rejected", "meta"].map((n) => r.result.createObjectStore(n));
    r.onsuccess = () => {
      // A later version in another tab: let it upgrade, reopen next time.
      r.result.onversionchange = () => (r.result.close(), (db = 0));
      ok(r.result);
    };
    r.onerror = () => no(r.error);
  }).catch((e) => {
    db = 0;
    throw e;
  }));
// Runs `f(store)` in one transaction over the stores `names`; resolves, once
// it committed, to the result of the request(s) `f` returned.
const tx = async (names, f, mode = "readonly") => {
  const t = (await open()).transaction(names, mode);
  const r = f((n) => t.objectStore(n));
  return new Promise((ok, no) => {
    t.oncomplete = () => ok(Array.isArray(r) ? r.map((x) => x.result) : r?.result);
    t.onerror = t.onabort = () => no(t.error);
  });
};
// `f()` under the Web Lock `name`, held across the origin's tabs. Without Web
// Locks (older browsers), a promise chain per name serialises this page only.
const chains = {};
const lock = (name, f) => {
  if (navigator.locks) return navigator.locks.request(name, f);
  const p = (chains[name] || Promise.resolve()).then(f);
  chains[name] = p.catch(() => {});
  return p;
};
const mark = (on) => {
  try {
    on ? localStorage.setItem(MARK, 1) : localStorage.removeItem(MARK);
  } catch {}
};

// --- The device key: Ed25519, else ECDSA P-256; the private key
// non-extractable (its bytes never reach script, only IndexedDB holds it).
// `{alg, key, jwk, sub}`: the JWS alg, the private CryptoKey, the public JWK
// and its RFC 7638 thumbprint, the record's subject. Called under the lock.
let dev;
const device = async () => {
  if ((dev ||= await tx(["keys"], (s) => s("keys").get("device")))) return dev;
  let err;
  for (const [alg, p] of [
    ["EdDSA", { name: "Ed25519" }],
    ["ES256", { name: "ECDSA", namedCurve: "P-256" }],
  ])
    try {
      const k = await S().generateKey(p, false, ["sign", "verify"]);
      const { crv, kty, x, y } = await S().exportKey("jwk", k.publicKey);
      // The thumbprint's members in lexicographic order (`y` only for EC).
      const jwk = { crv, kty, x, y };
      const d = { alg, key: k.privateKey, jwk, sub: b64(await S().digest("SHA-256", utf8(JSON.stringify(jwk)))) };
      await tx(["keys"], (s) => s("keys").put(d, "device"), "readwrite");
      return (dev = d);
    } catch (e) {
      err = e;
    }
  throw err;
};

// The compact JWS of `rec` signed with the device key `d`. The header carries
// the public JWK, so any JOSE library verifies a record alone; ECDSA signs as
// `r || s`, the JWS form. (`hash` is ignored by Ed25519.)
const sign = async (d, rec) => {
  const input = b64(utf8(JSON.stringify({ alg: d.alg, jwk: d.jwk, typ: "assent-record+jws" }))) + "." + b64(utf8(jcs(rec)));
  return input + "." + b64(await S().sign({ ...d.key.algorithm, hash: "SHA-256" }, d.key, utf8(input)));
};

// --- What a record says about its event (core `record::purposes` and
// `Method::of`, held to tests/vectors/records.json): `event(categories, v,
// method, last)` is `{method, purposes, last}` for the verdict `v` (rules.js)
// recorded on a page whose configuration has `categories`:
// - `method`: the one asked for ("allow-service", "expiry"), else the
//   decision's;
// - `purposes`: every category, then every service, each with its category's
//   legal basis (`consent`, `legitimate-interest` for necessary, when the
//   configuration has none) and its state: "not-required" for necessary, else
//   `state(v, ...)` (given, expired, refused), "withdrawn" instead of refused
//   when it was given in this device's previous record;
// - `last`: the states by kind initial and id (`canalytics`, `syoutube`), as
//   the chain keeps them for the next record: the previous record's `last`
//   is the argument.
export const event = (categories, v, method, last) => {
  const cats = [];
  const svcs = [];
  for (const c of arr(categories)) {
    const nec = c.id == "necessary";
    const basis = c.basis || (nec ? "legitimate-interest" : "consent");
    // The state of the category (`s` absent) or of its service `s`.
    const st = (key, s) => {
      const r = nec ? "not-required" : state(v, c.id, s);
      return r == "refused" && last[key] == "given" ? "withdrawn" : r;
    };
    cats.push({ id: c.id, kind: "category", state: st("c" + c.id), basis });
    for (const s of arr(c.services)) svcs.push({ id: s.id, kind: "service", category: c.id, state: st("s" + s.id, s.id), basis });
  }
  const purposes = [...cats, ...svcs];
  return {
    method: method || v.decision.method,
    purposes,
    last: Object.fromEntries(purposes.map((p) => [p.kind[0] + p.id, p.state])),
  };
};

// --- Making a record. `record(cfg, stored, lang, method)`: the decision
// `stored` (the stored value the widget handed over, valid now) made in the UI
// language `lang`; `method` "allow-service" for an embed's "Always allow",
// else the decision's own. With method "expiry" and no `stored`: the expiry of
// the stored decision (cookie or localStorage) that has expired, once per
// decision. Resolves once the record is in the outbox (or not made: a
// warning); never rejects. Sending starts at once.
export const record = async (cfg, stored, lang, method) => {
  try {
    const now = Date.now();
    const gpc = navigator.globalPrivacyControl === true;
    const exp = method == "expiry";
    const v = pick(
      (exp
        ? [() => /(?:^|; *)assent_consent=([^;]*)/.exec(document.cookie)?.[1], () => localStorage.getItem("assent.consent")]
        : [() => stored]
      ).map((f) => {
        let x;
        try {
          x = f();
        } catch {}
        return { ...evaluate(x, cfg, now, gpc), x };
      }),
    );
    const d = v.decision;
    if (v.status != (exp ? "expired" : "valid")) return;
    // The host's account id as the page says now (a single-page app may have
    // signed in since the loader ran); none, or a blank one: no `account`.
    let account;
    try {
      account = JSON.parse(document.querySelector("#assent-config").text).account;
      account = account == null || !(account += "").trim() ? undefined : account;
    } catch {}
    // WebCrypto exists in secure contexts only (https:, localhost).
    if (!S()) throw "no WebCrypto (not a secure context?)";
    await lock("assent-records", async () => {
      const k = await device();
      let m = await tx(["meta"], (s) => s("meta").get("chain"));
      // A new key (storage cleared in part) starts a new chain.
      if (m?.sub != k.sub) m = { sub: k.sub, seq: 0, hash: null, last: {} };
      if (exp && m.expired == v.x) return;
      const e = event(cfg.categories, v, method, m.last);
      const rec = {
        schema: "assent-record/1",
        id: crypto.randomUUID(),
        seq: m.seq + 1,
        previous: m.hash,
        subject: k.sub,
        account,
        controller: cfg.controller,
        jurisdiction: cfg.jurisdiction || "EU",
        policy: { id: cfg.policy, revision: cfg.revision, hash: cfg.hash },
        language: lang,
        method: e.method,
        gpc: exp ? gpc : d.gpc,
        purposes: e.purposes,
        widget: { version: cfg["widget-version"], texts: cfg.texts?.[lang] },
        // An expiry happened when the lifetime ran out.
        time: exp ? expiresAt(d, cfg) : d.decidedAt,
        "valid-until": exp ? null : expiresAt(d, cfg),
        decision: v.x,
      };
      const o = { rec, jws: await sign(k, rec) };
      o.hash = await sha(o.jws);
      // The record and the chain's new head in one transaction: a record
      // whose seq was given out is always in the outbox.
      await tx(
        ["outbox", "meta"],
        (s) => {
          s("outbox").put(o, rec.seq);
          s("meta").put({ ...m, seq: rec.seq, hash: o.hash, last: e.last, ...(exp && { expired: v.x }) }, "chain");
        },
        "readwrite",
      );
      mark(1);
      queued.push(o);
    });
  } catch (e) {
    return warn("consent record not made: " + e);
  }
  flush(cfg);
};

// --- Delivery: POST {jws} to `cfg.records`, the oldest record first, one at a
// time; 2xx: receipt kept, out of the outbox; 408, 425, 429, 5xx or no
// answer: again after 1 s × 2^n (at most 5 min, at least `Retry-After`) with
// full jitter; any other 4xx: moved to `rejected` for good.
let url;
let busy;
let timer;
let fails = 0;
// The outbox as last read, for the pagehide flush (which cannot wait for
// IndexedDB).
let queued = [];
const post = (o, keepalive) =>
  fetch(url, {
    method: "POST",
    keepalive,
    headers: { "content-type": "application/json", "idempotency-key": o.rec.id },
    body: JSON.stringify({ jws: o.jws }),
    // A request that never answers must not hold the send lock for ever.
    signal: keepalive ? null : AbortSignal.timeout(3e4),
  });

// Starts sending the outbox (`cfg.records`) unless that is under way or
// waiting for its next try. The loader calls it on a page view that finds the
// outbox marker.
export const flush = (cfg) => {
  url = cfg.records;
  // Leaving the page: whatever is queued goes with keepalive, answers unread.
  // The ledger is idempotent, so the next page view's try gets the receipt.
  // Sent all at once: one arriving before its predecessor is refused (chain)
  // and sent again, in order, by the next page view.
  flush.h ||= addEventListener("pagehide", () => queued.map((o) => post(o, 1).catch(() => {}))) || 1;
  go();
};
// A call while sending is remembered (`again`): a record enqueued after the
// loop found the outbox empty is sent by a new round.
let again;
const go = () =>
  busy
    ? (again = 1)
    : url &&
      !timer &&
      (busy = send()
        .catch((e) => warn("consent records not sent: " + e))
        .finally(() => ((busy = 0), again && ((again = 0), go()))));

// Sends outbox records, oldest first, until the outbox is empty (the marker
// goes, unless a record came in meanwhile) or a try failed (the next one is
// scheduled).
const send = async () => {
  let wait;
  while (wait == null)
    wait = await lock("assent-records-send", async () => {
      const q = (queued = await tx(["outbox"], (s) => s("outbox").getAll()));
      const o = q[0];
      if (!o) {
        await lock("assent-records", async () => (await tx(["outbox"], (s) => s("outbox").count())) || mark(0));
        return -1;
      }
      let r = 0;
      let body;
      try {
        r = await post(o);
        body = await r.json();
      } catch {}
      const st = r.status;
      if (st > 199 && st < 300)
        await tx(
          ["outbox", "receipts"],
          (s) => {
            s("outbox").delete(o.rec.seq);
            s("receipts").put({ ...o, receipt: body?.receipt ?? null }, o.rec.id);
          },
          "readwrite",
        );
      else if (st > 399 && st < 500 && ![408, 425, 429].includes(st))
        await reject(o, st + " " + (body?.error ? body.error + ": " + body.detail : r.statusText));
      else
        return Math.min(
          3e5,
          Math.max(Math.random() * Math.min(3e5, 1e3 * 2 ** fails++), r.headers?.get("retry-after") * 1e3 || 0),
        );
      fails = 0;
      queued = q.slice(1);
    });
  if (wait >= 0) timer = setTimeout(() => ((timer = 0), go()), wait);
};

// The ledger refused `o` for good: it moves to `rejected` with the reason.
// The records queued behind it name it as `previous`, so the ledger would
// refuse them too (chain): they take its place, re-chained from the record
// before it (the last one delivered) and signed again, with new ids (their
// content changed); the chain's head follows.
const reject = (o, reason) =>
  lock("assent-records", async () => {
    warn(`consent record ${o.rec.seq} (${o.rec.id}) rejected by the ledger: ${reason}`);
    const [q, m] = await tx(["outbox", "meta"], (s) => [s("outbox").getAll(), s("meta").get("chain")]);
    const k = await device();
    let seq = o.rec.seq - 1;
    let previous = o.rec.previous;
    const next = [];
    for (const x of q)
      if (x.rec.seq > o.rec.seq) {
        const rec = { ...x.rec, id: crypto.randomUUID(), seq: ++seq, previous };
        const jws = await sign(k, rec);
        next.push({ rec, jws, hash: (previous = await sha(jws)) });
      }
    await tx(
      ["outbox", "meta", "rejected"],
      (s) => {
        s("rejected").put({ ...o, reason }, o.rec.id);
        s("outbox").clear();
        next.map((x) => s("outbox").put(x, x.rec.seq));
        s("meta").put({ ...m, seq, hash: previous }, "chain");
      },
      "readwrite",
    );
  });

// --- `Assent.consentHistory(opts)`: this device's records, oldest first:
// `{subject, records: [{id, seq, time, method, jws, receipt, status, reason?}]}`
// (`status`: delivered, queued, rejected; a rejected record comes before the
// one that took its seq). `{download: true}` also saves it as
// `consent-history.json`. Without `records` in the configuration: nothing
// (no IndexedDB opened). Never rejects: a failure is a warning and an empty
// history.
export const history = async (cfg, opts) => {
  let h = { subject: null, records: [] };
  if (cfg.records)
    try {
      const [k, ...all] = await tx(["keys", "receipts", "outbox", "rejected"], (s) => [
        s("keys").get("device"),
        ...["receipts", "outbox", "rejected"].map((n) => s(n).getAll()),
      ]);
      h.subject = k?.sub ?? null;
      all.map((a, i) =>
        a.map((x) =>
          h.records.push({
            id: x.rec.id,
            seq: x.rec.seq,
            time: x.rec.time,
            method: x.rec.method,
            jws: x.jws,
            receipt: x.receipt ?? null,
            status: ["delivered", "queued", "rejected"][i],
            ...(x.reason && { reason: x.reason }),
          }),
        ),
      );
      h.records.sort((a, b) => a.seq - b.seq || (b.status == "rejected") - (a.status == "rejected"));
    } catch (e) {
      warn("consent history: " + e);
    }
  if (opts?.download) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([JSON.stringify(h, null, 2)], { type: "application/json" }));
    a.download = "consent-history.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 6e4);
  }
  return h;
};
