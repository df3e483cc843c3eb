// End-to-end: a host page whose own scripts redefine what the loader could
// lean on (Array.prototype's methods, JSON, fetch, customElements.define),
// before the loader runs or after. None of it can make the loader run a gated
// script or load a held embed that the visitor's decision does not allow: the
// worst a broken built-in may do is keep something from running.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useSiteAndBrowser, widgetButton } from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const SHOP = "/fixtures/shop.html";

// Each lie makes a built-in answer whatever would grant the most: every
// check passes, every search finds, nothing is filtered out. (A lying
// Array.prototype[Symbol.iterator] is left out: it breaks the test's own
// browser driver before it breaks anything of Assent's.)
const LIES = {
  "Array.prototype.every": "Array.prototype.every = function () { return true; }",
  "Array.prototype.some": "Array.prototype.some = function () { return true; }",
  "Array.prototype.includes": "Array.prototype.includes = function () { return true; }",
  "Array.prototype.indexOf": "Array.prototype.indexOf = function () { return 0; }",
  "Array.prototype.filter": "Array.prototype.filter = function () { return this; }",
  "Array.prototype.find": "Array.prototype.find = function () { return this[0]; }",
  "Array.prototype.map": "Array.prototype.map = function () { return this; }",
  "Array.prototype.reduce": "Array.prototype.reduce = function () { return this[this.length - 1]; }",
  "Array.isArray": "Array.isArray = function () { return true; }",
  "JSON.parse": 'JSON.parse = function () { return { categories: [], "lifetime-days": 100000, revision: 0 }; }',
  "JSON.stringify": "JSON.stringify = function () { return '{}'; }",
  fetch: "window.fetch = function () { return Promise.resolve(new Response('{}')); }",
  "customElements.define": "customElements.define = function () { throw new Error('no custom elements here'); }",
};

// A stored Reject all, made a minute ago under revision 1 (the shop policy's).
const rejectAll = () => `v2.a0m0p0.reject-all.${Date.now() - 60_000}.1.0.`;

/** A visitor whose page has `lie` told before any of its scripts runs. */
async function visitorWith(lie, stored) {
  const s = await openPage(site.browser, { initScript: lie });
  if (stored) await s.context.addCookies([{ name: "assent_consent", value: stored, url: site.server.url }]);
  return s;
}

/** Waits until the loader has run and settled (the page loaded, network idle). */
async function loaded(page, url) {
  await page.goto(url);
  await pageUntil(page, "the loader's API", () => !!window.Assent?.getConsent);
  await page.waitForLoadState("networkidle");
}

/**
 * What ran and what loaded, read in the page with nothing the lies touch
 * (for-in, index loops, string concatenation): "id=count;…|title;…".
 */
function effects(page) {
  return page.evaluate(() => {
    const runs = window.assentPreview.runs;
    let ran = "";
    for (const id in runs) ran += id + "=" + runs[id].count + ";";
    const frames = document.querySelectorAll("iframe");
    let loaded = "";
    for (let i = 0; i < frames.length; i++) if (frames[i].getAttribute("src")) loaded += frames[i].title + ";";
    return ran + "|" + loaded;
  });
}
// Nothing gated ran and no embed loaded; the necessary script may have run,
// or not, where the lie broke what runs it: a broken built-in may hold
// something back, never let something through.
const NOTHING_GATED = ["necessary-inline=1;|", "|"];
const nothingGated = async (page) => {
  const seen = await effects(page);
  assert.ok(NOTHING_GATED.includes(seen), `ran|loaded: ${seen}`);
};

for (const [name, lie] of Object.entries(LIES)) {
  test(`${name} lying before the loader: after Reject all, nothing gated runs or loads`, async () => {
    const s = await visitorWith(lie, rejectAll());
    await loaded(s.page, site.server.url + SHOP);
    await nothingGated(s.page);
    await s.context.close();
  });

  test(`${name} lying before the loader: with no decision yet, and after Reject all, nothing gated runs or loads`, async () => {
    const s = await visitorWith(lie);
    await loaded(s.page, site.server.url + SHOP);
    await nothingGated(s.page);
    // Reject all from the first layer, when the lie left it able to show.
    if (await s.page.locator("assent-widget section.banner").isVisible()) {
      await widgetButton(s.page, "Reject all").click();
      await s.page.waitForLoadState("networkidle");
      await nothingGated(s.page);
    }
    await s.context.close();
  });
}

// After the loader ran, Array.prototype's lies (JSON's would break the test
// driver's own messages).
const ARRAY_LIES = Object.entries(LIES)
  .filter(([name]) => name.startsWith("Array"))
  .map(([, lie]) => lie);

test("built-ins redefined after the loader ran: a gated script inserted later still waits", async () => {
  const s = await visitorWith(undefined, rejectAll());
  await loaded(s.page, site.server.url + SHOP);
  await s.page.evaluate((lies) => {
    for (const lie of lies) (0, eval)(lie);
    const late = document.createElement("script");
    late.type = "text/plain";
    late.dataset.category = "marketing";
    late.text = 'window.assentPreview.ran("late-marketing", "marketing");';
    document.body.append(late);
  }, ARRAY_LIES);
  // The loader's MutationObserver scans the insertion in a microtask; give it
  // a frame and the network a moment, then nothing more may have run.
  await s.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
  await s.page.waitForLoadState("networkidle");
  await nothingGated(s.page);
  await s.context.close();
});
