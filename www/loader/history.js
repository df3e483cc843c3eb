// history.js: the visitor's consent records and receipts (docs/records.md),
// bundled by `cargo xtask loader` into the ES module `assent-history.js`,
// which the loader imports only for `Assent.consentHistory()` and the
// preferences dialog's "Download my consent records": the first layer's
// chunk (`assent-decide.js`, which makes and sends records) stays small.
import { transaction } from "./record-store.js";
import { warn } from "./util.js";

const STATUS_BY_STORE = { receipts: "delivered", outbox: "queued", rejected: "rejected" };

const entry = (stored, status) => ({
  id: stored.rec.id,
  seq: stored.rec.seq,
  time: stored.rec.time,
  method: stored.rec.method,
  jws: stored.jws,
  receipt: stored.receipt ?? null,
  status,
  ...(stored.reason && { reason: stored.reason }),
});

// By seq; a rejected record comes before the one that took its seq.
const bySeq = (a, b) => a.seq - b.seq || (b.status == "rejected") - (a.status == "rejected");

const readHistory = async () => {
  const names = Object.keys(STATUS_BY_STORE);
  const [key, ...stores] = await transaction(["keys", ...names], (store) => [
    store("keys").get("device"),
    ...names.map((name) => store(name).getAll()),
  ]);
  const records = stores.flatMap((all, i) => all.map((stored) => entry(stored, STATUS_BY_STORE[names[i]])));
  return { subject: key?.sub ?? null, records: records.sort(bySeq) };
};

const download = (history) => {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(history, null, 2)], { type: "application/json" }));
  link.download = "consent-history.json";
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 6e4);
};

/**
 * `Assent.consentHistory(opts)`: this device's records, oldest first:
 * `{subject, records: [{id, seq, time, method, jws, receipt, status, reason?}]}`
 * (`status`: delivered, queued, rejected). `{download: true}` also saves it as
 * `consent-history.json`. Without `records` in the configuration: nothing (no
 * IndexedDB opened). Never rejects: a failure is a warning and an empty
 * history.
 */
export const history = async (cfg, opts) => {
  let found = { subject: null, records: [] };
  if (cfg.records)
    try {
      found = await readHistory();
    } catch (error) {
      warn("consent history: " + error);
    }
  if (opts?.download) download(found);
  return found;
};
