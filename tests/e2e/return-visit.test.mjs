// End-to-end: most page views are return visits with a valid choice. They run
// the loader only: no /assent.js, no /assent_bg.wasm, and the gated scripts the
// stored choice allows run, exactly once, before anyone asks for the settings.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ALL_GATED,
  bannerShown,
  categorySwitch,
  gatedRuns,
  isWidgetFile,
  openPage,
  recordRequests,
  serviceSwitch,
  settledRuns,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
const onlyOnce = (ids) => Object.fromEntries(ids.map((id) => [id, 1]));

test("a return visit with a valid stored choice fetches neither assent.js nor assent_bg.wasm, and its allowed scripts run", async () => {
  const s = await openPage(site.browser);
  const requests = recordRequests(s.page);
  await visit(s.page, site.server.url + "/");
  // The first layer: the decision chunk, and no widget (the requests are seen:
  // the check below can fail).
  assert.ok(requests.includes("/assent-decide.js"), "the first visit loads the first layer");
  assert.deepEqual(requests.filter(isWidgetFile), [], "and no widget");
  await widgetButton(s.page, "Accept all").click();
  await pageUntil(
    s.page,
    "every gated script to run",
    (n) => Object.keys(window.assentPreview.runs).length === n,
    ALL_GATED.length,
  );

  for (const path of ["/", "/privacy.html", "/"]) {
    requests.length = 0;
    await visit(s.page, site.server.url + path);
    await s.page.waitForTimeout(200); // time for anything the loader would still import
    assert.deepEqual(requests.filter(isWidgetFile), [], `${path}: no widget files`);
    // These pages have their own settings link and no held embed: the loader's
    // eager file is all they need (docs/loader.md, "Files").
    assert.deepEqual(
      requests.filter((r) => /^\/assent[-.]/.test(r)),
      ["/assent-loader.js"],
      `${path}: only the loader`,
    );
    assert.equal(await s.page.locator("assent-widget").count(), 0, `${path}: no widget element`);
    assert.equal(await s.page.evaluate(() => Assent.getConsent().status), "valid");
    if (path === "/") {
      await pageUntil(
        s.page,
        "every gated script to run on the return visit",
        (n) => Object.keys(window.assentPreview.runs).length === n,
        ALL_GATED.length,
      );
      assert.deepEqual(await gatedRuns(s.page), onlyOnce(ALL_GATED));
    }
  }

  // The widget comes only when asked for.
  requests.length = 0;
  await s.page.getByRole("link", { name: "Privacy settings" }).click();
  await waitForDialog(s.page);
  assert.deepEqual(requests.filter(isWidgetFile).sort(), ["/assent.js", "/assent_bg.wasm"]);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a return visit runs exactly what a custom choice allows, per category and per service", async () => {
  const s = await openPage(site.browser);
  const requests = recordRequests(s.page);
  const page = site.server.url + "/fixtures/shop.html";
  await visit(s.page, page);
  await widgetButton(s.page, "Customize").click();
  await categorySwitch(s.page, "analytics").check();
  await categorySwitch(s.page, "personalization").check();
  await serviceSwitch(s.page, "recommendations").uncheck();
  await widgetButton(s.page, "Save choices").click();
  const allowed = ["necessary-inline", "audience-inline", "audience-src", "perso-generic", "map-embed"];
  assert.deepEqual(await settledRuns(s.page, onlyOnce(allowed)), onlyOnce(allowed), "the first page view, after the choice");

  requests.length = 0;
  await visit(s.page, page);
  assert.deepEqual(await settledRuns(s.page, onlyOnce(allowed)), onlyOnce(allowed));
  assert.deepEqual(requests.filter(isWidgetFile), []);
  assert.equal(await bannerShown(s.page), false);
  for (const held of ["/fixtures/tags/ads.js", "/fixtures/tags/recommendations.js", "/fixtures/tags/tag.js?id=combo",
    "/fixtures/embed.html?id=video-embed"]) {
    assert.ok(!requests.includes(held), `${held} is not fetched`);
  }
  assert.equal(await s.page.locator("assent-placeholder").count(), 1, "only the refused embed is held");
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
