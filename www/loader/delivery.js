// delivery.js: sending the outbox's consent records to the site's ledger
// (docs/records.md, the contract). POST {jws} to `cfg.records`, the oldest
// record first, one at a time, under the Web Lock `assent-records-send` (a
// record is never posted by two tabs at once):
// - 2xx: the receipt is kept, the record leaves the outbox;
// - 408, 425, 429, 5xx or no answer: again after 1 s × 2^n (at most 5 min, at
//   least `Retry-After`) with full jitter;
// - any other 4xx: moved to `rejected` for good, and the records behind it
//   re-chained.
import { deviceKey, sha256, sign } from "./device-key.js";
import { markOutbox, transaction, withLock } from "./record-store.js";
import { warn } from "./util.js";

let endpoint;
let sending;
let retryTimer;
let failures = 0;
// A call while sending: a record enqueued after the loop found the outbox
// empty is sent by a new round.
let sendAgain;
// The outbox as last read, for the pagehide flush (which cannot wait for
// IndexedDB).
let queued = [];
let leavingHandled;

const post = (entry, keepalive) =>
  fetch(endpoint, {
    method: "POST",
    keepalive,
    headers: { "content-type": "application/json", "idempotency-key": entry.rec.id },
    body: JSON.stringify({ jws: entry.jws }),
    // A request that never answers must not hold the send lock for ever.
    signal: keepalive ? null : AbortSignal.timeout(3e4),
  });

/** A record just put in the outbox (`{rec, jws, hash}`): sent with the others if the page is left. */
export const enqueue = (entry) => queued.push(entry);

/**
 * Starts sending the outbox to `cfg.records` unless that is under way or
 * waiting for its next try. Called after each record, and by the loader on a
 * page view that finds the outbox marker.
 */
export const flush = (cfg) => {
  endpoint = cfg.records;
  // Leaving the page: whatever is queued goes with keepalive, answers unread.
  // The ledger is idempotent, so the next page view's try gets the receipt.
  // Sent all at once: one arriving before its predecessor is refused (chain)
  // and sent again, in order, by the next page view.
  leavingHandled ||= addEventListener("pagehide", () => queued.map((entry) => post(entry, 1).catch(() => {}))) || 1;
  startSending();
};

const startSending = () => {
  if (sending) return (sendAgain = 1);
  if (!endpoint || retryTimer) return;
  sending = sendOutbox()
    .catch((error) => warn("consent records not sent: " + error))
    .finally(() => {
      sending = 0;
      if (sendAgain) (sendAgain = 0), startSending();
    });
};

// Sends outbox records, oldest first, until the outbox is empty (the marker
// goes, unless a record came in meanwhile) or a try failed (the next one is
// scheduled).
const sendOutbox = async () => {
  let wait;
  while (wait == null) wait = await withLock("assent-records-send", sendOldest);
  if (wait >= 0) retryTimer = setTimeout(() => ((retryTimer = 0), startSending()), wait);
};

const isFinal = (status) => status > 399 && status < 500 && ![408, 425, 429].includes(status);

// One try at the oldest record: `undefined` when it left the outbox (next
// one), -1 when the outbox is empty, else the milliseconds until the next try.
const sendOldest = async () => {
  const outbox = (queued = await transaction(["outbox"], (store) => store("outbox").getAll()));
  const oldest = outbox[0];
  if (!oldest) {
    await withLock("assent-records", async () => (await transaction(["outbox"], (store) => store("outbox").count())) || markOutbox(0));
    return -1;
  }
  let response = 0;
  let body;
  try {
    response = await post(oldest);
    body = await response.json();
  } catch {}
  const status = response.status;
  if (status > 199 && status < 300) await keepReceipt(oldest, body?.receipt ?? null);
  else if (isFinal(status)) await reject(oldest, status + " " + (body?.error ? body.error + ": " + body.detail : response.statusText));
  else return retryDelay(response);
  failures = 0;
  queued = outbox.slice(1);
};

// 1 s × 2^n with full jitter, at least `Retry-After`, at most 5 minutes.
const retryDelay = (response) => {
  const backoff = Math.random() * Math.min(3e5, 1e3 * 2 ** failures++);
  const retryAfter = response.headers?.get("retry-after") * 1e3 || 0;
  return Math.min(3e5, Math.max(backoff, retryAfter));
};

const keepReceipt = (entry, receipt) =>
  transaction(
    ["outbox", "receipts"],
    (store) => {
      store("outbox").delete(entry.rec.seq);
      store("receipts").put({ ...entry, receipt }, entry.rec.id);
    },
    "readwrite",
  );

// The ledger refused `entry` for good: it moves to `rejected` with the reason.
// The records queued behind it name it as `previous`, so the ledger would
// refuse them too (chain): they take its place, re-chained from the record
// before it (the last one delivered) and signed again, with new ids (their
// content changed); the chain's head follows.
const reject = (entry, reason) =>
  withLock("assent-records", async () => {
    warn(`consent record ${entry.rec.seq} (${entry.rec.id}) rejected by the ledger: ${reason}`);
    const [outbox, chain] = await transaction(["outbox", "meta"], (store) => [store("outbox").getAll(), store("meta").get("chain")]);
    const device = await deviceKey();
    let seq = entry.rec.seq - 1;
    let previous = entry.rec.previous;
    const rechained = [];
    for (const later of outbox)
      if (later.rec.seq > entry.rec.seq) {
        const rec = { ...later.rec, id: crypto.randomUUID(), seq: ++seq, previous };
        const jws = await sign(device, rec);
        rechained.push({ rec, jws, hash: (previous = await sha256(jws)) });
      }
    await transaction(
      ["outbox", "meta", "rejected"],
      (store) => {
        store("rejected").put({ ...entry, reason }, entry.rec.id);
        store("outbox").clear();
        rechained.map((x) => store("outbox").put(x, x.rec.seq));
        store("meta").put({ ...chain, seq, hash: previous }, "chain");
      },
      "readwrite",
    );
  });
