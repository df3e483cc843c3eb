// End-to-end: Google Consent Mode v2. The `default` command is in dataLayer
// before any Google tag runs, an `update` follows each choice and each later page
// load with a stored choice (before the tag runs), and the types granted are
// those the policy maps to the granted categories. The fixture policy's mapping
// differs from the loader's built-in one (functionality_storage belongs to
// personalization, not to strictly necessary), so only a mapping read from the
// policy passes. The fixture page's google-tag.js records dataLayer when it runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SEND_GPC,
  categorySwitch,
  openPage,
  pageConfig,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const SHOP = () => site.server.url + "/fixtures/shop.html";

/** The Consent Mode state the policy's mapping gives for the granted categories. */
function expectedState(config, granted) {
  const state = {};
  for (const c of config.categories) {
    for (const type of c["consent-mode"] ?? []) {
      const on = c.id === "necessary" || granted.includes(c.id);
      state[type] = on || state[type] === "granted" ? "granted" : "denied";
    }
  }
  return state;
}

/** dataLayer now: each entry's kind (Arguments or not) and values. */
function dataLayer(page) {
  return page.evaluate(() =>
    (window.dataLayer ?? []).map((e) => ({
      arguments: Object.prototype.toString.call(e) === "[object Arguments]",
      values: JSON.parse(JSON.stringify(Array.prototype.slice.call(e))),
    })),
  );
}

/** What the fake Google tag found in dataLayer when it ran. */
const tagSaw = (page) => page.evaluate(() => window.googleTag.saw);

/** Drops `wait_for_update` for comparing states. */
function state(entry) {
  const { wait_for_update: _, ...rest } = entry.values[2];
  return rest;
}

const consentCommand = (kind) => (e) => e.arguments && e.values[0] === "consent" && e.values[1] === kind;

/** Waits for `n` more entries in dataLayer than `before` and returns them. */
async function newEntries(page, before, n = 1) {
  await pageUntil(
    page,
    `${n} new dataLayer entr${n === 1 ? "y" : "ies"}`,
    (want) => (window.dataLayer?.length ?? 0) >= want,
    before + n,
  );
  await page.waitForTimeout(100);
  return (await dataLayer(page)).slice(before);
}

test("dataLayer has the Consent Mode default before any Google tag, and an update after each choice, mapped by the policy", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, SHOP());
  const config = await pageConfig(s.page);
  const none = expectedState(config, []);
  // The mapping under test is the fixture policy's, not the loader's defaults.
  assert.equal(none.functionality_storage, "denied");
  assert.equal(none.security_storage, "granted");
  assert.deepEqual(Object.keys(none).sort(), [
    "ad_personalization", "ad_storage", "ad_user_data", "analytics_storage", "functionality_storage",
    "personalization_storage", "security_storage",
  ]);

  // First visit: the tag saw the default only, as an Arguments object (gtag's form).
  const saw = await tagSaw(s.page);
  assert.equal(saw.length, 1, `the tag saw ${JSON.stringify(saw)}`);
  assert.ok(consentCommand("default")(saw[0]), "dataLayer[0] is gtag('consent', 'default', …)");
  assert.equal(saw[0].values[2].wait_for_update, 500);
  assert.deepEqual(state(saw[0]), none);
  assert.equal((await dataLayer(s.page)).filter(consentCommand("update")).length, 0, "no update before a choice");

  // Each choice appends one update with exactly the policy's types for it.
  const steps = [
    ["personalization only", ["personalization"], async () => {
      await widgetButton(s.page, "Customize").click();
      await categorySwitch(s.page, "personalization").check();
      await widgetButton(s.page, "Save choices").click();
    }],
    ["accept all", ["analytics", "marketing", "personalization"], async () => {
      await s.page.getByRole("link", { name: "Privacy settings" }).click();
      await waitForDialog(s.page);
      await widgetButton(s.page, "Accept all").click();
    }],
    ["reject all", [], async () => {
      await s.page.getByRole("link", { name: "Privacy settings" }).click();
      await waitForDialog(s.page);
      await widgetButton(s.page, "Reject all").click();
    }],
  ];
  for (const [name, granted, choose] of steps) {
    const before = (await dataLayer(s.page)).length;
    await choose();
    const added = await newEntries(s.page, before);
    assert.equal(added.length, 1, `${name}: one entry: ${JSON.stringify(added)}`);
    assert.ok(consentCommand("update")(added[0]), `${name}: gtag('consent', 'update', …)`);
    assert.deepEqual(state(added[0]), expectedState(config, granted), name);

    // The next page load: default, then the stored choice's update, both
    // before the tag ran.
    await visit(s.page, SHOP());
    const later = await tagSaw(s.page);
    assert.equal(later.length, 2, `${name}, reload: the tag saw ${JSON.stringify(later)}`);
    assert.ok(consentCommand("default")(later[0]));
    assert.deepEqual(state(later[0]), none, `${name}, reload: the default is still all denied`);
    assert.ok(consentCommand("update")(later[1]));
    assert.deepEqual(state(later[1]), expectedState(config, granted), `${name}, reload`);
  }
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("the preview site's own mapping puts functionality_storage under strictly necessary", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + "/");
  const config = await pageConfig(s.page);
  const [first] = await dataLayer(s.page);
  assert.ok(consentCommand("default")(first));
  assert.deepEqual(state(first), expectedState(config, []));
  assert.equal(state(first).functionality_storage, "granted");
  await s.context.close();
});

test("under Global Privacy Control, Accept all updates Consent Mode with advertising denied", async () => {
  const s = await openPage(site.browser, { initScript: SEND_GPC });
  await visit(s.page, SHOP());
  const config = await pageConfig(s.page);
  const before = (await dataLayer(s.page)).length;
  await widgetButton(s.page, "Accept all").click();
  const [update] = await newEntries(s.page, before);
  assert.deepEqual(state(update), expectedState(config, ["analytics", "personalization"]));
  await visit(s.page, SHOP());
  const later = await tagSaw(s.page);
  assert.deepEqual(state(later[1]), expectedState(config, ["analytics", "personalization"]));
  await s.context.close();
});
