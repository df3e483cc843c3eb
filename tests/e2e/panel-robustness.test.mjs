// End-to-end: the "GDPR & my data" panel under stress, against the reference
// server: mounted and unmounted 50 times (JS heap, DOM nodes, listeners and
// the panel's wasm memory back to their first level, printed), a double
// click sends once, a call that fails says so and its retry is carried out
// once, and a change whose page closed mid-request is never lost and never
// carried out twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BACKEND } from "./ledger.mjs";
import { pageUntil } from "../support/harness.mjs";
import { axeViolations, openPage } from "./support.mjs";
import {
  WORDS,
  goToPanel,
  launchBrowser,
  openSection,
  panel,
  panelButton,
  startRightsServer,
  withPanel as withPanelOn,
} from "./panel.mjs";

const w = WORDS.en;
let browser;
let rights;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** A fresh server (`rights`) and a signed-in visitor on the panel, for `body` (panel.mjs). */
const withPanel = (body) =>
  withPanelOn(browser, "en", async (session, server) => {
    rights = server;
    await body(session);
  });

/** The account's requests, as the server has them. */
const serverRequests = (page) =>
  page.evaluate(() => fetch("/api/rights/v1/requests").then((r) => r.json()).then((b) => b.requests));

/** Signs the page's visitor in as the demo account (cookies); the session's answer. */
const signIn = (page) =>
  page.evaluate(() =>
    fetch("/api/app/v1/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "demo@pix2clip.example" }),
    }).then((r) => r.json()),
  );

/** What the page holds, after a full garbage collection. */
async function measure(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const dom = await cdp.send("Memory.getDOMCounters");
  const wasm = await page.evaluate(async () => {
    const exports = await (await import("/assent-panel.js")).default();
    return exports.memory.buffer.byteLength;
  });
  return { heapUsed: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, wasm };
}

