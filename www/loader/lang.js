// lang.js: the language the loader's chunks speak (placeholders, the floating
// button, consent records), bundled into each chunk that needs it: the eager
// loader itself shows no text, so it does not carry this.
//
// The first of the configuration's `lang` override, <html lang> (read when
// asked, so a single-page app's later switch counts), the browser's
// languages, the policy's default and English whose primary subtag the chunks
// have words for (English, French, German) and, when the configuration lists
// `languages`, the policy offers.
export const language = (cfg) => {
  const langs = Array.isArray(cfg.languages) ? cfg.languages : [];
  const sub = (l) => (l + "").split("-")[0].toLowerCase();
  return (
    [cfg.lang, document.documentElement.lang, ...navigator.languages, langs[0], "en"]
      .map(sub)
      .find((l) => /^(en|fr|de)$/.test(l) && (!langs[0] || langs.map(sub).includes(l))) || "en"
  );
};
