// Consent records (docs/records.md) made by the loader's `assent-decide.js`
// in real Chromium: each decision handed over by the widget becomes one
// signed, hash-chained record in the IndexedDB outbox, posted to the page's
// `records` endpoint. The JWS is checked with stock libraries, as any backend
// would: `jose` verifies the signature with the header's key and computes the
// RFC 7638 thumbprint (the subject), `canonicalize` (the npm JCS reference)
// re-canonicalises the payload.
//
// The endpoint here is a SCRIPTED receiver for transport faults (503, dropped
// connections, 4xx, Retry-After, answers after pagehide), served from a second
// port, so every request is cross-origin with a CORS preflight as on a real
// site. It keeps just enough of the ledger's contract to count deliveries:
// idempotent by record id (200 `replayed` for the same bytes) and a per-subject
// chain check (409 `chain`). The real ledger (crates/assent-ledger) has its
// own end-to-end tests. Each test has its own endpoint (`?test=N`): a POST
// that a closed page of an earlier test sent as it went is kept apart
// (`ledger.strays`). As in page.test.mjs, the wasm widget is a FAKE module
// that decides on request (`window.__decide(stored, language)`).
//
// Pages are served from http://127.0.0.1 (a secure context: WebCrypto and
// crypto.randomUUID exist only there). `Math.random` is pinned to 0.5 on every
// page, so the backoff's full jitter waits exactly half of 1 s × 2^n.
import { after, afterEach, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { bannerChunks, builtFiles, launchBrowser, listen, pageUntil, until } from "../support/harness.mjs";
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import canonicalize from "canonicalize";

const DAY = 864e5;
const HASH = "sha256:" + "2b".repeat(32);
const TEXTS = { en: "sha256:" + "51".repeat(32), fr: "sha256:" + "52".repeat(32), de: "sha256:" + "53".repeat(32) };

// The fake widget: boot/show as the loader expects; `__decide` stores and hands
// the value over with the UI language; an embed's "Always allow" decides within
// `show`, as the real widget does.
const FAKE_WIDGET = `
const w = (window.__widget ||= { boots: 0, shows: [] });
export default async function init() {}
export function boot(bridge) { w.boots++; window.__bridge = bridge; }
export function show(what, service) {
  w.shows.push([what, service ?? null]);
  if (what == "allow-service") window.__decide("v2.a0m0p0.preferences." + Date.now() + ".1.0.+" + service);
}
window.__decide = (s, language = "en") => {
  document.cookie = "assent_consent=" + s + "; Path=/; Max-Age=15552000; SameSite=Lax";
  localStorage.setItem("assent.consent", s);
  window.__bridge.decided(s, language);
};
`;

// A stored value: `v2.<flags>.<method>.<at>.<revision>.<gpc>.<services>`.
const v2 = (flags, { method = "preferences", at = Date.now(), rev = 1, gpc = 0, services = "" } = {}) =>
  `v2.${flags}.${method}.${at}.${rev}.${gpc}.${services}`;

// --- The scripted receiver.
const ledger = {
  // The current test's number, in its endpoint (`/v1/records?test=N`).
  test: 0,
  // Answers for the next POSTs, in order: {status, body, headers}, "drop"
  // (the connection is cut) or "lost" (the ledger's own answer, kept but never
  // sent: the record is stored, the page that posted it goes before its answer
  // would arrive); then the ledger's own answer.
  script: [],
  // While true every POST is answered 503.
  down: false,
  // Every POST of this test: {at (ms), key (Idempotency-Key), jws, record, status}.
  posts: [],
  // POSTs from the pages of earlier tests: a context closed while a POST was
  // unanswered fires pagehide, and the keepalive copy may arrive after the
  // next test began. Kept apart, answered 503, never stored: they must not
  // count as this test's POSTs nor take its scripted answers.
  strays: [],
  // Stored records in arrival order: {jws, record}.
  stored: [],
  // Per subject: the last stored {seq, hash}.
  chains: new Map(),
};
const sha = (s) => "sha256:" + createHash("sha256").update(s, "ascii").digest("hex");
const payloadOf = (jws) => JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8"));

// The contract's answer to a well-formed POST: idempotent by id, chained per subject.
function answer(jws, key) {
  const record = payloadOf(jws);
  if (key !== record.id) return [400, { error: "idempotency-key", detail: `${key} is not ${record.id}` }];
  const hash = sha(jws);
  const same = ledger.stored.find((x) => x.record.id === record.id);
  const receipt = (replayed) => ({ receipt: `receipt-of-${record.id}`, record: record.id, hash, received: Date.now(), replayed });
  if (same) return same.jws === jws ? [200, receipt(true)] : [409, { error: "id-conflict", detail: record.id }];
  const last = ledger.chains.get(record.subject) ?? { seq: 0, hash: null };
  if (record.seq !== last.seq + 1 || record.previous !== last.hash)
    return [409, { error: "chain", detail: `seq ${record.seq} after ${last.seq}` }];
  ledger.stored.push({ jws, record });
  ledger.chains.set(record.subject, { seq: record.seq, hash });
  return [201, receipt(false)];
}

// CORS for a cross-origin page; `connection: close` so every request has a
// fresh connection: Chromium silently retries a request whose REUSED
// connection drops, which would hide a dropped connection from the loader.
const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "retry-after", connection: "close" };
function receive(req, res) {
  if (req.method === "OPTIONS")
    return res
      .writeHead(204, {
        ...CORS,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type, idempotency-key",
        "access-control-max-age": "600",
      })
      .end();
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    let jws = "";
    try {
      jws = JSON.parse(body).jws;
    } catch {}
    const post = { at: Date.now(), key: req.headers["idempotency-key"], jws, record: payloadOf(jws) };
    const reply = (status, json, headers) => res.writeHead(status, { ...CORS, "content-type": "application/json", ...headers }).end(JSON.stringify(json));
    if (new URL(req.url, "http://x").searchParams.get("test") !== String(ledger.test))
      return ledger.strays.push(post), reply((post.status = 503), { error: "stray" });
    ledger.posts.push(post);
    const scripted = ledger.down ? { status: 503 } : ledger.script.shift();
    if (scripted === "drop") return (post.status = "drop"), req.socket.destroy();
    const [status, json, headers] = scripted?.status ? [scripted.status, scripted.body ?? {}, scripted.headers] : answer(jws, post.key);
    post.status = status;
    if (scripted !== "lost") reply(status, json, headers);
  });
}

