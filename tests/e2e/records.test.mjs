// Signed consent records end to end (docs/records.md): the widget in Chromium
// signs and queues each decision, the fixture server proxies `/api/` to the real
// ledger binary (crates/assent-ledger), which verifies and stores it in SQLite,
// or in PostgreSQL when `cargo xtask test` runs this file again with
// ASSENT_E2E_POSTGRES. Records are read back with `assent-ledger export` and
// checked with a stock JOSE library (npm `jose`), not only with our own code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeProtectedHeader, importJWK } from "jose";
import { pageUntil, until } from "../support/harness.mjs";
import { isWidgetFile, launchBrowser, openPage, startServer, visit, widgetButton, waitForBanner, waitForDialog } from "./support.mjs";
import { BACKEND, LEDGER_BIN, POSTGRES, exportLedger, ledgerStore, payloadOf, startLedger } from "./ledger.mjs";

const PAGE = "/fixtures/shop.html?records&account=user-42";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A ledger on a fresh store, and a site server proxying `/api/` to it. */
async function setup(t) {
  // Each test's page and its timers go with it.
  t.after(() => Promise.all(browser.contexts().map((c) => c.close())));
  const store = await ledgerStore();
  let ledger = await startLedger(store);
  const ref = { url: ledger.url };
  const server = await startServer({ ledger: ref });
  const env = {
    store,
    server,
    get ledger() {
      return ledger;
    },
    async startLedger() {
      ledger = await startLedger(store);
      ref.url = ledger.url;
    },
    async stopLedger() {
      await ledger?.stop();
      ledger = null;
      ref.url = null;
    },
  };
  t.after(async () => {
    await ledger?.stop();
    await server.close();
    await store.remove();
  });
  return env;
}

/**
 * The page's consent history (`Assent.consentHistory()`), or `{error}` when
 * the page gives none (reloading) or none within 5 s: `page.evaluate` has no
 * timeout of its own, so a history that never answers fails the wait too.
 */
const history = (page) => {
  let timer;
  const late = new Promise((ok) => (timer = setTimeout(ok, 5000, { error: "no answer in 5 s" })));
  const asked = page.evaluate(() => window.Assent.consentHistory()).catch((e) => ({ error: String(e) }));
  return Promise.race([asked, late]).finally(() => clearTimeout(timer));
};

/**
 * The history once `done(history)` holds (`until` over it); fails saying
 * `what` did not happen, with the last history seen.
 */
async function historyUntil(page, done, what, ms = 15000) {
  let last;
  try {
    return await until(async () => (last = await history(page)) && !last.error && done(last) && last, what, ms);
  } catch (e) {
    assert.fail(`${e.message}; last history: ${JSON.stringify(last)}`);
  }
}

const statuses = (h) => h.records.map((r) => r.status);

/** Verifies a record's JWS with jose and the key in its own header; returns the record. */
async function verifyWithJose(jws) {
  const header = decodeProtectedHeader(jws);
  assert.ok(["EdDSA", "ES256"].includes(header.alg), header.alg);
  const key = await importJWK(header.jwk, header.alg);
  const { payload } = await compactVerify(jws, key);
  const record = JSON.parse(new TextDecoder().decode(payload));
  assert.equal(record.subject, await calculateJwkThumbprint(header.jwk, "sha256"));
  return record;
}

test(`a choice in the banner becomes a record the ledger verifies and stores (${BACKEND})`, { timeout: 120000 }, async (t) => {
  const env = await setup(t);
  const { page, errors } = await openPage(browser);
  await visit(page, env.server.url + PAGE);
  await widgetButton(page, "Accept all").click();
  const h = await historyUntil(page, (h) => statuses(h).join() === "delivered", "one delivered record");

  const exported = await exportLedger(env.store);
  assert.equal(exported.records.length, 1, "exactly one record stored");
  const [stored] = exported.records;
  assert.equal(stored.jws, h.records[0].jws, "the ledger stored the browser's bytes");
  assert.equal(stored.receipt, h.records[0].receipt, "the browser kept the ledger's receipt");

  const record = await verifyWithJose(stored.jws);
  assert.equal(record.subject, h.subject);
  assert.equal(record.method, "accept-all");
  assert.equal(record.seq, 1);
  assert.equal(record.previous, null);
  assert.equal(record.account, "user-42");
  assert.equal(record.policy.id, "shop");
  assert.equal(record.language, "en");
  const state = Object.fromEntries(record.purposes.map((p) => [p.id, p.state]));
  assert.equal(state.analytics, "given");
  assert.equal(state.marketing, "given");
  assert.equal(state.necessary, "not-required");

  // The receipt is the ledger's signature over this record's hash, checked
  // against the ledger's published key set.
  const jwks = await (await fetch(env.ledger.url + "/v1/keys")).json();
  const { payload } = await compactVerify(stored.receipt, createLocalJWKSet(jwks));
  const receipt = JSON.parse(new TextDecoder().decode(payload));
  assert.equal(receipt.record, record.id);
  const hash = "sha256:" + Buffer.from(await crypto.subtle.digest("SHA-256", Buffer.from(stored.jws))).toString("hex");
  assert.equal(receipt.hash, hash);

  // All of it without the widget: the first layer decided and recorded.
  assert.deepEqual(env.server.requests.filter(isWidgetFile), [], "no wasm fetched");

  // The visitor downloads their records and receipts from the preferences.
  await page.evaluate(() => window.Assent.showPreferences());
  await waitForDialog(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    widgetButton(page, "Download my consent records").click(),
  ]);
  assert.equal(download.suggestedFilename(), "consent-history.json");
  const saved = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(saved.subject, record.subject);
  assert.deepEqual(
    saved.records.map((r) => [r.id, r.status, r.jws, r.receipt]),
    [[record.id, "delivered", stored.jws, stored.receipt]],
  );

  if (!POSTGRES) assert.ok(existsSync(join(env.store.data, "ledger.sqlite3")), "stored in SQLite");
  // The offline verifier accepts the export.
  const file = join(env.store.data, "export.json");
  await writeFile(file, JSON.stringify(exported));
  const { stdout } = await promisify(execFile)(LEDGER_BIN, ["verify", file]);
  assert.match(stdout, /verified 1 records? of 1 subjects?/);
  assert.deepEqual(errors, []);
});

