// End-to-end: the cookie banner and the preferences dialog on the Pix2Clip
// preview page, in headless Chromium, against the release build. Each test gets a
// fresh browser context, so every test starts as a first visit; reloading in the
// same context is a return visit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import {
  ALL_GATED,
  SITE_DIR,
  bannerShown,
  categorySwitch,
  consentCookie,
  dialogShown,
  gatedRuns,
  isWidgetFile,
  openPage,
  pageConfig,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();

const GATED_FILES = ["/demo/audience.js", "/demo/ads-pixel.js"];
const onlyOnce = (ids) => Object.fromEntries(ids.map((id) => [id, 1]));

async function fresh(options) {
  const session = await openPage(site.browser, options);
  await visit(session.page, site.server.url + "/");
  return session;
}

function widget(page) {
  return page.locator("assent-widget");
}

async function assertNoErrors(session) {
  assert.deepEqual(session.errors, [], "no uncaught errors in the page");
}

/** The stored form the page's policy revision gives a decision. */
async function storedPattern(page, flags, method, services = "") {
  const { revision } = await pageConfig(page);
  return new RegExp(`^v2\\.${flags}\\.${method}\\.\\d+\\.${revision}\\.0\\.${services}$`);
}

test("first visit shows the banner and runs no gated script", async () => {
  const before = site.server.requests.length;
  const s = await fresh();
  assert.equal(await bannerShown(s.page), true);
  await widget(s.page).getByRole("region", { name: "We value your privacy" }).waitFor();
  assert.deepEqual(await gatedRuns(s.page), {});
  assert.equal(await consentCookie(s.context), null);
  const fetched = site.server.requests.slice(before);
  assert.ok(fetched.includes("/assent-loader.js"), "the loader loaded");
  // The first layer: the banner without the widget's wasm (nor its glue).
  assert.ok(fetched.includes("/assent-decide.js"), "the first layer loaded");
  assert.deepEqual(fetched.filter(isWidgetFile), [], "no wasm on a first visit");
  for (const f of GATED_FILES) assert.ok(!fetched.includes(f), `${f} is not fetched before consent`);
  // No GPC signal and no policy change: neither note shows.
  const notes = await s.page.evaluate(() => {
    const root = document.querySelector("assent-widget").shadowRoot;
    return [".gpc", ".changes"].map((sel) => root.querySelector(`section.banner ${sel}`)?.checkVisibility());
  });
  assert.deepEqual(notes, [false, false]);
  await s.page.screenshot({ path: await screenshotPath("banner.png") });
  await assertNoErrors(s);
  await s.context.close();
});

test("reject all: no gated script ever runs, and reload shows no banner", async () => {
  const before = site.server.requests.length;
  const s = await fresh();
  await widgetButton(s.page, "Reject all").click();
  assert.equal(await bannerShown(s.page), false);
  await s.page.waitForLoadState("networkidle");
  assert.deepEqual(await gatedRuns(s.page), {});
  const stored = await storedPattern(s.page, "a0m0p0", "reject-all");
  assert.match(await consentCookie(s.context), stored);
  assert.match(await s.page.evaluate(() => localStorage.getItem("assent.consent")), stored);

  const reload = site.server.requests.length;
  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), false, "the refusal is remembered");
  assert.deepEqual(await gatedRuns(s.page), {});
  const fetched = site.server.requests.slice(before);
  for (const f of GATED_FILES) assert.ok(!fetched.includes(f), `${f} was never fetched`);
  assert.deepEqual(site.server.requests.slice(reload).filter(isWidgetFile), [], "the return visit needs no widget");
  await assertNoErrors(s);
  await s.context.close();
});

test("accept all: every gated script runs exactly once, on every page load", async () => {
  const s = await fresh();
  assert.deepEqual(await gatedRuns(s.page), {}, "nothing before the click");
  await widgetButton(s.page, "Accept all").click();
  await pageUntil(
    s.page,
    "every gated script to run",
    (n) => Object.keys(window.assentPreview.runs).length === n,
    ALL_GATED.length,
  );
  await s.page.waitForLoadState("networkidle");
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(ALL_GATED));
  assert.equal(await bannerShown(s.page), false);
  assert.match(await consentCookie(s.context), await storedPattern(s.page, "a1m1p1", "accept-all"));

  await visit(s.page, site.server.url + "/");
  assert.equal(await bannerShown(s.page), false);
  await pageUntil(
    s.page,
    "every gated script to run on the return visit",
    (n) => Object.keys(window.assentPreview.runs).length === n,
    ALL_GATED.length,
  );
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(ALL_GATED));
  await assertNoErrors(s);
  await s.context.close();
});