test(`${BACKEND}: mount, unmount and mount again 50 times: heap, DOM nodes, listeners and wasm memory back to their first level`, async () => {
  rights = await startRightsServer();
  const session = await openPage(browser);
  const { page, context } = session;
  try {
    // A page with the loader and nothing else that changes (not the demo
    // app, whose banners follow the panel's events), signed in by cookie.
    await page.goto(rights.url + "/fixtures/my-data.html");
    await signIn(page);
    await page.evaluate(() => document.querySelector("assent-my-data").remove());
    const cdp = await context.newCDPSession(page);
    const cycle = (n) =>
      page.evaluate(async (times) => {
        const host = document.createElement("div");
        document.querySelector("main").append(host);
        const csrf = () => /(?:^|; *)p2c_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? "";
        for (let i = 0; i < times; i++) {
          const handle = await window.Assent.mountMyData(host, { api: "/api/rights/v1", csrf });
          if (!handle) throw new Error("no handle");
          // Loaded: the notice's tables are on screen.
          for (let t = 0; t < 500 && !host.shadowRoot?.querySelector(".panel table"); t++) {
            await new Promise((ok) => setTimeout(ok, 10));
          }
          if (!host.shadowRoot.querySelector(".panel table")) throw new Error(`mount ${i}: not loaded`);
          handle.unmount();
          if (host.shadowRoot.childNodes.length) throw new Error(`unmount ${i} left nodes`);
        }
        host.remove();
      }, n);
    await cycle(5); // warm-up: code, caches and the wasm heap's first growth
    const first = await measure(page, cdp);
    await cycle(50);
    const last = await measure(page, cdp);
    console.log(`panel mount/unmount ×50: first ${JSON.stringify(first)}, after ${JSON.stringify(last)}`);
    assert.ok(last.nodes <= first.nodes, `DOM nodes ${first.nodes} → ${last.nodes}`);
    assert.ok(last.listeners <= first.listeners, `listeners ${first.listeners} → ${last.listeners}`);
    assert.ok(last.heapUsed <= first.heapUsed * 1.1, `JS heap ${first.heapUsed} → ${last.heapUsed}`);
    assert.ok(last.wasm <= first.wasm + 64 * 1024, `wasm memory ${first.wasm} → ${last.wasm}`);
    const errors = session.errors.filter((e) => !e.startsWith("Failed to load resource"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await rights.stop();
  }
});

test(`${BACKEND}: a double click sends one change; with the server down the panel says so, and its retry is carried out once`, async () => {
  await withPanel(async ({ page }) => {
    await openSection(page, w.restriction);
    await rights.stopLedger();
    await panelButton(page, w.restrictOn).click();
    const alert = panel(page).getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /briefly unavailable|could not reach/);
    assert.deepEqual(await axeViolations(page), [], "the failure and its retry are accessible");
    await rights.restart();
    const retry = panelButton(page, "Try again");
    await retry.dblclick();
    await panel(page).getByText(w.restrictIsOn).waitFor();
    const restrictions = (await serverRequests(page)).filter((r) => r.type === "restriction");
    assert.equal(restrictions.length, 1, JSON.stringify(restrictions));

    await panelButton(page, w.restrictOff).dblclick();
    await panel(page).getByRole("alertdialog").waitFor();
    const posted = rights.server.requests.filter((p) => p === "/api/rights/v1/restriction/lift-warnings");
    assert.equal(posted.length, 1, "one warning asked for by a double click");
  });
});

test(`${BACKEND}: a deletion whose page closed before the answer is carried out once, and one that never left is sent at the next mount`, async () => {
  await withPanel(async ({ page, context }) => {
    // The request reaches the server, but the page closes before the answer.
    await page.route("**/api/rights/v1/erasure*", async (route) => {
      await route.fetch().catch(() => {});
    });
    await openSection(page, w.deletion);
    await panel(page).getByLabel(w.confirmLabel).fill(w.confirmWord);
    await panelButton(page, w.deleteAccount).click();
    await pageUntil(page, "the server to record the deletion", () =>
      fetch("/api/rights/v1/account").then((r) => r.json()).then((a) => !!a.erasure),
    );
    assert.ok(await page.evaluate(() => localStorage.getItem("assent.panel.outbox")), "kept until answered");
    await page.close();

    const again = await context.newPage();
    await again.goto(rights.url + "/app/#/settings/privacy");
    await panel(again).getByRole("heading", { name: w.title, level: 2 }).waitFor({ timeout: 30000 });
    await openSection(again, w.deletion);
    await panel(again).getByText(w.scheduled).waitFor();
    await pageUntil(again, "the outbox to empty", () => !localStorage.getItem("assent.panel.outbox"));
    let erasures = (await serverRequests(again)).filter((r) => r.type === "erasure");
    assert.equal(erasures.length, 1, "sent again with its key: carried out once");

    // Cancelled, then a new deletion that never leaves the page.
    await panelButton(again, w.cancelDeletion).click();
    await panel(again).getByText(w.cancelled).waitFor();
    await again.route("**/api/rights/v1/erasure*", (route) => route.abort());
    await panel(again).getByLabel(w.confirmLabel).fill(w.confirmWord);
    await panelButton(again, w.deleteAccount).click();
    await panel(again).getByRole("alert").waitFor();
    await again.close();

    const third = await context.newPage();
    await third.goto(rights.url + "/app/#/settings/privacy");
    await goToPanel(third, "en");
    await openSection(third, w.deletion);
    await panel(third).getByText(w.scheduled).waitFor();
    erasures = (await serverRequests(third)).filter((r) => r.type === "erasure");
    assert.equal(erasures.filter((r) => r.status === "in_progress").length, 1, JSON.stringify(erasures));
    assert.equal(erasures.length, 2, "the cancelled one and the one sent at the next mount");
  });
});

test(`${BACKEND}: a page of one's own, written from docs/panel.md, mounts the panel; a bearer token is asked again after a 401`, async () => {
  rights = await startRightsServer();
  const session = await openPage(browser);
  const { page, context } = session;
  try {
    // Signed in with cookies, the element as the docs write it.
    await page.goto(rights.url + "/fixtures/my-data.html");
    const { token } = await signIn(page);
    await page.reload();
    await panel(page).getByText(/^\d{2,} items$/).first().waitFor({ timeout: 30000 });

    // Without cookies: a bearer token from a callback, stale at first.
    await context.clearCookies();
    const calls = await page.evaluate(async (good) => {
      document.querySelector("assent-my-data").remove();
      const host = document.createElement("div");
      document.querySelector("#privacy").append(host);
      let asked = 0;
      const handle = await window.Assent.mountMyData(host, {
        token: async () => (++asked === 1 ? "stale-token" : good),
      });
      for (let t = 0; t < 500 && !host.shadowRoot?.querySelector(".panel table"); t++) {
        await new Promise((ok) => setTimeout(ok, 10));
      }
      const loaded = !!host.shadowRoot?.querySelector(".panel table");
      handle.unmount();
      return { asked, loaded };
    }, token);
    assert.equal(calls.loaded, true, "the panel loaded with the bearer token");
    assert.ok(calls.asked >= 2, `the token was asked again after the 401 (${calls.asked} calls)`);
    const errors = session.errors.filter((e) => !e.startsWith("Failed to load resource"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await rights.stop();
  }
});

test(`${BACKEND}: keyboard only: sections are reached with Tab and Enter, focus moves to the section's heading, actions run from the keyboard`, async () => {
  await withPanel(async ({ page }) => {
    const focused = () =>
      page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return `${el?.tagName}:${(el?.textContent ?? "").trim().slice(0, 40)}`;
      });
    // From the section list: Tab to "Read-only mode", Enter.
    await panel(page).getByRole("navigation").getByRole("button").first().focus();
    for (let i = 0; i < 8 && (await focused()) !== `BUTTON:${w.restriction}`; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), `BUTTON:${w.restriction}`);
    await page.keyboard.press("Enter");
    assert.equal(await focused(), `H3:${w.restriction}`, "focus on the section's heading");
    for (let i = 0; i < 8 && (await focused()) !== `BUTTON:${w.restrictOn}`; i++) await page.keyboard.press("Tab");
    assert.equal(await focused(), `BUTTON:${w.restrictOn}`);
    await page.keyboard.press("Enter");
    await panel(page).getByText(w.restrictIsOn).waitFor();
  });
});
