// vanilla-cookieconsent 3.1.0 on the bench page (docs/bench.md), installed as
// its documentation shows: its stylesheet in <head> and this module, which
// imports the ES build and runs it. Categories: necessary (always on),
// analytics, marketing; gated scripts are `type="text/plain"
// data-category="…"` tags, which cookieconsent activates (manageScriptTags).
// The texts are Assent's English ones, so every banner says the same.
import * as CookieConsent from "/vendor/cookieconsent/cookieconsent.esm.js";

CookieConsent.run({
  // By default it shows nothing to automated browsers (navigator.webdriver),
  // and the bench's Chromium is one.
  hideFromBots: false,
  guiOptions: {
    consentModal: { layout: "bar", position: "bottom", equalWeightButtons: true },
    preferencesModal: { layout: "box", equalWeightButtons: true },
  },
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: {},
    marketing: {},
  },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "We value your privacy",
          description:
            "We use cookies and similar technologies that are strictly necessary to run this site. " +
            "With your consent we would also like to measure audience and show relevant advertising. " +
            "You can change your mind at any time from “Privacy settings”.",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Customize",
          footer: '<a href="/managers/privacy.html">Privacy policy</a>',
        },
        preferencesModal: {
          title: "Privacy preferences",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save choices",
          closeIconLabel: "Close",
          sections: [
            {
              description:
                "Choose which optional cookies and technologies you allow. Nothing optional is on until you switch it on.",
            },
            {
              title: "Strictly necessary",
              description: "Keeps the site working and remembers your choices.",
              linkedCategory: "necessary",
            },
            {
              title: "Analytics",
              description: "Counts visits to improve the site, with your consent.",
              linkedCategory: "analytics",
            },
            {
              title: "Marketing",
              description: "Shows and measures ads, with your consent.",
              linkedCategory: "marketing",
            },
          ],
        },
      },
    },
  },
});