// --- The site: the loader bundled as `cargo xtask loader` does, the fake widget, pages.
let server;
let receiver;
let origin;
let receiverOrigin;
// This test's endpoint (set before each test).
let endpoint;
let browser;
const built = {};
const pages = new Map();
const requests = [];
let pageCount = 0;

// The configuration, with the fields consent records need (core's widget_config).
const config = (extra = {}) => ({
  policy: "test",
  revision: 1,
  "consent-revision": 1,
  "lifetime-days": 182,
  languages: ["en", "fr", "de"],
  records: endpoint,
  account: "user-42",
  hash: HASH,
  controller: { name: "QR Communication", contact: "contact@qrcommunication.com" },
  jurisdiction: "FR",
  texts: TEXTS,
  "widget-version": "0.1.0",
  categories: [
    // No basis: necessary's is legitimate-interest.
    { id: "necessary", name: { en: "Strictly necessary" }, services: [{ id: "session", provider: "Site" }] },
    { id: "analytics", basis: "consent", name: { en: "Audience" }, services: [{ id: "audience", provider: "Pix2Clip" }] },
    {
      id: "marketing",
      // A basis of the policy's other than the defaults, carried as is.
      basis: "explicit-consent",
      name: { en: "Advertising" },
      services: [
        { id: "youtube", provider: "YouTube" },
        { id: "ads", provider: "AdNet" },
      ],
    },
    // No basis: an optional category's is consent.
    { id: "personalization", name: { en: "Personalisation" }, services: [] },
  ],
  ...extra,
});

before(async () => {
  Object.assign(built, await builtFiles(["assent-loader.js", "assent-decide.js", "assent-embeds.js", "assent-reopen.js", "assent-history.js", ...bannerChunks()]));
  server = await listen((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requests.push(path);
    const js = (body) => res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" }).end(body);
    if (built[path.slice(1)]) return js(built[path.slice(1)]);
    if (path === "/assent.js") return js(FAKE_WIDGET);
    if (path === "/blank.html") return res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>blank</title>");
    const ext = /^\/ext\/([\w-]+)\.(js|html)$/.exec(path);
    if (ext?.[2] === "js") return js(`(window.runs ||= []).push(${JSON.stringify(ext[1])});`);
    if (ext) return res.writeHead(200, { "content-type": "text/html" }).end("<p>embedded</p>");
    const page = pages.get(path);
    if (page) return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    res.writeHead(404).end();
  });
  receiver = await listen(receive);
  origin = server.url;
  receiverOrigin = receiver.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
});

// Every context a test opened is closed after it, failed or not: a page left
// open would go on sending into the next test.
const contexts = [];
afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
});

