// End-to-end: Global Privacy Control (`navigator.globalPrivacyControl === true`)
// is honoured and displayed: marketing (selling and sharing for advertising)
// stays refused under Accept all and under a choice made before the signal, the
// stored value records the signal, the banner and the dialog say so, and only
// switching marketing on in the preferences grants it.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SEND_GPC_WHEN_ASKED,
  categorySwitch,
  openPage,
  parseStored,
  recordRequests,
  settledRuns,
  storedValues,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const SHOP = "/fixtures/shop.html";

const once = (ids) => Object.fromEntries(ids.map((id) => [id, 1]));
/** What the shop page runs when everything but marketing is granted. */
const NO_MARKETING = once([
  "necessary-inline", "audience-inline", "audience-src", "recommendations-src", "recommendations-inline",
  "perso-generic", "map-embed",
]);
/** The same, scripts only (for return visits: embeds are the return-visit tests' subject). */
const NO_MARKETING_SCRIPTS = Object.fromEntries(Object.entries(NO_MARKETING).filter(([id]) => !id.endsWith("-embed")));
const MARKETING_FILES = ["/fixtures/tags/ads.js", "/fixtures/tags/tag.js?id=combo", "/fixtures/embed.html?id=video-embed"];

/** The GPC note of the banner or the dialog: shown, and its text. */
function gpcNote(page, scope) {
  return page.evaluate((scope) => {
    const note = document.querySelector("assent-widget").shadowRoot.querySelector(`${scope} .gpc`);
    return { shown: !!note?.checkVisibility(), text: note?.textContent.trim() };
  }, scope);
}

test("GPC is displayed: the banner and the dialog say the signal is honoured", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  await visit(s.page, site.server.url + SHOP + "?gpc");
  const banner = await gpcNote(s.page, "section.banner");
  assert.equal(banner.shown, true);
  assert.match(banner.text, /^Your browser sent a Global Privacy Control signal: /);
  await widgetButton(s.page, "Customize").click();
  await waitForDialog(s.page);
  const dialog = await gpcNote(s.page, "[role=dialog]");
  assert.equal(dialog.shown, true);
  assert.match(dialog.text, /^Your browser sent a Global Privacy Control signal: /);
  assert.equal(await categorySwitch(s.page, "marketing").isChecked(), false);

  // Without the signal there is no note.
  await visit(s.page, site.server.url + SHOP);
  assert.equal((await gpcNote(s.page, "section.banner")).shown, false);
  await s.context.close();
});

test("GPC is honoured: Accept all leaves marketing refused, no marketing script or embed ever loads, the stored value has the GPC flag", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  const requests = recordRequests(s.page);
  await visit(s.page, site.server.url + SHOP + "?gpc");
  await widgetButton(s.page, "Accept all").click();
  assert.deepEqual(await settledRuns(s.page, NO_MARKETING), NO_MARKETING);
  const stored = await storedValues(s.page);
  assert.equal(stored.cookie, stored.local);
  const decision = parseStored(stored.cookie);
  assert.equal(decision?.gpc, true, `gpc flag 1 in ${stored.cookie}`);
  assert.equal(decision.method, "accept-all");
  assert.deepEqual(decision.categories, { analytics: true, marketing: false, personalization: true });
  const consent = await s.page.evaluate(() => Assent.getConsent());
  assert.equal(consent.gpc, true);
  assert.equal(consent.categories.marketing, "refused");
  assert.equal(consent.services.ads, "refused");

  // The return visit too.
  await visit(s.page, site.server.url + SHOP + "?gpc");
  assert.deepEqual(await settledRuns(s.page, NO_MARKETING_SCRIPTS, { ignore: /-embed$/ }), NO_MARKETING_SCRIPTS);
  assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("marketing")), false);
  for (const f of MARKETING_FILES) assert.ok(!requests.includes(f), `${f} was never requested`);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a choice made before the browser sent GPC is read with marketing refused", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Accept all").click();
  // Everything has run (and been fetched) before the requests below are recorded.
  await pageUntil(s.page, "the allowed marketing scripts and embeds to run", () =>
    ["combo", "ads-pixel", "video-embed", "map-embed"].every((id) => window.assentPreview.runs[id]),
  );
  await s.page.waitForTimeout(100);
  assert.equal(parseStored((await storedValues(s.page)).cookie).categories.marketing, true);

  const requests = recordRequests(s.page);
  await visit(s.page, site.server.url + SHOP + "?gpc");
  assert.deepEqual(await settledRuns(s.page, NO_MARKETING_SCRIPTS, { ignore: /-embed$/ }), NO_MARKETING_SCRIPTS);
  for (const f of MARKETING_FILES) assert.ok(!requests.includes(f), `${f} is not requested under GPC`);
  const consent = await s.page.evaluate(() => Assent.getConsent());
  assert.deepEqual(
    [consent.status, consent.reason, consent.categories.marketing, consent.categories.analytics],
    ["valid", "gpc", "refused", "given"],
  );
  assert.equal(await s.page.locator("assent-widget").count(), 0, "a valid choice: no banner");
  await s.context.close();
});

