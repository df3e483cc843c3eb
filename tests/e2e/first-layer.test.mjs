// End-to-end: the first layer without the wasm. A first visit shows the
// banner the build rendered from the widget's own Leptos components
// (`crates/assent-prerender`), and Accept all, Reject all and the one-click
// withdrawal take effect without fetching `assent.js` or `assent_bg.wasm`.
// Customize loads the widget, which takes the banner's place: the banner it
// mounts must be the same DOM (elements, attributes, text) in the same place,
// whatever the page (language, GPC, a policy change, no policy link).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SEND_GPC,
  axeViolations,
  bannerShown,
  consentCookie,
  isWidgetFile,
  openPage,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();

const SHOP = "/fixtures/shop.html";
const R3 = "/fixtures/shop.html?policy=shop-r3-material&earlier=shop,shop-r2-cosmetic";

/** The widget files fetched since request number `from`. */
const widgetFetches = (from) => site.server.requests.slice(from).filter(isWidgetFile);

/**
 * The widget's root element and banner as data: every element's tag,
 * attributes (sorted: their order carries no meaning) and children, text
 * merged and comments left out (Leptos' markers); the banner's box.
 */
function bannerSnapshot(page) {
  return page.evaluate(() => {
    const hosts = document.querySelectorAll("assent-widget");
    const root = hosts[0]?.shadowRoot?.querySelector(".assent");
    const tree = (element) => {
      const children = [];
      for (const n of element.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) {
          if (typeof children.at(-1) === "string") children[children.length - 1] += n.data;
          else children.push(n.data);
        } else if (n.nodeType === Node.ELEMENT_NODE) children.push(tree(n));
      }
      return {
        tag: element.localName,
        attributes: [...element.attributes].map((a) => `${a.name}=${a.value}`).sort(),
        children: children.filter((c) => c !== ""),
      };
    };
    const banner = root.querySelector("section.banner");
    const { x, y, width, height } = banner.getBoundingClientRect();
    return {
      hosts: hosts.length,
      root: [...root.attributes].map((a) => `${a.name}=${a.value}`).sort(),
      banner: tree(banner),
      box: { x, y, width, height },
    };
  });
}

/** Opens `url` in `session` and returns the first layer's banner and the widget's. */
async function bothBanners(session, url) {
  const { page } = session;
  const from = site.server.requests.length;
  await visit(page, site.server.url + url);
  assert.deepEqual(widgetFetches(from), [], "the first layer fetched no wasm");
  const first = await bannerSnapshot(page);
  await page.evaluate(() => window.Assent.showPreferences());
  await waitForDialog(page);
  const widget = await bannerSnapshot(page);
  assert.deepEqual(widgetFetches(from).sort(), ["/assent.js", "/assent_bg.wasm"]);
  return { first, widget };
}

const PAGES = [
  ["the default page in English", SHOP, {}],
  ["a page in French", SHOP + "?html-lang=fr", {}],
  ["a page in German", SHOP + "?html-lang=de", {}],
  ["a page forcing French by its configuration", SHOP + "?lang=fr", {}],
  ["a browser sending GPC", SHOP, { initScript: SEND_GPC }],
  [
    "a page without a privacy policy link",
    SHOP,
    {
      initScript: () =>
        document.addEventListener("DOMContentLoaded", () => document.querySelector("link[rel=privacy-policy]")?.remove()),
    },
  ],
];

for (const [name, url, options] of PAGES) {
  test(`the build-time banner and the banner the widget mounts are the same: ${name}`, async () => {
    const s = await openPage(site.browser, options);
    const { first, widget } = await bothBanners(s, url);
    assert.equal(first.hosts, 1);
    assert.equal(widget.hosts, 1, "the widget took the first layer's place");
    assert.deepEqual(widget.root, first.root);
    assert.deepEqual(widget.banner, first.banner);
    assert.deepEqual(widget.box, first.box, "no layout shift when the widget takes over");
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test("the build-time banner and the widget's are the same after a material policy change (what changed)", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Accept all").click();
  const { first, widget } = await bothBanners(s, R3);
  const items = (snapshot) => JSON.stringify(snapshot.banner).match(/New (purpose|recipient): [^"]+/g);
  assert.ok(items(first)?.length >= 1, "the first layer lists what changed");
  assert.deepEqual(widget.banner, first.banner);
  assert.deepEqual(widget.box, first.box);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

for (const button of ["Reject all", "Accept all"]) {
  test(`a first visit through ${button} fetches no wasm, and the choice holds on the next page`, async () => {
    const from = site.server.requests.length;
    const s = await openPage(site.browser);
    await visit(s.page, site.server.url + SHOP);
    await widgetButton(s.page, button).click();
    assert.equal(await bannerShown(s.page), false);
    const flags = button === "Accept all" ? "a1m1p1" : "a0m0p0";
    assert.match(await consentCookie(s.context), new RegExp(`^v2\\.${flags}\\.`));
    await visit(s.page, site.server.url + SHOP);
    assert.equal(await s.page.evaluate(() => window.Assent.getConsent().status), "valid");
    assert.equal(await bannerShown(s.page), false);
    await s.page.waitForLoadState("networkidle");
    assert.deepEqual(widgetFetches(from), []);
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test("the one-click withdrawal link withdraws without the wasm", async () => {
  const from = site.server.requests.length;
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Accept all").click();
  await visit(s.page, site.server.url + SHOP);
  await s.page.evaluate(() => {
    const link = Object.assign(document.createElement("a"), { href: "#", textContent: "Withdraw my consent" });
    link.dataset.assentOpen = "reject";
    document.body.append(link);
  });
  await s.page.getByText("Withdraw my consent").click();
  await pageUntil(s.page, "the reject-all choice", () => window.Assent.getConsent().method === "reject-all");
  assert.match(await consentCookie(s.context), /^v2\.a0m0p0\.reject-all\./);
  assert.deepEqual(widgetFetches(from), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("the wasm is fetched on a hint of Customize, never on load; Customize opens the dialog, axe finds nothing", async () => {
  const s = await openPage(site.browser);
  const from = site.server.requests.length;
  await visit(s.page, site.server.url + SHOP);
  assert.deepEqual(widgetFetches(from), []);
  assert.deepEqual(await axeViolations(s.page), [], "the first layer");
  await widgetButton(s.page, "Customize").hover();
  await pageUntil(s.page, "the wasm to be fetched on the hint", () =>
    performance.getEntriesByType("resource").some((e) => e.name.endsWith("/assent_bg.wasm")),
  );
  assert.equal(await bannerShown(s.page), true, "a hint changes nothing visible");
  await widgetButton(s.page, "Customize").click();
  await waitForDialog(s.page);
  assert.deepEqual(await axeViolations(s.page), [], "the widget's dialog");
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