beforeEach(() => {
  endpoint = `${receiverOrigin}/v1/records?test=${++ledger.test}`;
  ledger.script = [];
  ledger.down = false;
  ledger.posts = [];
  ledger.stored = [];
});

// Registers a page (`config` object, or null for none) and returns its URL.
function addPage({ config: cfg = config(), body = "", lang = "en" } = {}) {
  const path = `/page-${++pageCount}.html`;
  const tag = cfg === null ? "" : `<script type="application/json" id="assent-config">${JSON.stringify(cfg)}</script>`;
  pages.set(
    path,
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
${tag}<script src="/assent-loader.js"></script></head><body>${body}</body></html>`,
  );
  return origin + path;
}

// A fresh browser profile (its own IndexedDB and key), `Math.random` pinned,
// optional cookies and init script; its page, errors and `[assent]` warnings.
async function open({ stored, init } = {}) {
  const context = await browser.newContext();
  contexts.push(context);
  if (stored) await context.addCookies([{ name: "assent_consent", value: stored, domain: "127.0.0.1", path: "/" }]);
  await context.addInitScript(() => (Math.random = () => 0.5));
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const watch = (page) => {
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      // Chromium logs every non-2xx answer; the receiver gives them on purpose.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
      if (m.text().startsWith("[assent] ")) warnings.push(m.text());
    });
  };
  const errors = [];
  const warnings = [];
  watch(page);
  return { context, page, errors, warnings, watch };
}

// Loads `url` where no valid decision exists: the first layer's banner shows
// (with the decision chunk; an expired decision's expiry record is asked for
// then), and the visitor opens the preferences, so the (fake) widget is
// loaded and booted (it holds the bridge `__decide` uses).
async function withWidget(page, url) {
  await page.goto(url);
  await pageUntil(page, "the banner", () =>
    document.querySelector("assent-widget")?.shadowRoot?.querySelector("section.banner"),
  );
  await page.evaluate(() => Assent.showPreferences());
  await pageUntil(page, "the widget to boot (window.__decide and __bridge)", () => window.__decide && window.__bridge);
}
const decide = (page, stored, language = "en") => page.evaluate(([s, l]) => window.__decide(s, l), [stored, language]);

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const history = (page) => page.evaluate(() => Assent.consentHistory());
const marker = (page) => page.evaluate(() => localStorage.getItem("assent.outbox"));
// Waits until every record the page has asked for is made and delivered: a
// record is made under the Web Lock `assent-records` (requested when
// `record` is called, so this request comes after it), and the outbox
// marker goes once the outbox is empty.
async function settled(page) {
  await page.evaluate(() => navigator.locks.request("assent-records", () => {}));
  await until(async () => (await marker(page)) === null, 10_000, "the outbox to empty");
}

// Verifies a compact JWS as a backend would, with stock libraries, and
// returns {header, record}: the signature verifies with the header's public
// JWK; the header holds exactly alg, jwk (public members only) and typ; the
// payload bytes are the JCS form of the record; the subject is the key's
// RFC 7638 thumbprint.
async function verify(jws) {
  const header = decodeProtectedHeader(jws);
  assert.deepEqual(Object.keys(header).sort(), ["alg", "jwk", "typ"]);
  assert.equal(header.typ, "assent-record+jws");
  assert.deepEqual(Object.keys(header.jwk).sort(), header.alg === "EdDSA" ? ["crv", "kty", "x"] : ["crv", "kty", "x", "y"]);
  const { payload } = await compactVerify(jws, await importJWK(header.jwk, header.alg));
  const record = JSON.parse(Buffer.from(payload).toString("utf8"));
  assert.ok(Buffer.from(payload).equals(Buffer.from(canonicalize(record), "utf8")), "the payload is its JCS form");
  assert.equal(record.subject, await calculateJwkThumbprint(header.jwk, "sha256"));
  return { header, record };
}

// The states of a record's purposes: {"c:id" | "s:id": state}.
const states = (record) => Object.fromEntries(record.purposes.map((p) => [`${p.kind[0]}:${p.id}`, p.state]));
const postsOf = (id) => ledger.posts.filter((p) => p.key === id);

// What delivery promises (docs/records.md, "Delivery"): every record is
// stored once, and nothing else is posted. A record may be POSTed more than
// once: when its page goes while the answer to its POST is on its way, the
// answer is lost, so pagehide sends it again with keepalive and the next page
// view sends it again from the outbox (the browser cannot know it arrived);
// the ledger answers each copy 200 `replayed` with the original receipt. So a
// count of POSTs is not the contract; a count of stored records and ids is.
function storedOnce() {
  const ids = ledger.stored.map((x) => x.record.id);
  assert.equal(new Set(ids).size, ids.length, "no record stored twice");
  for (const p of ledger.posts) assert.ok(ids.includes(p.key), `POST of ${p.key} (${p.record.method}), not a stored record`);
  for (const id of ids) {
    const [first, ...copies] = postsOf(id).map((p) => p.status);
    assert.deepEqual([first, ...new Set(copies)], copies.length ? [201, 200] : [201], `${id}: stored once, then replays`);
  }
}

test("a decision: one POST whose JWS verifies with jose, JCS payload, thumbprint subject, every field of the contract; receipt kept", async () => {
  const { context, page, errors, warnings } = await open();
  await withWidget(page, addPage());
  const stored = v2("a1m1p1", { method: "accept-all" });
  await decide(page, stored, "fr");
  await until(() => ledger.stored.length === 1);
  await sleep(1500);
  assert.equal(ledger.posts.length, 1, "exactly one POST");
  const [post] = ledger.posts;
  assert.equal(post.status, 201);
  const { header, record } = await verify(post.jws);
  assert.equal(header.alg, "EdDSA");
  assert.equal(header.jwk.crv, "Ed25519");
  const at = Number(stored.split(".")[3]);
  assert.match(record.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(post.key, record.id, "Idempotency-Key is the record id");
  assert.deepEqual(record, {
    schema: "assent-record/1",
    id: record.id,
    seq: 1,
    previous: null,
    subject: record.subject,
    account: "user-42",
    controller: { name: "QR Communication", contact: "contact@qrcommunication.com" },
    jurisdiction: "FR",
    policy: { id: "test", revision: 1, hash: HASH },
    language: "fr",
    method: "accept-all",
    gpc: false,
    purposes: [
      { id: "necessary", kind: "category", state: "not-required", basis: "legitimate-interest" },
      { id: "analytics", kind: "category", state: "given", basis: "consent" },
      { id: "marketing", kind: "category", state: "given", basis: "explicit-consent" },
      { id: "personalization", kind: "category", state: "given", basis: "consent" },
      { id: "session", kind: "service", category: "necessary", state: "not-required", basis: "legitimate-interest" },
      { id: "audience", kind: "service", category: "analytics", state: "given", basis: "consent" },
      { id: "youtube", kind: "service", category: "marketing", state: "given", basis: "explicit-consent" },
      { id: "ads", kind: "service", category: "marketing", state: "given", basis: "explicit-consent" },
    ],
    widget: { version: "0.1.0", texts: TEXTS.fr },
    time: at,
    "valid-until": at + 182 * DAY,
    decision: stored,
  });
  // The receipt is kept, the outbox and its marker are empty; the history says so.
  await until(async () => (await marker(page)) === null, 5000, "the outbox marker to go");
  assert.deepEqual(await history(page), {
    subject: record.subject,
    records: [{ id: record.id, seq: 1, time: at, method: "accept-all", jws: post.jws, receipt: `receipt-of-${record.id}`, status: "delivered" }],
  });
  // The private key is a non-extractable CryptoKey in IndexedDB `assent`.
  const key = await page.evaluate(
    () =>
      new Promise((ok) => {
        indexedDB.open("assent").onsuccess = (e) => {
          e.target.result.transaction("keys").objectStore("keys").get("device").onsuccess = (g) => {
            const k = g.target.result.key;
            ok({ type: k.type, extractable: k.extractable, name: k.algorithm.name, usages: k.usages });
          };
        };
      }),
  );
  assert.deepEqual(key, { type: "private", extractable: false, name: "Ed25519", usages: ["sign"] });
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  await context.close();
});

test("decisions chain: seq and previous (the record hash of the compact JWS); given then refused is withdrawn, refused again is refused; the account as the page says now", async () => {
  const { context, page, errors } = await open();
  await withWidget(page, addPage());
  await decide(page, v2("a1m1p0", { method: "preferences", services: "-ads" }));
  await until(() => ledger.stored.length === 1);
  // A single-page app signs another user in: the next record names them.
  await page.evaluate(() => {
    const tag = document.querySelector("#assent-config");
    tag.textContent = JSON.stringify({ ...JSON.parse(tag.text), account: "user-43" });
  });
  await decide(page, v2("a0m0p0", { method: "reject-all" }));
  await until(() => ledger.stored.length === 2);
  // And signs them out: no account.
  await page.evaluate(() => {
    const tag = document.querySelector("#assent-config");
    const { account, ...rest } = JSON.parse(tag.text);
    tag.textContent = JSON.stringify(rest);
  });
  await decide(page, v2("a0m0p0", { method: "reject-all" }));
  await until(() => ledger.stored.length === 3);
  const [r1, r2, r3] = await Promise.all(ledger.stored.map((x) => verify(x.jws).then((v) => v.record)));
  assert.deepEqual(
    [r1, r2, r3].map((r) => [r.seq, r.previous]),
    [
      [1, null],
      [2, sha(ledger.stored[0].jws)],
      [3, sha(ledger.stored[1].jws)],
    ],
  );
  assert.equal(new Set([r1.subject, r2.subject, r3.subject]).size, 1);
  assert.deepEqual(states(r1), {
    "c:necessary": "not-required",
    "c:analytics": "given",
    "c:marketing": "given",
    "c:personalization": "refused",
    "s:session": "not-required",
    "s:audience": "given",
    "s:youtube": "given",
    "s:ads": "refused",
  });
  assert.deepEqual(states(r2), {
    "c:necessary": "not-required",
    "c:analytics": "withdrawn",
    "c:marketing": "withdrawn",
    "c:personalization": "refused",
    "s:session": "not-required",
    "s:audience": "withdrawn",
    "s:youtube": "withdrawn",
    "s:ads": "refused",
  });
  assert.ok(Object.values(states(r3)).every((s) => s === "refused" || s === "not-required"), JSON.stringify(states(r3)));
  assert.deepEqual([r1.method, r2.method, r3.method], ["preferences", "reject-all", "reject-all"]);
  assert.deepEqual([r1.account, r2.account, "account" in r3], ["user-42", "user-43", false]);
  assert.equal(ledger.posts.length, 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a decision whose page goes before its record is made: the next page view makes it, as of the decision's time, once", async () => {
  // On the first page view only, signing never finishes: the record cannot
  // be made before the page goes (as when Accept all is followed at once by
  // a click on a link).
  const { context, page, errors } = await open({
    init: () => {
      if (sessionStorage.getItem("signed-once")) return;
      sessionStorage.setItem("signed-once", "1");
      crypto.subtle.sign = () => new Promise(() => {});
    },
  });
  const url = addPage();
  await withWidget(page, url);
  const at = Date.now() - 5_000;
  const stored = v2("a1m0p1", { at });
  await decide(page, stored, "fr");
  assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem("assent.unrecorded")))[0].stored, stored);
  await page.reload();
  await until(() => ledger.stored.length === 1, "the noted decision's record");
  await settled(page);
  const { record } = await verify(ledger.stored[0].jws);
  assert.deepEqual([record.seq, record.decision, record.time, record.method, record.language], [1, stored, at, "preferences", "fr"]);
  assert.equal(await page.evaluate(() => localStorage.getItem("assent.unrecorded")), null, "the note is gone");
  // A note left behind by a page that went just after its record was made
  // makes no second record.
  await page.evaluate((s) => {
    localStorage.setItem("assent.unrecorded", JSON.stringify([{ stored: s, lang: "fr" }]));
    localStorage.setItem("assent.outbox", "1");
  }, stored);
  await page.reload();
  await until(async () => (await marker(page)) === null, "the outbox marker to go");
  assert.equal(ledger.stored.length, 1);
  assert.deepEqual((await history(page)).records.map((r) => [r.seq, r.status]), [[1, "delivered"]]);
  storedOnce();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an embed's Always allow is recorded with method allow-service", async () => {
  const { context, page, errors } = await open({ stored: v2("a0m0p0", { method: "reject-all", at: Date.now() - 60_000 }) });
  const body = `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/yt.html" width="300" height="150" title="video"></iframe>`;
  await page.goto(addPage({ body }));
  await page.locator("assent-placeholder:has(+ #yt)").getByRole("button", { name: "Always allow YouTube" }).click();
  await until(() => ledger.stored.length === 1);
  const { record } = await verify(ledger.stored[0].jws);
  assert.equal(record.method, "allow-service");
  assert.match(record.decision, /\.preferences\.\d+\.1\.0\.\+youtube$/);
  assert.equal(states(record)["s:youtube"], "given");
  assert.equal(states(record)["c:marketing"], "refused");
  assert.equal(record.language, "en");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an expired decision gets one expiry record (not again on the next page view); the next decision follows it in the chain", async () => {
  const at = Date.now() - 200 * DAY;
  const stored = v2("a1m0p0", { at, services: "+youtube" });
  const { context, page, errors } = await open({ stored });
  await withWidget(page, addPage({ lang: "de" }));
  await until(() => ledger.stored.length === 1);
  const { record } = await verify(ledger.stored[0].jws);
  assert.equal(record.method, "expiry");
  assert.equal(record.time, at + 182 * DAY, "when the lifetime ran out");
  assert.equal(record["valid-until"], null);
  assert.equal(record.decision, stored);
  assert.equal(record.language, "de");
  assert.deepEqual(record.widget, { version: "0.1.0", texts: TEXTS.de });
  assert.deepEqual(states(record), {
    "c:necessary": "not-required",
    "c:analytics": "expired",
    "c:marketing": "refused",
    "c:personalization": "refused",
    "s:session": "not-required",
    "s:audience": "expired",
    "s:youtube": "expired",
    "s:ads": "refused",
  });
  // The banner again on the next page view: no second expiry record. Its
  // boot asks for one (withWidget waits for the boot) before the decision
  // below is made, and records are made one at a time in the order asked (the
  // Web Lock `assent-records`): a second expiry record would be seq 2 and the
  // decision seq 3. The first record's answer may still be on its way as the
  // first page goes: then it is POSTed again (storedOnce).
  await withWidget(page, addPage({ lang: "de" }));
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.stored.length >= 2);
  await settled(page);
  const next = (await verify(ledger.stored[1].jws)).record;
  assert.deepEqual([next.seq, next.previous, next.method], [2, sha(ledger.stored[0].jws), "preferences"]);
  assert.equal(states(next)["c:analytics"], "given");
  assert.equal(states(next)["s:youtube"], "refused", "expired, then refused: not a withdrawal");
  assert.deepEqual(
    (await history(page)).records.map((r) => [r.seq, r.method, r.status]),
    [
      [1, "expiry", "delivered"],
      [2, "preferences", "delivered"],
    ],
  );
  assert.equal(ledger.stored.length, 2);
  storedOnce();
  assert.deepEqual(errors, []);
  await context.close();
});