test(`with the ledger down, choices queue and arrive exactly once after it restarts, across reloads (${BACKEND})`, { timeout: 120000 }, async (t) => {
  const env = await setup(t);
  await env.stopLedger();
  const { page, errors } = await openPage(browser);
  await visit(page, env.server.url + PAGE);
  await widgetButton(page, "Accept all").click();
  await historyUntil(page, (h) => statuses(h).join() === "queued", "the first record queued");

  // A reload while the ledger is still down, then a second decision.
  await page.reload();
  await pageUntil(page, "a valid choice", () => window.Assent?.getConsent().status === "valid");
  await page.evaluate(() => window.Assent.showPreferences());
  await waitForDialog(page);
  await widgetButton(page, "Reject all").last().click();
  await waitForDialog(page, false);
  await historyUntil(page, (h) => statuses(h).join() === "queued,queued", "both records queued");
  assert.equal((await exportLedger(env.store)).records.length, 0, "nothing reached the ledger");

  // The ledger comes back; the next page view delivers the outbox, in order.
  await env.startLedger();
  await page.reload();
  const h = await historyUntil(page, (h) => statuses(h).join() === "delivered,delivered", "both delivered");
  // Another reload and a pause: nothing is sent twice.
  await page.reload();
  await pageUntil(page, "a valid choice", () => window.Assent?.getConsent().status === "valid");
  await new Promise((ok) => setTimeout(ok, 1500));

  const exported = await exportLedger(env.store);
  assert.equal(exported.records.length, 2, "each record stored exactly once");
  const records = await Promise.all(exported.records.map((r) => verifyWithJose(r.jws)));
  records.sort((a, b) => a.seq - b.seq);
  assert.deepEqual(
    records.map((r) => [r.seq, r.method]),
    [
      [1, "accept-all"],
      [2, "reject-all"],
    ],
  );
  assert.deepEqual(
    records.map((r) => r.id),
    h.records.map((r) => r.id),
  );
  const second = Object.fromEntries(records[1].purposes.map((p) => [p.id, p.state]));
  assert.equal(second.analytics, "withdrawn", "given before, refused now");
  const hash = "sha256:" + Buffer.from(await crypto.subtle.digest("SHA-256", Buffer.from(exported.records.find((r) => payloadOf(r.jws).seq === 1).jws))).toString("hex");
  assert.equal(records[1].previous, hash, "the chain links the second record to the first");
  // Chromium logs each refused POST while the ledger is down; nothing else.
  assert.deepEqual(
    errors.filter((e) => !/Failed to load resource: the server responded with a status of 502/.test(e)),
    [],
  );
});

test(`a tampered record is refused with a reason and nothing is stored (${BACKEND})`, { timeout: 120000 }, async (t) => {
  const env = await setup(t);
  const { page } = await openPage(browser);
  await visit(page, env.server.url + PAGE);
  await widgetButton(page, "Reject all").click();
  await waitForBanner(page, false);
  const h = await historyUntil(page, (h) => statuses(h).join() === "delivered", "one delivered record");
  const jws = h.records[0].jws;
  const [header, payload, signature] = jws.split(".");
  const id = payloadOf(jws).id;

  const post = async (body, key = id) => {
    const res = await fetch(env.ledger.url + "/v1/consent-records", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  // One byte of the payload: the record now says Accept all.
  const bytes = Buffer.from(payload, "base64url");
  const text = bytes.toString("utf8").replace('"reject-all"', '"accept-all"');
  assert.notEqual(text, bytes.toString("utf8"));
  const forged = [header, Buffer.from(text).toString("base64url"), signature].join(".");
  const a = await post({ jws: forged });
  assert.equal(a.status, 400);
  assert.equal(a.body.error, "bad-signature", JSON.stringify(a.body));
  // One byte of the signature.
  const sig = Buffer.from(signature, "base64url");
  sig[0] ^= 1;
  const b = await post({ jws: [header, payload, sig.toString("base64url")].join(".") });
  assert.equal(b.status, 400);
  assert.equal(b.body.error, "bad-signature", JSON.stringify(b.body));
  // Not a JWS at all.
  const c = await post({ jws: "not.a-jws" });
  assert.equal(c.status, 400);
  assert.equal(c.body.error, "malformed", JSON.stringify(c.body));
  // The genuine record again: the original receipt, nothing new.
  const d = await post({ jws });
  assert.equal(d.status, 200);
  assert.equal(d.body.replayed, true);
  assert.equal(d.body.receipt, h.records[0].receipt);

  const exported = await exportLedger(env.store);
  assert.equal(exported.records.length, 1, "only the genuine record is stored");
  assert.equal(exported.records[0].jws, jws);
});
