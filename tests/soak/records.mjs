// `cargo xtask soak --records`: consent records under chaos. Visitors (browser
// profiles, two tabs each) make DECISIONS decisions in the first layer
// (Accept all or Reject all, after `Assent.show()`), with reloads and tabs
// closed and opened between them, on the shop fixture page with `records`,
// against the real ledger binary (tests/e2e/ledger.mjs). Between the pages and
// the ledger a chaos proxy (chaos.mjs) drops, loses, delays, duplicates or
// answers 5xx to half of the record POSTs, and the ledger is killed with
// SIGKILL and restarted KILLS times along the way.
//
// Then the chaos stops, every tab is reloaded (the next page view sends what
// its profile still holds), and once every outbox is empty the ledger's export
// is checked: every decision made is stored exactly once (as many records as
// decisions, no id twice), and every device's chain is unbroken (seq 1..n,
// each `previous` the hash of the record before). Prints the counts; exits 1
// on any difference.
//
// ASSENT_SOAK_DECISIONS (default 1000), ASSENT_SOAK_SEED (default random).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { launchBrowser, pageUntil, until } from "../support/harness.mjs";
import { startServer, widgetButton } from "../e2e/support.mjs";
import { exportLedger, ledgerStore, payloadOf, startLedger } from "../e2e/ledger.mjs";
import { chaosProxy } from "./chaos.mjs";
import { prng } from "../support/random.mjs";

