// End-to-end: accessibility and equal weight of the consent UI (WCAG 2.2 AA,
// EDPB Cookie Banner Taskforce practices A-E), in headless Chromium: the
// widget's banner and dialog, and the loader's own elements (the placeholder of a
// blocked embed, the floating settings button), in light and dark.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  axeViolations,
  bannerShown,
  dialogShown,
  floatingButton,
  focusInDialog,
  focusedText,
  openPage,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();
// The fixture shop page without its own settings link: the loader then shows
// its floating settings button (docs/loader.md, "Settings").
const SHOP = "/fixtures/shop.html?no-settings-link";

async function fresh(options) {
  const session = await openPage(site.browser, options);
  await visit(session.page, site.server.url + "/");
  return session;
}

for (const colorScheme of ["light", "dark"]) {
  test(`axe-core finds no violations with the banner open (${colorScheme})`, async () => {
    const s = await fresh({ colorScheme });
    assert.equal(await bannerShown(s.page), true);
    assert.deepEqual(await axeViolations(s.page), []);
    await s.context.close();
  });

  test(`axe-core finds no violations with the preferences open (${colorScheme})`, async () => {
    const s = await fresh({ colorScheme });
    await widgetButton(s.page, "Customize").click();
    assert.equal(await dialogShown(s.page), true);
    assert.deepEqual(await axeViolations(s.page), []);
    await s.context.close();
  });

  test(`axe-core finds no violations with embed placeholders and the floating button (${colorScheme})`, async () => {
    const s = await openPage(site.browser, { colorScheme });
    await visit(s.page, site.server.url + SHOP);
    await widgetButton(s.page, "Reject all").click();
    await floatingButton(s.page).waitFor();
    const placeholders = await s.page.evaluate(() =>
      [...document.querySelectorAll("assent-placeholder")].map((p) => p.shadowRoot.querySelector("div").checkVisibility()),
    );
    assert.deepEqual(placeholders, [true, true], "both blocked embeds show a placeholder");
    assert.equal(await floatingButton(s.page).isVisible(), true);
    assert.equal(await bannerShown(s.page), false);
    assert.deepEqual(await axeViolations(s.page), []);
    // On a return visit, the same without the widget loaded at all.
    await visit(s.page, site.server.url + SHOP);
    assert.equal(await s.page.locator("assent-widget").count(), 0, "no widget on a return visit");
    await floatingButton(s.page).waitFor();
    assert.equal(await s.page.locator("assent-placeholder").count(), 2);
    assert.deepEqual(await axeViolations(s.page), []);
    await s.context.close();
  });

  test(`axe-core finds no violations with the preferences opened from the floating button (${colorScheme})`, async () => {
    const s = await openPage(site.browser, { colorScheme });
    await visit(s.page, site.server.url + SHOP);
    await widgetButton(s.page, "Accept all").click();
    await visit(s.page, site.server.url + SHOP);
    await floatingButton(s.page).click();
    await waitForDialog(s.page);
    assert.deepEqual(await axeViolations(s.page), []);
    await s.context.close();
  });
}

