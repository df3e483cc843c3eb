// End-to-end: Assent on the strictest page a site may serve (support.mjs
// STRICT_CSP): scripts only with the page's nonce, no eval, styles and frames
// only from the site, and Trusted Types required for every script sink, with
// only Assent's two named policies allowed. The banner, the preferences (the
// wasm), the gated scripts and the embed all work, and the page's violation
// listener (fixtures/violations.js, the events a `report-to` endpoint would
// get) sees 0 reports.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bannerShown,
  categorySwitch,
  dialogShown,
  gatedRuns,
  isWidgetFile,
  openPage,
  visit,
  useSiteAndBrowser,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const STRICT = "/fixtures/strict.html?csp=strict";

const violations = (page) => page.evaluate(() => window.violations);

test("the listener hears a Trusted Types violation (so its 0 below means none)", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + STRICT);
  const refused = await s.page.evaluate(() => {
    try {
      document.createElement("div").innerHTML = "<b>markup</b>";
      return false;
    } catch (e) {
      return e instanceof TypeError;
    }
  });
  assert.equal(refused, true, "a plain string into innerHTML is refused");
  await pageUntil(s.page, "the violation event", () => window.violations.length > 0);
  const [violation] = await violations(s.page);
  assert.equal(violation.directive, "require-trusted-types-for");
  await s.context.close();
});

test("first visit: the banner, Customize and the preferences (wasm), one category saved; only it runs; 0 violations", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + STRICT);
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await gatedRuns(s.page), { "necessary-inline": 1 });
  await widgetButton(s.page, "Customize").click();
  await pageUntil(s.page, "the preferences dialog", () =>
    document.querySelector("assent-widget")?.shadowRoot?.querySelector("[role=dialog]")?.checkVisibility(),
  );
  assert.equal(await dialogShown(s.page), true);
  await categorySwitch(s.page, "analytics").click();
  await widgetButton(s.page, "Save choices").click();
  await pageUntil(s.page, "both analytics scripts to run", () => {
    const runs = window.assentPreview.runs;
    return runs["audience-inline"] && runs["audience-src"];
  });
  assert.deepEqual(await gatedRuns(s.page), { "necessary-inline": 1, "audience-inline": 1, "audience-src": 1 });
  assert.equal(await s.page.locator("iframe[title='Product video']").getAttribute("src"), null, "marketing's embed held");
  assert.deepEqual(await violations(s.page), []);
  assert.deepEqual(s.errors, []);

  // The return visit: the loader alone runs what was allowed, once.
  const fetched = site.server.requests.length;
  await visit(s.page, site.server.url + STRICT);
  await pageUntil(s.page, "the analytics scripts on the return visit", () => window.assentPreview.runs["audience-src"]);
  assert.deepEqual(await gatedRuns(s.page), { "necessary-inline": 1, "audience-inline": 1, "audience-src": 1 });
  assert.ok(!site.server.requests.slice(fetched).some(isWidgetFile), "no wasm on a return visit");
  assert.deepEqual(await violations(s.page), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("Accept all from the first layer: every gated script runs once and the embed loads; 0 violations", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + STRICT);
  await widgetButton(s.page, "Accept all").click();
  // The embed reports itself when it loads (fixtures/embed.html).
  await pageUntil(s.page, "every gated script and the embed to run", () => Object.keys(window.assentPreview.runs).length === 6);
  assert.deepEqual(await gatedRuns(s.page), {
    "necessary-inline": 1,
    "audience-inline": 1,
    "audience-src": 1,
    "ads-pixel": 1,
    "perso-generic": 1,
    "video-embed": 1,
  });
  assert.equal(await bannerShown(s.page), false);
  assert.deepEqual(await violations(s.page), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