const DECISIONS = Number(process.env.ASSENT_SOAK_DECISIONS ?? 1000);
const SEED = Number(process.env.ASSENT_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const VISITORS = 3;
const KILLS = 4;

const random = prng(SEED);
const chance = (p) => random() < p;
const pick = (list) => list[Math.floor(random() * list.length)];
const sha = (jws) => "sha256:" + createHash("sha256").update(jws, "ascii").digest("hex");

console.log(`records soak: seed ${SEED} (replay with ASSENT_SOAK_SEED=${SEED}), ${DECISIONS} decisions`);
const started = Date.now();
const store = await ledgerStore();
let ledger = await startLedger(store);
const target = { url: ledger.url };
const proxy = await chaosProxy(target, random);
const server = await startServer({ ledger: { url: proxy.url } });
const browser = await launchBrowser();
let kills = 0;

/** Kills the ledger (SIGKILL) and starts it again on the same store. */
async function killLedger() {
  target.url = null;
  await ledger.stop("SIGKILL");
  kills += 1;
  ledger = await startLedger(store);
  target.url = ledger.url;
}

/** A tab of `visitor` on the shop page, the loader ready. */
async function openTab(visitor) {
  const page = await visitor.context.newPage();
  page.on("pageerror", (e) => visitor.errors.push(String(e)));
  await loadTab(page, visitor);
  return page;
}
async function loadTab(page, visitor) {
  await page.goto(`${server.url}/fixtures/shop.html?records&account=soak-${visitor.id}`);
  await pageUntil(page, "the loader's API", () => !!window.Assent?.getConsent, undefined, 30_000);
}

const stored = (page) => page.evaluate(() => /(?:^|; *)assent_consent=([^;]*)/.exec(document.cookie)?.[1] ?? null);

/** One decision in `page`'s first layer; the stored value once it is stored. */
async function decide(page) {
  const before = await stored(page);
  await page.evaluate(() => Assent.show());
  await pageUntil(page, "the banner", () =>
    document.querySelector("assent-widget")?.shadowRoot?.querySelector("section.banner")?.checkVisibility(),
  undefined, 30_000);
  await widgetButton(page, chance(0.5) ? "Accept all" : "Reject all").click();
  await pageUntil(page, "the decision stored", (old) => !document.cookie.includes("assent_consent=" + old), before, 30_000);
  return stored(page);
}

const visitors = [];
for (let id = 1; id <= VISITORS; id++) {
  const visitor = { id, context: await browser.newContext(), tabs: [], decisions: 0, errors: [] };
  // Each decision made (its stored value), and what that tab did next.
  visitor.made = [];
  for (let n = 0; n < 2; n++) visitor.tabs.push(await openTab(visitor));
  visitors.push(visitor);
}

// --- Decisions under chaos.
const actions = { decide: 0, reload: 0, "new tab": 0 };
let made = 0;
while (made < DECISIONS) {
  const visitor = pick(visitors);
  const at = Math.floor(random() * visitor.tabs.length);
  const action = chance(0.1) ? "reload" : chance(0.03) ? "new tab" : "decide";
  actions[action] += 1;
  const last = visitor.made.findLast((m) => m.tab === visitor.tabs[at] && !m.next);
  if (last) last.next = action;
  if (action === "reload") await loadTab(visitor.tabs[at], visitor);
  else if (action === "new tab") {
    await visitor.tabs[at].close();
    visitor.tabs[at] = await openTab(visitor);
  } else {
    visitor.made.push({ stored: await decide(visitor.tabs[at]), tab: visitor.tabs[at], at: Date.now() });
    made += 1;
    visitor.decisions += 1;
    if (made % Math.ceil(DECISIONS / (KILLS + 1)) === 0 && kills < KILLS) await killLedger();
    if (made % 100 === 0) console.log(`records soak: ${made} decisions, ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

// --- Calm: every tab's next page view sends what its profile holds.
proxy.calm = true;
for (const visitor of visitors) for (const tab of visitor.tabs) await loadTab(tab, visitor);
for (const visitor of visitors) {
  await until(
    () => visitor.tabs[0].evaluate(() => localStorage.getItem("assent.outbox") === null),
    `visitor ${visitor.id}'s outbox to empty`,
    180_000,
  );
}

// --- What the ledger holds.
const records = (await exportLedger(store)).records.map((r) => ({ jws: r.jws, record: payloadOf(r.jws) }));
const ids = new Set(records.map((r) => r.record.id));
const duplicates = records.length - ids.size;
const chains = new Map();
for (const r of records) chains.set(r.record.subject, [...(chains.get(r.record.subject) ?? []), r]);
let broken = 0;
for (const chain of chains.values()) {
  chain.sort((a, b) => a.record.seq - b.record.seq);
  chain.forEach((r, i) => {
    const previous = i ? sha(chain[i - 1].jws) : null;
    if (r.record.seq !== i + 1 || r.record.previous !== previous) broken += 1;
  });
}
const histories = [];
for (const visitor of visitors) {
  const history = await visitor.tabs[0].evaluate(() => Assent.consentHistory());
  histories.push({ visitor: visitor.id, decisions: visitor.decisions, records: history.records.length,
    delivered: history.records.filter((r) => r.status === "delivered").length });
}

// Decisions the ledger lacks, with what their tab did next.
const recorded = new Set(records.map((r) => r.record.decision));
const missing = visitors.flatMap((v) =>
  v.made.filter((m) => !recorded.has(m.stored)).map((m) => `visitor ${v.id}: ${m.stored} (then ${m.next ?? "nothing"})`),
);
if (missing.length) console.log(`records soak: missing decisions:\n  ${missing.join("\n  ")}`);
for (const v of visitors) {
  const values = v.made.map((m) => m.stored);
  const twice = values.filter((value, i) => values.indexOf(value) !== i);
  if (twice.length) console.log(`records soak: visitor ${v.id} made the same stored value twice: ${twice.join(", ")}`);
}
console.log(`records soak: histories ${JSON.stringify(histories)}`);

const seconds = Math.round((Date.now() - started) / 1000);
const c = proxy.counts;
console.log(
  `records soak: decisions made ${made}, records stored ${records.length}, duplicates ${duplicates}, ` +
    `broken chains ${broken} (${chains.size} devices), ledger killed ${kills}×, ${seconds} s`,
);
console.log(
  `records soak: proxy ${c.requests} requests: passed ${c.passed}, dropped ${c.drop}, answers lost ${c.lost}, ` +
    `delayed ${c.delay}, duplicated ${c.duplicate}, 5xx ${c["5xx"]}, ledger down ${c.down}; actions ${JSON.stringify(actions)}`,
);
const errors = visitors.flatMap((v) => v.errors);

await browser.close();
await server.close();
await proxy.close();
await ledger.stop();
await store.remove();

assert.deepEqual(
  { stored: records.length, duplicates, broken, devices: chains.size, errors },
  { stored: made, duplicates: 0, broken: 0, devices: VISITORS, errors: [] },
  `seed ${SEED}: the ledger does not hold every decision exactly once`,
);
for (const h of histories) {
  assert.deepEqual([h.records, h.delivered], [h.decisions, h.decisions], `visitor ${h.visitor}'s history: ${JSON.stringify(h)}`);
}
console.log("records soak: every decision stored exactly once, every chain unbroken");
