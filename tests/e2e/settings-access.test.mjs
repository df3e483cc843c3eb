// End-to-end: after a choice, a way back to the preferences is on every page
// (GDPR Art. 7(3); EDPB cookie banner taskforce, practice H): the site's own
// `[data-assent-open]` link where it has one, else the loader's floating
// "Privacy settings" button; `floating-button: true` shows the button beside the
// link, `false` never (docs/loader.md, "Settings").
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  floatingButton,
  openPage,
  recordRequests,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";

const site = useSiteAndBrowser();
const SHOP = "/fixtures/shop.html";

/** Whether the page shows the floating button, after giving the loader time to import it. */
async function buttonShown(page) {
  await floatingButton(page).waitFor({ timeout: 2000 }).catch(() => {});
  return floatingButton(page).isVisible();
}

test("a page without its own settings link gets the floating button once a choice exists", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP + "?no-settings-link");
  assert.equal(await s.page.locator("assent-reopen").count(), 0, "no button before a choice");
  await widgetButton(s.page, "Reject all").click();
  assert.equal(await buttonShown(s.page), true, "the button comes with the choice");

  await visit(s.page, site.server.url + SHOP + "?no-settings-link");
  assert.equal(await buttonShown(s.page), true, "and on the return visit");
  await floatingButton(s.page).click();
  await waitForDialog(s.page);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a page with its own settings link gets no floating button and downloads none", async () => {
  const s = await openPage(site.browser);
  const requests = recordRequests(s.page);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Reject all").click();
  await visit(s.page, site.server.url + SHOP);
  assert.equal(await buttonShown(s.page), false);
  assert.equal(await s.page.locator("assent-reopen").count(), 0);
  assert.ok(!requests.includes("/assent-reopen.js"), "the button's code is never fetched");
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  await s.context.close();
});

test("floating-button true shows the button beside the site's link, false never shows it", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP + "?floating-button=true");
  await widgetButton(s.page, "Accept all").click();
  assert.equal(await buttonShown(s.page), true, "true: after the choice");
  await visit(s.page, site.server.url + SHOP + "?floating-button=true");
  assert.equal(await buttonShown(s.page), true, "true: on the return visit");
  await visit(s.page, site.server.url + SHOP + "?floating-button=false&no-settings-link");
  assert.equal(await buttonShown(s.page), false, "false: never");
  await s.context.close();
});