test("customize with analytics only runs only analytics", async () => {
  const before = site.server.requests.length;
  const s = await fresh();
  await widgetButton(s.page, "Customize").click();
  assert.equal(await dialogShown(s.page), true);
  // The site's own category names, from its policy (www/policies/pix2clip.toml).
  const names = { analytics: "Audience measurement", marketing: "Advertising", personalization: "Personalisation" };
  for (const [category, name] of Object.entries(names)) {
    const sw = widget(s.page).getByRole("switch", { name, exact: true });
    assert.equal(await sw.getAttribute("id"), `assent-switch-${category}`, `${name} is the ${category} switch`);
    assert.equal(await sw.isChecked(), false, `${name} starts off`);
  }
  await categorySwitch(s.page, "analytics").check();
  await widgetButton(s.page, "Save choices").click();
  assert.equal(await dialogShown(s.page), false);
  assert.equal(await bannerShown(s.page), false);
  // The external one runs once fetched, like every other test's waits for.
  await pageUntil(s.page, "the analytics scripts to run", () => window.assentPreview.runs["audience-src"]);
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(["audience-inline", "audience-src"]));
  assert.match(await consentCookie(s.context), await storedPattern(s.page, "a1m0p0", "preferences"));

  await visit(s.page, site.server.url + "/");
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(["audience-inline", "audience-src"]));
  assert.ok(!site.server.requests.slice(before).includes("/demo/ads-pixel.js"));
  await assertNoErrors(s);
  await s.context.close();
});

test("the Privacy settings link reopens the preferences from the stored choice", async () => {
  const s = await fresh();
  await widgetButton(s.page, "Reject all").click();
  await visit(s.page, site.server.url + "/");
  assert.equal(await dialogShown(s.page), false);

  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  assert.equal(await dialogShown(s.page), true);
  assert.equal(await bannerShown(s.page), false, "only the preferences, not the banner");
  assert.equal(new URL(s.page.url()).hash, "", "the link's default action is prevented");
  const marketing = categorySwitch(s.page, "marketing");
  assert.equal(await marketing.isChecked(), false);
  await marketing.check();
  await widgetButton(s.page, "Save choices").click();
  await pageUntil(s.page, "the ads pixel to run", () => window.assentPreview.runs["ads-pixel"]);
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(["ads-pixel"]));

  // Reopening and saving again never re-runs what already ran.
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  assert.equal(await categorySwitch(s.page, "marketing").isChecked(), true);
  await widgetButton(s.page, "Save choices").click();
  await s.page.waitForLoadState("networkidle");
  assert.deepEqual(await gatedRuns(s.page), onlyOnce(["ads-pixel"]));
  assert.match(await consentCookie(s.context), await storedPattern(s.page, "a0m1p0", "preferences"));
  await assertNoErrors(s);
  await s.context.close();
});

test("another page of the site shares the stored choice and its link reopens it", async () => {
  const s = await fresh();
  await widgetButton(s.page, "Accept all").click();
  const before = site.server.requests.length;
  await visit(s.page, site.server.url + "/privacy.html");
  assert.equal(await bannerShown(s.page), false);
  assert.equal(await s.page.evaluate(() => Assent.acceptedCategory("marketing")), true);
  assert.deepEqual(site.server.requests.slice(before).filter(isWidgetFile), [], "no widget until asked for");
  await s.page.getByRole("link", { name: "Privacy settings" }).first().click();
  await waitForDialog(s.page);
  assert.equal(await categorySwitch(s.page, "marketing").isChecked(), true);
  await assertNoErrors(s);
  await s.context.close();
});

async function screenshotPath(name) {
  const dir = `${SITE_DIR}/../screenshots`;
  await mkdir(dir, { recursive: true });
  return `${dir}/${name}`;
}
