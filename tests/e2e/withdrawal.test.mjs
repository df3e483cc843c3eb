// End-to-end: withdrawing consent is as easy as giving it (GDPR Art. 7(3)) and
// as effective: counted in clicks, from the floating button or a footer link,
// against the clicks that granted the same thing from the banner; and the
// cookies and storage keys the policy declares for each withdrawn service are
// gone afterwards, on the same page view.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  categorySwitch,
  floatingButton,
  openPage,
  serviceSwitch,
  siteStorage,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const SHOP = () => site.server.url + "/fixtures/shop.html";
// The same page without its own settings link: the loader shows its floating button.
const SHOP_NO_LINK = () => site.server.url + "/fixtures/shop.html?no-settings-link";

/** Clicks (or checks/unchecks a switch) and counts it. */
function clicker(page) {
  const c = {
    count: 0,
    async click(locator) {
      await locator.click();
      c.count += 1;
    },
  };
  return c;
}

/** The consent change events of the page view, recorded from now on. */
async function recordChanges(page) {
  await page.evaluate(() => {
    window.changes = [];
    for (const type of ["consent", "change"]) {
      document.addEventListener(`assent:${type}`, (e) => window.changes.push({ type, withdrawn: [...e.detail.withdrawn].sort() }));
    }
  });
}

const changes = (page) => page.evaluate(() => window.changes);
const decided = (page) => pageUntil(page, "the change event", () => window.changes.length > 0);

test("withdrawing analytics takes no more clicks than granting it, and clears its cookie", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, SHOP());
  const grant = clicker(s.page);
  await grant.click(widgetButton(s.page, "Customize"));
  await grant.click(categorySwitch(s.page, "analytics"));
  await grant.click(widgetButton(s.page, "Save choices"));
  await pageUntil(s.page, "the analytics cookie", () => document.cookie.includes("_p2c_audience="));
  assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("analytics")), true);

  for (const [url, opener, how] of [
    [SHOP_NO_LINK, () => floatingButton(s.page), "the floating button"],
    [SHOP, () => s.page.getByRole("link", { name: "Privacy settings" }), "the footer link"],
  ]) {
    // Grant again when needed, then withdraw from a return visit.
    await visit(s.page, url());
    await pageUntil(s.page, "the analytics cookie", () => document.cookie.includes("_p2c_audience="));
    await recordChanges(s.page);
    const withdraw = clicker(s.page);
    await withdraw.click(opener());
    await waitForDialog(s.page);
    await withdraw.click(categorySwitch(s.page, "analytics"));
    await withdraw.click(widgetButton(s.page, "Save choices"));
    await decided(s.page);
    assert.ok(withdraw.count <= grant.count, `${how}: withdrawing took ${withdraw.count} clicks, granting ${grant.count}`);
    assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("analytics")), false);
    const { cookies } = await siteStorage(s.page);
    assert.equal(cookies._p2c_audience, undefined, `${how}: the analytics cookie is cleared`);
    assert.deepEqual(await changes(s.page), [{ type: "change", withdrawn: ["analytics", "audience"] }]);

    // Grant it back for the next opener, from the banner's second layer.
    await visit(s.page, SHOP());
    await s.page.getByRole("link", { name: "Privacy settings" }).click();
    await waitForDialog(s.page);
    await categorySwitch(s.page, "analytics").check();
    await widgetButton(s.page, "Save choices").click();
  }
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("withdrawing everything after Accept all takes no more clicks than Accept all", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, SHOP());
  const grant = clicker(s.page);
  await grant.click(widgetButton(s.page, "Accept all"));
  await visit(s.page, SHOP());
  await recordChanges(s.page);
  const withdraw = clicker(s.page);
  // One click on a `data-assent-open="reject"` link, as one click on Accept all.
  await withdraw.click(s.page.getByRole("link", { name: "Withdraw all my consents" }));
  await decided(s.page);
  const consent = await s.page.evaluate(() => Assent.getConsent().categories);
  assert.deepEqual(consent, { necessary: "given", analytics: "refused", marketing: "refused", personalization: "refused" });
  assert.ok(
    withdraw.count <= grant.count,
    `withdrawing everything took ${withdraw.count} clicks; granting it took ${grant.count} (Accept all)`,
  );
  await s.context.close();
});

test("withdrawing everything from the footer link clears every withdrawn service's cookies and storage", async () => {
  const s = await openPage(site.browser);
  // The preview home page: its demo tags set _p2c_audience and _p2c_ads; the
  // recommendations demo writes nothing, so its key is written here as it would.
  await visit(s.page, site.server.url + "/");
  await widgetButton(s.page, "Accept all").click();
  await pageUntil(s.page, "the analytics and ads cookies", () =>
    document.cookie.includes("_p2c_audience=") && document.cookie.includes("_p2c_ads="),
  );
  await s.page.evaluate(() => {
    localStorage.setItem("p2c.recommendations", "[1,2]");
    localStorage.setItem("site.cart", "kept");
    document.cookie = "site_lang=fr; Path=/";
  });
  await visit(s.page, site.server.url + "/");
  await recordChanges(s.page);
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  await widgetButton(s.page, "Reject all").click();
  await decided(s.page);
  const { cookies, local } = await siteStorage(s.page);
  for (const name of ["_p2c_audience", "_p2c_ads"]) assert.equal(cookies[name], undefined, `${name} is cleared`);
  assert.ok(!local.includes("p2c.recommendations"), `p2c.recommendations is cleared: ${local}`);
  // What no withdrawn service declared stays, and the refusal is stored.
  assert.equal(cookies.site_lang, "fr");
  assert.ok(local.includes("site.cart"));
  assert.match(cookies.assent_consent, /^v2\.a0m0p0\.reject-all\./);
  const [change] = await changes(s.page);
  assert.equal(change.type, "change");
  assert.deepEqual(
    [...change.withdrawn].sort(),
    ["ads", "analytics", "audience", "marketing", "personalization", "recommendations"],
  );
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("withdrawing one service clears only what that service declared", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, SHOP());
  await widgetButton(s.page, "Accept all").click();
  await pageUntil(
    s.page,
    "the cookies and storage of every category",
    () =>
      ["_p2c_audience=", "_p2c_ads=", "_ct_session="].every((c) => document.cookie.includes(c)) &&
      localStorage.getItem("p2c.recommendations"),
  );
  await visit(s.page, SHOP());
  await recordChanges(s.page);
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  await serviceSwitch(s.page, "ads").uncheck();
  await serviceSwitch(s.page, "recommendations").uncheck();
  await widgetButton(s.page, "Save choices").click();
  await decided(s.page);
  const { cookies, local } = await siteStorage(s.page);
  assert.equal(cookies._p2c_ads, undefined, "the withdrawn ads service's cookie is cleared");
  assert.ok(!local.includes("p2c.recommendations"), "the withdrawn recommendations key is cleared");
  assert.equal(cookies._ct_session, "1", "the video service of the same category keeps its cookie");
  assert.equal(cookies._p2c_audience, "1", "analytics keeps its cookie");
  const api = await s.page.evaluate(() => [
    Assent.acceptedService("ads"),
    Assent.acceptedService("video"),
    Assent.acceptedCategory("marketing"),
    Assent.acceptedService("recommendations"),
  ]);
  assert.deepEqual(api, [false, true, true, false]);
  assert.deepEqual(await changes(s.page), [{ type: "change", withdrawn: ["ads", "recommendations"] }]);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
