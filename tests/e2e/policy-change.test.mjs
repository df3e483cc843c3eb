// End-to-end: a decision holds across cosmetic policy changes and is asked for
// again, saying what changed, after a material one (a new consent purpose, a new
// recipient). The fixture policy shop.toml (revision 1) has a cosmetic revision 2
// and a material revision 3 (tests/e2e/fixtures/policies/); the page's
// configuration comes from `cargo xtask policy config … --earlier …`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bannerShown,
  isWidgetFile,
  openPage,
  pageConfig,
  parseStored,
  recordRequests,
  settledRuns,
  storedValues,
  visit,
  useSiteAndBrowser,
  widgetButton,
} from "./support.mjs";

const site = useSiteAndBrowser();

const R1 = "/fixtures/shop.html";
const R2 = "/fixtures/shop.html?policy=shop-r2-cosmetic&earlier=shop";
const R2_NO_HISTORY = "/fixtures/shop.html?policy=shop-r2-cosmetic";
const R3 = "/fixtures/shop.html?policy=shop-r3-material&earlier=shop,shop-r2-cosmetic";

/** Every gated script of the shop page, which all run under Accept all. */
const ALL = Object.fromEntries(
  ["necessary-inline", "audience-inline", "audience-src", "ads-pixel", "recommendations-src", "recommendations-inline",
    "perso-generic", "combo"].map((id) => [id, 1]),
);
const NOTHING = { "necessary-inline": 1 };

/**
 * The runs of the page's gated scripts (embeds left out: whether a choice holds
 * is the question here; return-visit and randomized tests cover embeds).
 */
function scriptRuns(page, expected) {
  return settledRuns(page, expected, { ignore: /-embed$/ });
}

/** The change list of the banner: shown or not, its heading and its items. */
function changeList(page) {
  return page.evaluate(() => {
    const box = document.querySelector("assent-widget").shadowRoot.querySelector("section.banner .changes");
    return {
      shown: !!box?.checkVisibility(),
      heading: box?.querySelector("h3")?.textContent.trim(),
      items: [...(box?.querySelectorAll("li") ?? [])].map((li) => li.textContent.trim()),
    };
  });
}

/** A context whose stored choice is Accept all under revision 1. */
async function acceptedUnderRevision1() {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + R1);
  await widgetButton(s.page, "Accept all").click();
  assert.deepEqual(await scriptRuns(s.page, ALL), ALL);
  assert.equal(parseStored((await storedValues(s.page)).cookie)?.revision, 1);
  return s;
}

test("no re-prompt after a cosmetic policy change", async () => {
  const s = await acceptedUnderRevision1();
  const requests = recordRequests(s.page);
  await visit(s.page, site.server.url + R2);
  const config = await pageConfig(s.page);
  assert.deepEqual([config.revision, config["consent-revision"]], [2, 1], "revision 1 decisions still hold");
  assert.equal(await bannerShown(s.page), false);
  assert.deepEqual(requests.filter(isWidgetFile), [], "the widget is not even loaded");
  assert.deepEqual(await scriptRuns(s.page, ALL), ALL, "the choice still applies");
  const consent = await s.page.evaluate(() => Assent.getConsent());
  assert.deepEqual([consent.status, consent.revision], ["valid", 1]);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("without the earlier revision a changed policy cannot be told cosmetic, so it asks again", async () => {
  const s = await acceptedUnderRevision1();
  await visit(s.page, site.server.url + R2_NO_HISTORY);
  assert.equal((await pageConfig(s.page))["consent-revision"], 2);
  assert.equal(await bannerShown(s.page), true);
  assert.deepEqual(await scriptRuns(s.page, NOTHING), NOTHING);
  await s.context.close();
});

test("re-prompt after a material policy change, listing what changed", async () => {
  const s = await acceptedUnderRevision1();
  // Through the cosmetic revision 2 first: still no prompt.
  await visit(s.page, site.server.url + R2);
  assert.equal(await bannerShown(s.page), false);

  await visit(s.page, site.server.url + R3);
  const config = await pageConfig(s.page);
  assert.deepEqual([config.revision, config["consent-revision"]], [3, 3]);
  assert.equal(await bannerShown(s.page), true, "asked again");
  assert.deepEqual(await scriptRuns(s.page, NOTHING), NOTHING, "the old choice grants nothing meanwhile");
  assert.deepEqual(await changeList(s.page), {
    shown: true,
    heading: "What changed",
    items: ["New use of your data: Newsletter measurement", "New recipient: Beacon Metrics Inc. (US)"],
  });
  const consent = await s.page.evaluate(() => Assent.getConsent());
  assert.deepEqual([consent.status, consent.reason, consent.categories.analytics], ["outdated", "policy-change", "expired"]);

  // Deciding again under revision 3 settles it.
  await widgetButton(s.page, "Accept all").click();
  assert.deepEqual(await scriptRuns(s.page, ALL), ALL);
  assert.equal(parseStored((await storedValues(s.page)).cookie)?.revision, 3);
  await visit(s.page, site.server.url + R3);
  assert.equal(await bannerShown(s.page), false);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("the change list speaks the page's language and shows only to people who decided before", async () => {
  const s = await acceptedUnderRevision1();
  await visit(s.page, site.server.url + R3 + "&html-lang=fr");
  const fr = await changeList(s.page);
  assert.equal(fr.shown, true);
  assert.equal(fr.heading, "Ce qui a changé");
  assert.equal(fr.items.length, 2);
  assert.match(fr.items[0], /^Nouvelle utilisation de vos données\s?: Mesure des lettres d'information$/);
  assert.match(fr.items[1], /^Nouveau destinataire\s?: Beacon Metrics Inc\. \(US\)$/);
  await s.context.close();

  // A first visit under revision 3 has nothing to compare with.
  const first = await openPage(site.browser);
  await visit(first.page, site.server.url + R3);
  assert.equal(await bannerShown(first.page), true);
  assert.equal((await changeList(first.page)).shown, false);
  await first.context.close();
});
