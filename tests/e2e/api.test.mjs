// End-to-end: the JavaScript API `window.Assent` and its events. Calls a page
// queued before the loader ran (`window.Assent = [["onChange", fn], …]`) are
// replayed; after load acceptedCategory, acceptedService, getConsent, onChange
// (with its unsubscribe), show, showPreferences, reset and push work; and
// `assent:ready`, `assent:consent` (first decision) and `assent:change` (later
// ones) fire on document with getConsent() and `withdrawn` as detail.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bannerShown,
  categorySwitch,
  dialogShown,
  isWidgetFile,
  openPage,
  pageConfig,
  parseStored,
  recordRequests,
  settledRuns,
  storedValues,
  visit,
  useSiteAndBrowser,
  waitForBanner,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const API = () => site.server.url + "/fixtures/api.html";
const DAY = 864e5;

const log = (page) => page.evaluate(() => window.apiLog.map(({ source, type, detail }) => ({ source, type, detail })));
const summary = (entries) => entries.map((e) => `${e.source}:${e.type ?? ""}`);

test("calls queued before the loader are replayed, and ready, consent and change fire", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, API());
  let entries = await log(s.page);
  assert.deepEqual(summary(entries), ["event:ready"], "ready fires once; the queued onChange hears nothing yet");
  assert.equal(entries[0].detail.status, "none");
  assert.deepEqual(entries[0].detail.withdrawn, []);

  await widgetButton(s.page, "Accept all").click();
  await pageUntil(s.page, "the consent event and the queued onChange", () => window.apiLog.length >= 3);
  entries = await log(s.page);
  assert.deepEqual(summary(entries).sort(), ["event:consent", "event:ready", "queued-onChange:"]);
  const consent = entries.find((e) => e.type === "consent").detail;
  assert.equal(consent.status, "valid");
  assert.equal(consent.method, "accept-all");
  assert.deepEqual(consent.withdrawn, []);
  assert.deepEqual(entries.find((e) => e.source === "queued-onChange").detail, consent, "onChange gets the same detail");

  // A later decision is a change, and says what was withdrawn.
  await s.page.evaluate(() => Assent.showPreferences());
  await waitForDialog(s.page);
  await categorySwitch(s.page, "marketing").uncheck();
  await widgetButton(s.page, "Save choices").click();
  await pageUntil(s.page, "the change event and the queued onChange", () => window.apiLog.length >= 5);
  entries = (await log(s.page)).slice(3);
  assert.deepEqual(summary(entries).sort(), ["event:change", "queued-onChange:"]);
  const change = entries.find((e) => e.type === "change").detail;
  assert.deepEqual([...change.withdrawn].sort(), ["ads", "marketing", "video"]);
  assert.equal(change.categories.marketing, "refused");
  assert.equal(change.reason, "custom");
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("acceptedCategory, acceptedService and getConsent after load say what the stored choice grants", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, API());
  const before = await s.page.evaluate(() => ({
    analytics: Assent.acceptedCategory("analytics"),
    necessary: Assent.acceptedCategory("necessary"),
    audience: Assent.acceptedService("audience"),
    consent: Assent.getConsent(),
  }));
  assert.deepEqual(
    [before.analytics, before.necessary, before.audience, before.consent.status, before.consent.decidedAt],
    [false, true, false, "none", null],
  );

  await widgetButton(s.page, "Customize").click();
  await categorySwitch(s.page, "analytics").check();
  await categorySwitch(s.page, "marketing").check();
  await s.page.locator("assent-widget #assent-service-video").uncheck();
  await widgetButton(s.page, "Save choices").click();
  await visit(s.page, API());
  const stored = parseStored((await storedValues(s.page)).cookie);
  const config = await pageConfig(s.page);
  const got = await s.page.evaluate(() => ({
    categories: ["necessary", "analytics", "marketing", "personalization", "bogus", ""].map((k) => Assent.acceptedCategory(k)),
    services: ["audience", "ads", "video", "recommendations", "consent", "unknown", "constructor"].map((id) =>
      Assent.acceptedService(id),
    ),
    consent: Assent.getConsent(),
  }));
  assert.deepEqual(got.categories, [true, true, true, false, false, false]);
  assert.deepEqual(got.services, [true, true, false, false, true, false, false]);
  assert.deepEqual(got.consent, {
    status: "valid",
    reason: "custom",
    method: "preferences",
    decidedAt: stored.decidedAt,
    expiresAt: stored.decidedAt + config["lifetime-days"] * DAY,
    revision: config.revision,
    gpc: false,
    categories: { necessary: "given", analytics: "given", marketing: "given", personalization: "refused" },
    services: {
      consent: "given",
      audience: "given",
      ads: "given",
      video: "refused",
      recommendations: "refused",
    },
  });
  assert.ok(Math.abs(stored.decidedAt - Date.now()) < 60_000, "decidedAt is now");
  await s.context.close();
});

