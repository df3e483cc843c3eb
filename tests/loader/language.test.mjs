// The language the loader's chunks speak (www/loader/lang.js) against every
// case of tests/vectors/language.json, which assent-core writes from
// `language::choose`, the rule the widget uses: the configuration's `lang`,
// <html lang>, the browser's languages and the policy's `languages` give the
// same language in the loader and in the widget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseLanguage, language, offeredLanguages } from "../../www/loader/lang.js";
import { loadVectors } from "./vectors.mjs";

const { cases, "ui-languages": ui } = loadVectors("language.json");

test("the vector file speaks every language of the UI", () => {
  assert.deepEqual(ui, ["en", "fr", "de", "da", "sk"]);
  for (const l of ui) assert.ok(cases.some((c) => c.language === l), l);
});

for (const c of cases) {
  test(`language: ${c.name}`, () => {
    assert.equal(chooseLanguage([c.lang, c["html-lang"], ...c.browser], c.languages), c.language);
    assert.deepEqual(offeredLanguages(c.languages), c.offered, "the languages offered");
  });
}

// `language(cfg)` reads <html lang> and the browser's languages when called.
test("language: reads the configuration, <html lang> and navigator.languages of the page", (t) => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "navigator");
  t.after(() => {
    delete globalThis.document;
    if (saved) Object.defineProperty(globalThis, "navigator", saved);
    else delete globalThis.navigator;
  });
  const page = (htmlLang, languages) => {
    globalThis.document = { documentElement: { lang: htmlLang } };
    Object.defineProperty(globalThis, "navigator", { value: { languages }, configurable: true });
  };
  page("", ["de-DE", "en"]);
  assert.equal(language({ languages: ["en", "fr", "de"] }), "de");
  assert.equal(language({ languages: ["en", "fr"] }), "en");
  assert.equal(language({ lang: "fr", languages: ["en", "fr"] }), "fr");
  page("fr", ["de"]);
  assert.equal(language({}), "fr");
  // No navigator.languages (an old browser): the page and the policy decide.
  page("", undefined);
  assert.equal(language({ languages: ["de", "en"] }), "de");
  // A non-string configuration value is no wish.
  page("", []);
  assert.equal(language({ lang: ["fr"], languages: ["de", "fr", 7] }), "de");
});