test("under GPC only switching marketing on in the preferences grants it", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  await visit(s.page, site.server.url + SHOP + "?gpc");
  await widgetButton(s.page, "Customize").click();
  await categorySwitch(s.page, "marketing").check();
  await widgetButton(s.page, "Save choices").click();
  await pageUntil(s.page, "the ads pixel to run", () => window.assentPreview.runs["ads-pixel"]?.count === 1);
  const decision = parseStored((await storedValues(s.page)).cookie);
  assert.deepEqual([decision.gpc, decision.categories.marketing], [true, true]);
  await visit(s.page, site.server.url + SHOP + "?gpc");
  await pageUntil(s.page, "the ads pixel to run on the return visit", () =>
    window.assentPreview.runs["ads-pixel"]?.count === 1,
  );
  assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("marketing")), true);
  await s.context.close();
});

test("under GPC, Always allow on one embed grants that service only, not the marketing GPC refused", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Accept all").click(); // before the signal: marketing granted
  await visit(s.page, site.server.url + SHOP + "?gpc");
  assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("marketing")), false, "GPC refuses it now");
  await s.page
    .locator("assent-placeholder")
    .first()
    .getByRole("button", { name: "Always allow ClipTube", exact: true })
    .click();
  await pageUntil(s.page, "the video embed to load", () => window.assentPreview.runs["video-embed"]?.count === 1);
  const runs = await settledRuns(s.page, NO_MARKETING_SCRIPTS, { ignore: /-embed$/ });
  assert.deepEqual(runs, NO_MARKETING_SCRIPTS, "no other marketing script runs");
  const consent = await s.page.evaluate(() => Assent.getConsent());
  assert.deepEqual(
    [consent.categories.marketing, consent.services.ads, consent.services.video],
    ["refused", "refused", "given"],
  );
  await s.context.close();
});

test("under GPC, the preferences show a service the signal refuses as off", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
  await visit(s.page, site.server.url + SHOP);
  // Before the signal: marketing off, but the ads service allowed on its own.
  await widgetButton(s.page, "Customize").click();
  await s.page.locator("assent-widget #assent-service-ads").check();
  await s.page.locator("assent-widget [role=dialog]").getByRole("button", { name: "Save choices", exact: true }).click();
  await pageUntil(s.page, "the ads pixel to run", () => window.assentPreview.runs["ads-pixel"]?.count === 1);
  assert.deepEqual(parseStored((await storedValues(s.page)).cookie).services, { ads: true });

  await visit(s.page, site.server.url + SHOP + "?gpc");
  assert.equal(await s.page.evaluate(() => Assent.acceptedService("ads")), false, "GPC refuses ads now");
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await s.page.locator("assent-widget [role=dialog]").waitFor();
  const shown = await s.page.evaluate(() => {
    const root = document.querySelector("assent-widget").shadowRoot;
    return ["#assent-switch-marketing", "#assent-service-ads"].map((sel) => root.querySelector(sel).checked);
  });
  assert.deepEqual(shown, [false, false], "marketing and ads shown as they apply: off");
  await s.context.close();
});
