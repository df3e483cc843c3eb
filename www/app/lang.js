// lang.js: the app's language, set on <html lang> before anything else runs
// (a classic script ahead of Assent's loader), so the consent banner, the
// "GDPR & my data" panel and the app speak it from the first paint: the
// visitor's choice (kept in localStorage by app.js), else the first of the
// browser's languages the app speaks, else English. app.js reads it back.
(() => {
  const SPOKEN = ["en", "fr"];
  let saved = null;
  try {
    saved = localStorage.getItem("p2c.lang");
  } catch {}
  const wanted = [saved, ...navigator.languages.map((tag) => tag.slice(0, 2))];
  document.documentElement.lang = wanted.find((tag) => SPOKEN.includes(tag)) || "en";
})();
