// End-to-end: what the host page or the browser controls can fail, and the
// widget must lose nothing and throw nothing into the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ALL_GATED,
  bannerShown,
  gatedRuns,
  openPage,
  visit,
  useSiteAndBrowser,
  widgetButton,
} from "./support.mjs";

const site = useSiteAndBrowser();

// Storage blocked the way browsers block it: reading `localStorage` and
// `document.cookie` throws SecurityError.
const BLOCK_STORAGE = () => {
  const deny = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  Object.defineProperty(window, "localStorage", { get: deny, configurable: true });
  Object.defineProperty(Document.prototype, "cookie", { get: deny, set: deny, configurable: true });
};

test("blocked storage: the choice still applies to the page, nothing throws", async () => {
  const s = await openPage(site.browser, { initScript: BLOCK_STORAGE });
  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await gatedRuns(s.page), {});
  await widgetButton(s.page, "Accept all").click();
  await s.page.waitForFunction((n) => Object.keys(window.assentPreview.runs).length === n, ALL_GATED.length);
  assert.deepEqual(await gatedRuns(s.page), Object.fromEntries(ALL_GATED.map((id) => [id, 1])));
  assert.equal(await bannerShown(s.page), false);
  assert.ok(
    s.warnings.some((w) => /localStorage is not available \(SecurityError/.test(w)),
    `a clear warning: ${JSON.stringify(s.warnings)}`,
  );
  assert.deepEqual(s.errors, []);

  // Nothing could be stored, so the next page view asks again and runs nothing.
  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await gatedRuns(s.page), {});
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a tampered consent cookie grants nothing and the banner asks again", async () => {
  const s = await openPage(site.browser);
  await s.context.addCookies([
    { name: "assent_consent", value: "v1.a1m1p1.accept-all.not-a-time", url: site.server.url },
  ]);
  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await gatedRuns(s.page), {});
  assert.ok(s.warnings.some((w) => /malformed timestamp/.test(w)), JSON.stringify(s.warnings));
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("an expired choice is asked again and grants nothing meanwhile", async () => {
  const s = await openPage(site.browser);
  const sevenMonthsAgo = Date.now() - 213 * 24 * 3600 * 1000;
  await s.context.addInitScript((v) => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem("assent.consent", v);
      sessionStorage.setItem("seeded", "1");
    }
  }, `v1.a1m1p1.accept-all.${sevenMonthsAgo}`);
  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await gatedRuns(s.page), {});
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