// The Danish and Slovak UIs (the newest, with the longest words): the banner
// of the first layer, then the widget's preferences, with the site's
// category names in that language, have no axe violation either.
for (const [lang, customize] of [
  ["da", "Tilpas"],
  ["sk", "Prispôsobiť"],
]) {
  test(`axe-core finds no violations with the banner and the preferences in ${lang}`, async () => {
    const s = await openPage(site.browser);
    await visit(s.page, `${site.server.url}${SHOP}&html-lang=${lang}`);
    assert.equal(await bannerShown(s.page), true);
    const shown = await s.page.evaluate(() => document.querySelector("assent-widget").shadowRoot.querySelector(".assent")?.getAttribute("lang"));
    assert.equal(shown, lang);
    assert.deepEqual(await axeViolations(s.page), []);
    await widgetButton(s.page, customize).click();
    await waitForDialog(s.page);
    assert.deepEqual(await axeViolations(s.page), []);
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test("Reject all is reached in at most 3 Tab presses from page load", async () => {
  const s = await fresh();
  const seen = [];
  for (let i = 1; i <= 3; i++) {
    await s.page.keyboard.press("Tab");
    seen.push(await focusedText(s.page));
    if (seen.at(-1) === "Reject all") break;
  }
  assert.equal(seen.at(-1), "Reject all", `focus went through ${JSON.stringify(seen)}`);
  await s.page.keyboard.press("Enter");
  assert.equal(await bannerShown(s.page), false, "Enter on Reject all decides");
  await s.context.close();
});

test("the dialog traps focus, Escape closes it and focus returns to the opener", async () => {
  const s = await fresh();
  await widgetButton(s.page, "Customize").focus();
  await s.page.keyboard.press("Enter");
  assert.equal(await dialogShown(s.page), true);
  await pageUntil(s.page, "focus inside the preferences dialog", () => {
    const root = document.querySelector("assent-widget").shadowRoot;
    return root.querySelector("[role=dialog]").contains(root.activeElement);
  });
  // Enough presses to go round: every switch, and the cookie details of each
  // service that lists cookies, are stops of their own.
  const presses = 30;
  const visited = new Set();
  for (let i = 0; i < presses; i++) {
    await s.page.keyboard.press("Tab");
    assert.equal(await focusInDialog(s.page), true, `Tab #${i + 1} stays in the dialog`);
    visited.add(await focusedText(s.page));
  }
  for (const name of ["Close", "Reject all", "Accept all", "Save choices"]) {
    assert.ok(visited.has(name), `Tab reaches ${name}: ${[...visited]}`);
  }
  for (let i = 0; i < presses; i++) {
    await s.page.keyboard.press("Shift+Tab");
    assert.equal(await focusInDialog(s.page), true, `Shift+Tab #${i + 1} stays in the dialog`);
  }
  await s.page.keyboard.press("Escape");
  assert.equal(await dialogShown(s.page), false);
  assert.equal(await bannerShown(s.page), true, "no decision yet: the banner stays");
  assert.equal(await focusedText(s.page), "Customize");
  await s.context.close();
});

test("the floating button opens the preferences from the keyboard and gets focus back", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Reject all").click();
  await visit(s.page, site.server.url + SHOP);
  await floatingButton(s.page).focus();
  assert.equal(await focusedText(s.page), "Privacy settings");
  await s.page.keyboard.press("Enter");
  await waitForDialog(s.page);
  await pageUntil(s.page, "focus inside the preferences dialog", () => {
    const root = document.querySelector("assent-widget").shadowRoot;
    return root.querySelector("[role=dialog]").contains(root.activeElement);
  });
  await s.page.keyboard.press("Escape");
  assert.equal(await dialogShown(s.page), false);
  assert.equal(await focusedText(s.page), "Privacy settings", "focus is back on the floating button");
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a blocked embed's placeholder is operable from the keyboard", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Reject all").click();
  const once = s.page.locator("assent-placeholder").first().getByRole("button", { name: "Load this once", exact: true });
  await once.focus();
  await s.page.keyboard.press("Enter");
  await pageUntil(s.page, "the video embed to load", () => window.assentPreview.runs["video-embed"]?.count === 1);
  assert.equal(await s.page.locator("assent-placeholder").count(), 1, "its placeholder is gone");
  assert.equal(
    await s.page.evaluate(() => document.activeElement?.getAttribute("title")),
    "Product video",
    "focus moves to the loaded embed",
  );
  await s.context.close();
});

/** Relative luminance contrast of two computed `rgb(...)` colours (WCAG 2.x). */
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function buttonStyle(page, name, scope) {
  return page.evaluate(
    ([name, scope]) => {
      const root = document.querySelector("assent-widget").shadowRoot.querySelector(scope);
      const b = [...root.querySelectorAll("button")].find((x) => x.textContent.trim() === name);
      const cs = getComputedStyle(b);
      const r = b.getBoundingClientRect();
      return {
        width: Math.round(r.width * 10) / 10,
        height: Math.round(r.height * 10) / 10,
        fontWeight: cs.fontWeight,
        fontSize: cs.fontSize,
        fontFamily: cs.fontFamily,
        color: cs.color,
        background: cs.backgroundColor,
        border: cs.borderTopColor + " " + cs.borderTopWidth,
      };
    },
    [name, scope],
  );
}

for (const [scope, open] of [
  ["section.banner", false],
  ["[role=dialog]", true],
]) {
  test(`Accept all and Reject all have equal weight in ${scope}`, async () => {
    for (const colorScheme of ["light", "dark"]) {
      const s = await fresh({ colorScheme });
      if (open) await widgetButton(s.page, "Customize").click(), await waitForDialog(s.page);
      const accept = await buttonStyle(s.page, "Accept all", scope);
      const reject = await buttonStyle(s.page, "Reject all", scope);
      assert.deepEqual(reject, accept, `${colorScheme}: same size, weight and colours`);
      const ratio = contrast(accept.color, accept.background);
      assert.ok(ratio >= 4.5, `${colorScheme}: text contrast ${ratio.toFixed(2)} >= 4.5`);
      assert.ok(accept.width > 0 && accept.height >= 44, "a visible, 44px-high target");
      await s.context.close();
    }
  });
}

test("host page CSS cannot restyle the widget", async () => {
  const s = await fresh();
  const clean = await buttonStyle(s.page, "Reject all", "section.banner");
  await s.page.addStyleTag({
    content: `* { color: red !important; background: yellow !important; font: 30px monospace !important;
               letter-spacing: 9px !important; }
              button { display: none !important; } section { display: none !important; }`,
  });
  const hostile = await buttonStyle(s.page, "Reject all", "section.banner");
  assert.deepEqual(hostile, clean);
  assert.equal(await bannerShown(s.page), true);
  // The site's own stylesheet does restyle its own buttons.
  const hostButton = await s.page.evaluate(() => {
    const b = document.createElement("button");
    document.body.append(b);
    return getComputedStyle(b).fontFamily;
  });
  assert.match(hostButton, /monospace/);
  await s.context.close();
});

test("host page CSS cannot hide or restyle the floating button and placeholders", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + SHOP);
  await widgetButton(s.page, "Reject all").click();
  await floatingButton(s.page).waitFor();
  const look = () =>
    s.page.evaluate(() =>
      ["assent-reopen", "assent-placeholder"].map((tag) => {
        const b = document.querySelector(tag).shadowRoot.querySelector("button");
        const cs = getComputedStyle(b);
        const r = b.getBoundingClientRect();
        return { tag, visible: b.checkVisibility(), w: r.width, h: r.height, bg: cs.backgroundColor, font: cs.fontFamily };
      }),
    );
  const clean = await look();
  await s.page.addStyleTag({
    content: `* { color: red !important; background: yellow !important; font: 30px monospace !important; }
              assent-reopen, assent-placeholder, button { display: none !important; }`,
  });
  assert.deepEqual(await look(), clean);
  assert.ok(clean.every((x) => x.visible && x.w > 0), JSON.stringify(clean));
  await s.context.close();
});