test("an expiry record whose answer is lost as its page goes: the next page view sends it again (200 replayed, its receipt kept) and makes no second expiry record", async () => {
  const stored = v2("a1m0p0", { at: Date.now() - 200 * DAY });
  const { context, page, errors } = await open({ stored });
  ledger.script = ["lost"];
  await withWidget(page, addPage());
  await until(() => ledger.stored.length === 1);
  const { id } = ledger.stored[0].record;
  // Its POST unanswered, the outbox still holds it and the expired decision
  // still applies: the banner asks again, and the expiry was recorded.
  await withWidget(page, addPage());
  await settled(page);
  assert.deepEqual(
    (await history(page)).records.map((r) => [r.seq, r.id, r.method, r.status, r.receipt]),
    [[1, id, "expiry", "delivered", `receipt-of-${id}`]],
  );
  assert.equal(ledger.stored.length, 1);
  // The lost POST, perhaps the leaving page's keepalive copy, and the next page view's.
  const copies = postsOf(id).length;
  assert.ok(copies >= 2 && copies <= 3, `${copies} POSTs`);
  storedOnce();
  // The chain goes on from it.
  await decide(page, v2("a0m0p0", { method: "reject-all" }));
  await until(() => ledger.stored.length === 2);
  assert.deepEqual([ledger.stored[1].record.seq, ledger.stored[1].record.previous], [2, sha(ledger.stored[0].jws)]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("receiver down (503, a dropped connection, 503), then up: retried after 0.5, 1 and 2 s (1 s × 2^n, jitter 0.5) and delivered exactly once", async () => {
  const { context, page, errors } = await open();
  await withWidget(page, addPage());
  ledger.script = [{ status: 503 }, "drop", { status: 503 }];
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.posts.length === 1);
  assert.equal(await marker(page), "1", "the marker stays while the outbox holds a record");
  await until(() => ledger.stored.length === 1);
  await sleep(3000);
  const id = ledger.stored[0].record.id;
  const posts = postsOf(id);
  assert.deepEqual(
    posts.map((p) => p.status),
    [503, "drop", 503, 201],
  );
  assert.equal(ledger.posts.length, 4);
  const gaps = posts.slice(1).map((p, i) => p.at - posts[i].at);
  // Never before its backoff; late by at most 1.5 s (a page's timers run late
  // on a busy machine: `cargo xtask test --stress`).
  for (const [gap, want] of gaps.map((g, i) => [g, 500 * 2 ** i])) assert.ok(gap >= want - 50 && gap < want + 1500, `gaps ${gaps}`);
  await until(async () => (await marker(page)) === null, 5000, "the outbox marker to go");
  assert.deepEqual(errors, []);
  await context.close();
});

test("across a reload: queued while the receiver is down, sent by the next page view's loader (no widget), exactly once and in seq order", async () => {
  const { context, page, errors } = await open();
  const url = addPage();
  await withWidget(page, url);
  ledger.down = true;
  const first = v2("a1m1p1", { method: "accept-all" });
  await decide(page, first);
  await until(() => ledger.posts.length >= 1);
  const second = v2("a0m0p0", { method: "reject-all", at: Date.now() + 1 });
  await decide(page, second);
  await until(async () => (await history(page)).records.length === 2);
  assert.equal(await marker(page), "1");
  const start = requests.length;
  await page.reload();
  // A return visit with a valid choice: the widget is not loaded, the chunk that sends records is.
  await until(() => requests.slice(start).includes("/assent-decide.js"));
  ledger.down = false;
  await until(() => ledger.stored.length === 2);
  await sleep(1500);
  assert.ok(!requests.slice(start).includes("/assent.js"), "no widget on the return visit");
  assert.deepEqual(
    ledger.stored.map((x) => [x.record.seq, x.record.decision]),
    [
      [1, first],
      [2, second],
    ],
  );
  assert.equal(ledger.stored[1].record.previous, sha(ledger.stored[0].jws));
  const h = await history(page);
  assert.deepEqual(
    h.records.map((r) => [r.seq, r.status]),
    [
      [1, "delivered"],
      [2, "delivered"],
    ],
  );
  assert.equal(await marker(page), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("pagehide: a record waiting for its next try (Retry-After: 60) is sent with keepalive as the page goes", async () => {
  const { context, page, errors } = await open();
  await withWidget(page, addPage());
  ledger.script = [{ status: 503, headers: { "retry-after": "60" } }];
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.posts.length === 1);
  // Without Retry-After the next try would come after 0.5 s.
  await sleep(1500);
  assert.equal(ledger.posts.length, 1, "Retry-After is honoured");
  // A page without the loader: only the leaving page can send.
  await page.goto(origin + "/blank.html");
  await until(() => ledger.stored.length === 1);
  assert.equal(ledger.stored[0].record.id, ledger.posts[0].key);
  assert.equal(ledger.posts.length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a 4xx: the record moves to rejected with the ledger's reason and a warning, is never sent again; the one queued behind it takes its place in the chain", async () => {
  const { context, page, errors, warnings } = await open();
  await withWidget(page, addPage());
  ledger.script = [{ status: 503 }, { status: 422, body: { error: "unknown-policy", detail: "no policy test revision 1" } }];
  const first = v2("a1m1p1", { method: "accept-all" });
  await decide(page, first);
  await until(() => ledger.posts.length === 1);
  // Queued behind the first while it waits for its second try.
  const second = v2("a0m0p0", { method: "reject-all", at: Date.now() + 1 });
  await decide(page, second);
  await until(() => ledger.stored.length === 1);
  await sleep(2000);
  const rejected = ledger.posts[0].key;
  assert.deepEqual(
    postsOf(rejected).map((p) => p.status),
    [503, 422],
    "not retried",
  );
  const [{ record }] = ledger.stored;
  assert.deepEqual([record.seq, record.previous, record.decision], [1, null, second]);
  assert.notEqual(record.id, rejected);
  assert.equal(ledger.posts.length, 3);
  assert.ok(
    warnings.some((w) => w.startsWith(`[assent] consent record 1 (${rejected}) rejected by the ledger: 422 unknown-policy: no policy test revision 1`)),
    warnings.join("\n"),
  );
  const h = await history(page);
  assert.deepEqual(
    h.records.map((r) => [r.seq, r.status, r.reason ?? null, r.id === rejected]),
    [
      [1, "rejected", "422 unknown-policy: no policy test revision 1", true],
      [1, "delivered", null, false],
    ],
  );
  await until(async () => (await marker(page)) === null, 5000, "the outbox marker to go");
  // The chain goes on from the delivered record.
  await decide(page, v2("a1m0p0", { at: Date.now() + 2 }));
  await until(() => ledger.stored.length === 2);
  assert.deepEqual([ledger.stored[1].record.seq, ledger.stored[1].record.previous], [2, sha(ledger.stored[0].jws)]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("two tabs deciding at once, five decisions each: one chain, seq 2 to 11, nothing refused (the Web Lock assent-records)", async () => {
  const { context, page, errors, watch } = await open();
  const url = addPage();
  await withWidget(page, url);
  const other = await context.newPage();
  watch(other);
  await withWidget(other, url);
  // The key exists and both tabs have the records chunk: only the lock keeps
  // them (and a tab's own decisions) from taking the same seq.
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.stored.length === 1);
  await other.evaluate(() => Assent.consentHistory());
  const burst = (p, flags) =>
    p.evaluate((flags) => {
      for (let i = 0; i < 5; i++) window.__decide(`v2.${flags}.preferences.${Date.now() + i}.1.0.`);
    }, flags);
  await Promise.all([burst(page, "a1m1p0"), burst(other, "a0m1p1")]);
  await until(() => ledger.stored.length === 11);
  await sleep(1000);
  assert.deepEqual(
    ledger.stored.map((x) => x.record.seq),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  for (let i = 1; i < 11; i++) assert.equal(ledger.stored[i].record.previous, sha(ledger.stored[i - 1].jws));
  assert.ok(ledger.posts.every((p) => p.status === 201 || p.status === 200), JSON.stringify(ledger.posts.map((p) => p.status)));
  assert.deepEqual(errors, []);
});

test("Ed25519 unavailable: the key is ECDSA P-256 and the record an ES256 JWS that jose verifies", async () => {
  const init = () => {
    const generate = SubtleCrypto.prototype.generateKey;
    SubtleCrypto.prototype.generateKey = function (alg, ...rest) {
      return (alg?.name ?? alg) === "Ed25519"
        ? Promise.reject(new DOMException("Ed25519 is not supported", "NotSupportedError"))
        : generate.call(this, alg, ...rest);
    };
  };
  const { context, page, errors } = await open({ init });
  await withWidget(page, addPage());
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.stored.length === 1);
  const { header, record } = await verify(ledger.stored[0].jws);
  assert.equal(header.alg, "ES256");
  assert.deepEqual([header.jwk.kty, header.jwk.crv], ["EC", "P-256"]);
  // r || s, 64 bytes (RFC 7518 §3.4).
  assert.equal(Buffer.from(ledger.stored[0].jws.split(".")[2], "base64url").length, 64);
  assert.equal(record.seq, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Assent.consentHistory({download: true}) saves the history as consent-history.json", async () => {
  const { context, page } = await open();
  await withWidget(page, addPage());
  await decide(page, v2("a1m0p0"));
  await until(() => ledger.stored.length === 1);
  const [download, h] = await Promise.all([
    page.waitForEvent("download"),
    page.evaluate(() => Assent.consentHistory({ download: true })),
  ]);
  assert.equal(download.suggestedFilename(), "consent-history.json");
  const saved = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.deepEqual(saved, h);
  assert.equal(saved.records.length, 1);
  assert.equal(saved.records[0].jws, ledger.stored[0].jws);
  await context.close();
});

test("no records endpoint: no IndexedDB database, no POST; the history is empty", async () => {
  const { context, page, errors, warnings } = await open();
  const { records, ...rest } = config();
  const start = requests.length;
  await withWidget(page, addPage({ config: rest }));
  await decide(page, v2("a1m1p1", { method: "accept-all" }));
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "valid");
  assert.deepEqual(await history(page), { subject: null, records: [] });
  await sleep(1000);
  assert.deepEqual(await page.evaluate(() => indexedDB.databases()), []);
  assert.equal(ledger.posts.length, 0);
  // The history's chunk is fetched for the history call only.
  assert.deepEqual(
    requests.slice(start).filter((r) => r === "/assent-history.js"),
    ["/assent-history.js"],
  );
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  await context.close();
});

test("blocked IndexedDB or no WebCrypto: a warning, no exception, the decision applies and nothing is posted", async () => {
  const blockers = {
    indexeddb: () => {
      IDBFactory.prototype.open = () => {
        throw new DOMException("The user denied permission to access the database.", "SecurityError");
      };
    },
    webcrypto: () => Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined }),
  };
  for (const [name, init] of Object.entries(blockers)) {
    ledger.posts = [];
    const { context, page, errors, warnings } = await open({ init });
    await withWidget(page, addPage({ body: `<script type="text/plain" data-category="analytics">(window.runs ||= []).push("a")</script>` }));
    await decide(page, v2("a1m0p0"));
    await until(() => warnings.some((w) => w.startsWith("[assent] consent record not made: ")), `${name}: the warning`);
    assert.equal(await page.evaluate(() => Assent.getConsent().status), "valid", name);
    assert.deepEqual(await page.evaluate(() => window.runs), ["a"], name);
    await sleep(500);
    assert.equal(ledger.posts.length, 0, name);
    assert.deepEqual(errors, [], name);
    await context.close();
  }
});
