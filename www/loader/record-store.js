// record-store.js: where consent records wait and what they leave behind, in
// the IndexedDB database `assent` (docs/records.md): `keys` ("device"),
// `outbox` (by seq), `receipts` and `rejected` (by record id), `meta`
// ("chain"). One connection per page view. Also the Web Locks that serialise
// the origin's tabs, and the localStorage marker the loader checks on every
// page view. Nothing here touches a browser global at import time.

/** The localStorage item present while the outbox holds a record. */
export const OUTBOX_MARKER = "assent.outbox";

let connection;

// The connection, opened (and the stores made) on first use.
const database = () =>
  (connection ||= new Promise((resolve, reject) => {
    const request = indexedDB.open("assent", 1);
    request.onupgradeneeded = () =>
      ["keys", "outbox", "receipts", "rejected", "meta"].map((name) => request.result.createObjectStore(name));
    request.onsuccess = () => {
      // A later version in another tab: let it upgrade, reopen next time.
      request.result.onversionchange = () => (request.result.close(), (connection = 0));
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  }).catch((error) => {
    connection = 0;
    throw error;
  }));

/**
 * Runs `work(store)` in one transaction over the stores `names` (`store(name)`
 * gives one); resolves, once it committed, to the result of the request (or
 * array of requests) `work` returned.
 */
export const transaction = async (names, work, mode = "readonly") => {
  const tx = (await database()).transaction(names, mode);
  const requests = work((name) => tx.objectStore(name));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(Array.isArray(requests) ? requests.map((r) => r.result) : requests?.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
};

/** The stored value of `key` in the store `name`. */
export const read = (name, key) => transaction([name], (store) => store(name).get(key));

// Without Web Locks (older browsers), a promise chain per lock name
// serialises this page only.
const chains = {};

/** `work()` under the Web Lock `name`, held across the origin's tabs. */
export const withLock = (name, work) => {
  if (navigator.locks) return navigator.locks.request(name, work);
  const done = (chains[name] || Promise.resolve()).then(work);
  chains[name] = done.catch(() => {});
  return done;
};

/**
 * Sets or clears the outbox marker (it stays while a decision is noted:
 * `noted`); blocked storage leaves it as it is.
 */
export const markOutbox = (queued) => {
  try {
    queued || noted()[0] ? localStorage.setItem(OUTBOX_MARKER, 1) : localStorage.removeItem(OUTBOX_MARKER);
  } catch {}
};

// --- Decisions noted until their record is made. Making a record takes a few
// asynchronous steps (the key, the chain, the signature, IndexedDB); a page
// that goes meanwhile (Accept all, then a link at once) would lose it. So a
// decision is first noted, synchronously, in localStorage (`UNRECORDED`: its
// stored value, language, method and account), with the outbox marker; the
// note goes once its record is made. The next page view's loader sees the
// marker and imports the decision chunk, whose `flush` records what is still
// noted (records.js `recordNoted`).

/** The localStorage item listing the decisions whose record is not made yet. */
export const UNRECORDED = "assent.unrecorded";

/** The noted decisions, oldest first (none when storage is blocked or the item broken). */
export const noted = () => {
  try {
    const notes = JSON.parse(localStorage.getItem(UNRECORDED));
    return Array.isArray(notes) ? notes : [];
  } catch {
    return [];
  }
};

// Writes the notes (none: the item goes).
const writeNotes = (notes) => {
  try {
    notes[0] ? localStorage.setItem(UNRECORDED, JSON.stringify(notes)) : localStorage.removeItem(UNRECORDED);
  } catch {}
};

/** Notes a decision, `{stored, lang, method, account}`, and sets the marker. */
export const note = (decision) => {
  writeNotes([...noted().filter((other) => other.stored != decision.stored), decision]);
  markOutbox(1);
};

/** Drops the note of the decision stored as `stored`. */
export const forget = (stored) => writeNotes(noted().filter((other) => other.stored != stored));