test("onChange returns an unsubscribe that stops the callback, and push works after load", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, API());
  await widgetButton(s.page, "Reject all").click();
  await visit(s.page, API());
  await s.page.evaluate(() => {
    window.heard = [];
    window.unsubscribe = Assent.onChange((d) => window.heard.push(d.categories.analytics));
    Assent.push(["showPreferences"]);
  });
  await waitForDialog(s.page);
  await widgetButton(s.page, "Accept all").click();
  await pageUntil(s.page, "the onChange callback", () => window.heard.length === 1);
  assert.deepEqual(await s.page.evaluate(() => window.heard), ["given"]);

  await s.page.evaluate(() => window.unsubscribe());
  await s.page.evaluate(() => Assent.showPreferences());
  await waitForDialog(s.page);
  await widgetButton(s.page, "Reject all").click();
  await pageUntil(s.page, "the second change event", () =>
    window.apiLog.filter((e) => e.type === "change").length === 2,
  );
  assert.deepEqual(await s.page.evaluate(() => window.heard), ["given"], "not called after unsubscribing");
  await s.context.close();
});

test("show() opens the banner (the first layer, no wasm) and showPreferences() the dialog, loading the widget only then", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, API());
  await widgetButton(s.page, "Accept all").click();
  const requests = recordRequests(s.page);
  await visit(s.page, API());
  assert.deepEqual(requests.filter(isWidgetFile), []);
  await s.page.evaluate(() => Assent.show());
  await waitForBanner(s.page);
  assert.equal(await dialogShown(s.page), false);
  assert.deepEqual(requests.filter(isWidgetFile), []);

  await visit(s.page, API());
  await s.page.evaluate(() => Assent.showPreferences());
  await waitForDialog(s.page);
  assert.deepEqual(requests.filter(isWidgetFile).sort(), ["/assent.js", "/assent_bg.wasm"]);
  assert.equal(await bannerShown(s.page), false);
  assert.equal(await categorySwitch(s.page, "analytics").isChecked(), true, "it shows the stored choice");

  // Queued before the loader ran, on a return visit.
  await visit(s.page, API() + "?queue-preferences");
  await waitForDialog(s.page);
  await s.context.close();
});

test("reset() forgets the choice, withdraws it, clears what it allowed and asks again", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, API());
  await widgetButton(s.page, "Accept all").click();
  await visit(s.page, API());
  await settledRuns(s.page, { "audience-src": 1, "ads-pixel": 1 });
  assert.ok((await s.page.evaluate(() => document.cookie)).includes("_p2c_ads="));
  await s.page.evaluate(() => Assent.reset());
  await waitForBanner(s.page);
  const after = await s.page.evaluate(() => ({
    stored: [/(?:^|; *)assent_consent=/.test(document.cookie), localStorage.getItem("assent.consent")],
    ads: document.cookie.includes("_p2c_ads="),
    audience: document.cookie.includes("_p2c_audience="),
    analytics: Assent.acceptedCategory("analytics"),
    status: Assent.getConsent().status,
    change: window.apiLog.filter((e) => e.type === "change").map((e) => [...e.detail.withdrawn].sort()),
  }));
  assert.deepEqual(after, {
    stored: [false, null],
    ads: false,
    audience: false,
    analytics: false,
    status: "none",
    change: [["ads", "analytics", "audience", "marketing", "personalization", "recommendations", "video"]],
  });
  // The next page view is a first visit again.
  await visit(s.page, API());
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await settledRuns(s.page, {}), {});
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
