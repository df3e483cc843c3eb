// lang.js: the language the loader's chunks speak (placeholders, the floating
// button, consent records), bundled into each chunk that needs it: the eager
// loader itself shows no text, so it does not carry this. The rule is core's
// (`assent-core` `language.rs`, which the widget uses too), held to the shared
// vectors (`tests/vectors/language.json`, `tests/loader/language.test.mjs`).
import { list } from "./util.js";

// The languages the UI has words for (core `Texts::ALL`), English first.
const UI = ["en", "fr", "de", "da", "sk"];

// A tag's primary subtag in lower case (core `language::primary_subtag`):
// what comes before the first `-` or `_`, ASCII whitespace around the tag
// ignored as HTML does (" fr-CA" and "FR_fr" are "fr"); "" for anything but a
// string.
const primary = (tag) =>
  typeof tag == "string"
    ? tag
        .replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "")
        .split(/[-_]/)[0]
        .toLowerCase()
    : "";

// The languages a policy whose `languages` are `languages` (its default
// first) offers (core `language::offered`): those the UI has words for, in the
// policy's order, each once; every language of the UI when it lists none.
export const offeredLanguages = (languages) => {
  const listed = list(languages).map(primary).filter((l) => UI.includes(l));
  return listed[0] ? [...new Set(listed)] : UI;
};

// The language to speak (core `language::choose`): the first of `wishes` (the
// configuration's `lang`, `<html lang>`, then the browser's languages) that
// the policy offers, else the first it offers.
export const chooseLanguage = (wishes, languages) => {
  const offered = offeredLanguages(languages);
  return wishes.map(primary).find((l) => offered.includes(l)) || offered[0];
};

// The language of this page view under the configuration `cfg`; <html lang>
// is read when asked, so a single-page app's later switch counts.
export const language = (cfg) =>
  chooseLanguage([cfg.lang, document.documentElement.lang, ...(navigator.languages || [])], cfg.languages);
