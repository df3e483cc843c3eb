// End-to-end: the consent UI speaks French, German, Danish and Slovak on
// pages in those languages (each but English a banner chunk of its own): the widget's own words, the site's category names from its policy
// (the fixture policy has en, fr and de texts, unlike the widget's defaults),
// and the loader's floating button and embed placeholders; the language switcher
// of the banner and of the dialog switches all of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  dialogButton,
  floatingButton,
  openPage,
  visit,
  useSiteAndBrowser,
  waitForDialog,
  widgetButton,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";

const site = useSiteAndBrowser();

const WORDS = {
  en: {
    title: "We value your privacy",
    banner: ["Reject all", "Accept all", "Customize"],
    dialog: ["Reject all", "Accept all", "Save choices"],
    close: "Close",
    categories: ["Essential", "Visitor statistics", "Targeted advertising", "Personalised content"],
    settings: "Privacy settings",
    placeholder: ["Load this once", "Always allow ClipTube"],
  },
  fr: {
    title: "Votre vie privée compte",
    banner: ["Tout refuser", "Tout accepter", "Personnaliser"],
    dialog: ["Tout refuser", "Tout accepter", "Enregistrer mes choix"],
    close: "Fermer",
    categories: ["Essentiels", "Statistiques de visite", "Publicité ciblée", "Contenus personnalisés"],
    settings: "Paramètres de confidentialité",
    placeholder: ["Charger cette fois", "Toujours autoriser ClipTube"],
  },
  de: {
    title: "Ihre Privatsphäre ist uns wichtig",
    banner: ["Alle ablehnen", "Alle akzeptieren", "Anpassen"],
    dialog: ["Alle ablehnen", "Alle akzeptieren", "Auswahl speichern"],
    close: "Schließen",
    categories: ["Unverzichtbar", "Besucherstatistik", "Gezielte Werbung", "Personalisierte Inhalte"],
    settings: "Datenschutzeinstellungen",
    placeholder: ["Einmal laden", "ClipTube immer erlauben"],
  },
  da: {
    title: "Vi værner om dit privatliv",
    banner: ["Afvis alle", "Accepter alle", "Tilpas"],
    dialog: ["Afvis alle", "Accepter alle", "Gem valg"],
    close: "Luk",
    categories: ["Nødvendige", "Besøgsstatistik", "Målrettet annoncering", "Personligt indhold"],
    settings: "Privatlivsindstillinger",
    placeholder: ["Indlæs denne gang", "Tillad altid ClipTube"],
  },
  sk: {
    title: "Záleží nám na vašom súkromí",
    banner: ["Odmietnuť všetko", "Prijať všetko", "Prispôsobiť"],
    dialog: ["Odmietnuť všetko", "Prijať všetko", "Uložiť voľbu"],
    close: "Zavrieť",
    categories: ["Nevyhnutné", "Štatistika návštev", "Cielená reklama", "Prispôsobený obsah"],
    settings: "Nastavenia súkromia",
    placeholder: ["Načítať tentoraz", "Vždy povoliť ClipTube"],
  },
};
const CATEGORY_IDS = ["necessary", "analytics", "marketing", "personalization"];

/** The widget's visible words: banner and dialog buttons, close, category names. */
function widgetWords(page) {
  return page.evaluate((ids) => {
    const root = document.querySelector("assent-widget").shadowRoot;
    const buttons = (scope) =>
      [...root.querySelectorAll(`${scope} .actions button`)].map((b) => b.textContent.trim());
    return {
      lang: root.querySelector(".assent")?.getAttribute("lang"),
      title: root.querySelector("#assent-banner-title")?.textContent.trim(),
      banner: buttons("section.banner"),
      dialog: buttons("[role=dialog]"),
      close: root.querySelector("[role=dialog] button.close")?.getAttribute("aria-label"),
      categories: ids.map((id) => root.querySelector(`label[for="assent-switch-${id}"]`)?.textContent.trim()),
    };
  }, CATEGORY_IDS);
}

for (const lang of ["fr", "de", "da", "sk"]) {
  test(`a page in ${lang} gets the banner, the dialog and the site's category names in ${lang}`, async () => {
    // Without its own settings link, so that the loader's floating button shows.
    const url = `${site.server.url}/fixtures/shop.html?html-lang=${lang}&no-settings-link`;
    const s = await openPage(site.browser);
    await visit(s.page, url);
    const w = WORDS[lang];
    // The first layer (no wasm yet) speaks it; the dialog comes with the widget.
    const banner = await widgetWords(s.page);
    assert.deepEqual([banner.lang, banner.title, banner.banner], [lang, w.title, w.banner]);
    await widgetButton(s.page, w.banner[2]).click();
    await waitForDialog(s.page);
    assert.deepEqual(await widgetWords(s.page), {
      lang,
      title: w.title,
      banner: w.banner,
      dialog: w.dialog,
      close: w.close,
      categories: w.categories,
    });
    // Reachable by those names, as a screen reader user would find them.
    for (const name of w.categories.slice(1)) {
      await s.page.locator("assent-widget").getByRole("switch", { name, exact: true }).waitFor();
    }
    await dialogButton(s.page, w.dialog[0]).click();

    // The loader's own elements speak it too.
    await floatingButton(s.page, w.settings).waitFor();
    const placeholder = s.page.locator("assent-placeholder").first();
    for (const name of w.placeholder) await placeholder.getByRole("button", { name, exact: true }).waitFor();
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test("the language switcher of the banner and of the dialog switches the language", async () => {
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + "/fixtures/shop.html");
  let words = await widgetWords(s.page);
  assert.deepEqual([words.lang, words.banner], ["en", WORDS.en.banner]);
  const switcher = s.page.locator("assent-widget #assent-lang-banner");
  assert.deepEqual(
    await switcher.locator("option").evaluateAll((os) => os.map((o) => o.value)),
    ["en", "fr", "de", "da", "sk"],
    "the policy's languages",
  );

  await switcher.selectOption("de");
  await pageUntil(s.page, "the widget in German", () =>
    document.querySelector("assent-widget").shadowRoot.querySelector(".assent")?.getAttribute("lang") === "de",
  );
  words = await widgetWords(s.page);
  assert.deepEqual([words.title, words.banner], [WORDS.de.title, WORDS.de.banner]);
  assert.equal(
    await s.page.evaluate(() => document.querySelector("assent-widget").shadowRoot.activeElement?.id),
    "assent-lang-banner",
    "focus stays on the switcher",
  );

  // The widget takes over in the language the banner shows.
  await widgetButton(s.page, WORDS.de.banner[2]).click();
  await waitForDialog(s.page);
  words = await widgetWords(s.page);
  assert.deepEqual([words.lang, words.dialog, words.categories], ["de", WORDS.de.dialog, WORDS.de.categories]);
  await s.page.locator("assent-widget #assent-lang-dialog").selectOption("fr");
  await pageUntil(s.page, "the widget in French", () =>
    document.querySelector("assent-widget").shadowRoot.querySelector(".assent")?.getAttribute("lang") === "fr",
  );
  words = await widgetWords(s.page);
  assert.deepEqual([words.dialog, words.close, words.categories], [WORDS.fr.dialog, WORDS.fr.close, WORDS.fr.categories]);
  await waitForDialog(s.page);
  assert.equal(
    await s.page.evaluate(() => document.querySelector("assent-widget").shadowRoot.activeElement?.id),
    "assent-lang-dialog",
    "focus stays on the dialog's switcher",
  );
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
