// app.js: Pix2Clip's signed-in app, a single-page app in plain JavaScript
// that embeds Assent's "GDPR & my data" panel in its Settings.
//
// Routes are paths under the app's directory (/app/library, /app/create,
// /app/voice, /app/settings, /app/settings/privacy, /app/sign-in), changed
// with the History API: links are intercepted, nothing reloads. A server that
// rewrites /app/<route> to /app/index.html serves deep links as they are; one
// that does not (trunk's dev server serves the site's root page for unknown
// paths) is given the hash form instead, /app/#/settings/privacy, which the
// app turns into the path form on load.
//
// The backend is the reference server's app (`/api/app/v1`, same origin):
// cookie session, with the `p2c_csrf` cookie's value in `X-CSRF-Token` on
// every write. In read-only mode (GDPR Art 18) writes answer 423; voice
// synthesis answers 403 without the explicit voice-cloning consent (Art 9).
//
// For tests, `window.p2cApp` has `ready` (a promise: the first route is on
// screen) and `navigate(route)`.

import { TEXTS } from "./texts.js";

const BASE = new URL(".", import.meta.url).pathname;
const APP_API = "/api/app/v1";
const RIGHTS_API = "/api/rights/v1";
const CSRF_COOKIE = "p2c_csrf";
const DEMO_EMAIL = "demo@pix2clip.example";
const LANGUAGES = ["en", "fr"];

const main = document.getElementById("main");
const announcer = document.getElementById("announcer");
const bannerArea = document.getElementById("account-banners");

// --- Language: lang.js chose it before the loader ran (the visitor's choice,
// kept in localStorage, else the browser's) and set it on <html lang>.

let lang = LANGUAGES.includes(document.documentElement.lang) ? document.documentElement.lang : "en";

// The text `key` in the current language, `{name}` placeholders filled.
function t(key, values = {}) {
  const text = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

function setLanguage(next) {
  lang = next;
  try {
    localStorage.setItem("p2c.lang", next);
  } catch {}
  document.documentElement.lang = next;
  // The panel follows: a change of its `lang` attribute mounts it again in
  // the new language.
  for (const panel of document.querySelectorAll("assent-my-data")) panel.setAttribute("lang", next);
  // Static texts change in place (a half-typed prompt stays); the banners
  // are fetched again in the new language.
  translate();
  refreshAccountBanners();
}

// Static texts carry their key: `data-text` (content), `data-text-label`
// (aria-label).
function translate(root = document) {
  if (shownTitle) document.title = t(shownTitle) + " · Pix2Clip";
  for (const node of root.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  for (const node of root.querySelectorAll("[data-text-label]")) node.setAttribute("aria-label", t(node.dataset.textLabel));
}

// --- DOM: elements built node by node (file names and prompts are text,
// never markup).

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.dataset.text = value, (element.textContent = t(value));
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child != null));
  return element;
}

// A link to an app route.
const routeLink = (route, key) => h("a", { href: BASE + route, text: key });

function announce(message) {
  announcer.textContent = "";
  // A new text node a moment later, so the same message is read again.
  setTimeout(() => (announcer.textContent = message), 50);
}

// --- The session: the server's HttpOnly `p2c_session` cookie, and the
// readable `p2c_csrf` one, which says a session exists.

function readCookie(name) {
  for (const pair of document.cookie.split(/; */)) {
    const equals = pair.indexOf("=");
    if (pair.slice(0, equals) === name) return pair.slice(equals + 1);
  }
  return "";
}

const signedIn = () => readCookie(CSRF_COOKIE) !== "";

function forgetSession() {
  document.cookie = CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Lax";
  sessionStorage.removeItem("p2c.email");
  bannerArea.replaceChildren();
}

// --- The backend. A refused call becomes an `ApiError` with the server's
// `{error, message}`; an ended session sends the visitor to sign in.

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || "HTTP " + status);
    this.status = status;
    this.code = code;
  }
}

async function call(method, url, { body, signal, endsSession = true } = {}) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = readCookie(CSRF_COOKIE);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "network", t("networkError"));
  }
  if (response.ok) return response;
  const problem = await response.json().catch(() => ({}));
  const refused = new ApiError(response.status, problem.error, problem.message);
  if (endsSession && (response.status === 401 || response.status === 410)) sessionEnded(refused);
  throw refused;
}

function sessionEnded(refused) {
  forgetSession();
  const reason = refused.status === 410 ? t("accountErased") : t("sessionEnded");
  sessionStorage.setItem("p2c.signInNotice", reason);
  navigate("sign-in", { replace: true });
}

// What a refused write means for the visitor, with the way out when there
// is one (the privacy settings, for read-only mode and the voice consent).
function explainRefusal(error) {
  if (error.code === "account_restricted")
    return [h("strong", { text: "readOnlyTitle" }), " ", t("readOnlyBody"), " ", routeLink("settings/privacy", "readOnlyLink")];
  if (error.code === "consent_required")
    return [h("strong", { text: "voiceConsentTitle" }), " ", t("voiceConsentBody"), " ", routeLink("settings/privacy", "voiceConsentLink")];
  if (error.code === "csrf_failed") return [t("csrfFailed")];
  return [t("failed", { message: error.message })];
}

// --- Account banners: read-only mode and a scheduled deletion, from the
// rights API's account state; fetched at sign-in and on load, and again when
// the panel says the restriction or the deletion changed.

async function refreshAccountBanners() {
  if (!signedIn()) return bannerArea.replaceChildren();
  let account;
  try {
    account = await (await call("GET", RIGHTS_API + "/account?lang=" + lang)).json();
  } catch {
    return; // Banners are information; the pages still say what a refusal means.
  }
  const banners = [];
  if (account.state === "restricted")
    banners.push(banner("readOnlyBanner", t("readOnlyBannerBody"), "settings/privacy", "manageInPrivacy"));
  const deletionAt = account.erasure?.erasure_at;
  if (deletionAt)
    banners.push(
      banner("deletionBanner", t("deletionBannerBody", { date: formatDate(deletionAt) }), "settings/privacy", "cancelInPrivacy"),
    );
  bannerArea.replaceChildren(...banners);
}

function banner(titleKey, body, route, linkKey) {
  return h("section", { class: "banner", "aria-label": t(titleKey) }, h("strong", { text: titleKey }), " ", body, " ", routeLink(route, linkKey));
}

const formatDate = (iso) => new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date(iso));

function formatSize(bytes) {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let unit = 0;
  while (bytes >= 1000 && unit < units.length - 1) (bytes /= 1000), unit++;
  return new Intl.NumberFormat(lang, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: 1 }).format(bytes);
}

// The panel says its restriction or deletion changed: the banners follow.
document.addEventListener("assent:restriction", () => {
  refreshAccountBanners().then(() => announce(bannerArea.textContent || t("readOnlyOff")));
});
document.addEventListener("assent:deletion", () => {
  refreshAccountBanners().then(() => announce(bannerArea.textContent || t("deletionCancelled")));
});

// --- Pages. Each returns its content; `signal` aborts when the visitor
// leaves the route (pending calls, object URLs).

function page(titleKey, ...content) {
  return [h("h1", { text: titleKey, tabindex: "-1" }), ...content];
}

function signInPage({ signal }) {
  const notice = sessionStorage.getItem("p2c.signInNotice");
  sessionStorage.removeItem("p2c.signInNotice");
  const email = h("input", { id: "email", type: "email", name: "email", autocomplete: "email", required: true, value: DEMO_EMAIL });
  const status = h("p", { class: "result", role: "status" });
  const submit = h("button", { type: "submit", text: "signIn" });
  const form = h(
    "form",
    { class: "card narrow", onsubmit: signIn },
    h("p", { class: "hint", text: "signInHint" }),
    h("div", { class: "field" }, h("label", { for: "email", text: "email" }), email),
    submit,
    status,
  );

  async function signIn(event) {
    event.preventDefault();
    submit.disabled = true;
    status.replaceChildren(t("signingIn"));
    try {
      const answer = await (await call("POST", APP_API + "/session", { body: { email: email.value.trim() }, signal, endsSession: false })).json();
      sessionStorage.setItem("p2c.email", email.value.trim());
      refreshAccountBanners();
      const next = new URLSearchParams(location.search).get("next");
      navigate(next && next in ROUTES ? next : "library", { replace: true });
      announce(t("signedIn", { account: answer.account }));
    } catch (error) {
      if (error.name === "AbortError") return;
      status.className = "result error";
      status.replaceChildren(error.status === 401 ? error.message : t("failed", { message: error.message }));
      submit.disabled = false;
    }
  }

  return page("signInTitle", notice && h("p", { class: "notice" }, notice), form);
}

function libraryPage({ signal }) {
  const list = h("div", { class: "card" }, h("p", { text: "loadingFiles" }));
  loadFiles();

  async function loadFiles() {
    try {
      const { files } = await (await call("GET", APP_API + "/files", { signal })).json();
      list.replaceChildren(files.length ? fileTable(files) : h("p", { text: "noFiles" }), routeLinkParagraph());
    } catch (error) {
      if (error.name === "AbortError") return;
      list.replaceChildren(
        h("p", { class: "error", role: "alert" }, t("failed", { message: error.message })),
        h("button", { type: "button", text: "retry", onclick: loadFiles }),
      );
    }
  }

  return page("library", h("p", { class: "lead", text: "libraryLead" }), list);
}

const routeLinkParagraph = () => h("p", {}, routeLink("create", "createMore"));

function fileTable(files) {
  const header = h("tr", {}, ...["fileName", "fileCategory", "fileType", "fileSize"].map((key) => h("th", { scope: "col", text: key })));
  const rows = files.map((file) =>
    h(
      "tr",
      {},
      h("td", {}, file.name),
      h("td", {}, TEXTS[lang]["category_" + file.category] ?? file.category),
      h("td", {}, file.media_type),
      h("td", { class: "number" }, formatSize(file.size)),
    ),
  );
  return h("table", {}, h("caption", { text: "yourFiles" }), h("thead", {}, header), h("tbody", {}, rows));
}

// A form that writes: disabled while its call is under way (no double
// submission), its outcome in its own status line.
function writeForm({ titleKey, fields, submitKey, send, done, signal }) {
  const status = h("div", { class: "result", role: "status" });
  const submit = h("button", { type: "submit", text: submitKey });
  const id = titleKey + "-title";
  const form = h("form", { class: "card", "aria-labelledby": id, onsubmit: run }, h("h2", { id, text: titleKey }), ...fields, submit, status);

  async function run(event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    status.className = "result";
    status.replaceChildren(t("working"));
    try {
      const response = await send();
      status.replaceChildren(...(await done(response)));
    } catch (error) {
      if (error.name === "AbortError") return;
      status.className = "result error";
      status.replaceChildren(...explainRefusal(error));
    } finally {
      submit.disabled = false;
    }
  }
  signal.addEventListener("abort", () => status.replaceChildren());
  return form;
}

function field(id, labelKey, control, hintKey) {
  control.id = id;
  const hint = hintKey && h("p", { class: "hint", id: id + "-hint", text: hintKey });
  if (hint) control.setAttribute("aria-describedby", hint.id);
  return h("div", { class: "field" }, h("label", { for: id, text: labelKey }), control, hint);
}

function createPage({ signal }) {
  const imagePrompt = h("textarea", { name: "prompt", rows: "3", required: true, maxlength: "500" });
  const videoPrompt = h("textarea", { name: "prompt", rows: "3", required: true, maxlength: "500" });
  const frames = h("input", { type: "number", name: "frames", min: "1", max: "600", value: "24", required: true });
  const created = async (response) => {
    const { name } = await response.json();
    return [t("created", { name }), " ", routeLink("library", "seeLibrary")];
  };
  return page(
    "create",
    h("p", { class: "lead", text: "createLead" }),
    writeForm({
      titleKey: "imageTitle",
      fields: [field("image-prompt", "prompt", imagePrompt, "imageHint")],
      submitKey: "generateImage",
      send: () => call("POST", APP_API + "/images", { body: { prompt: imagePrompt.value }, signal }),
      done: created,
      signal,
    }),
    writeForm({
      titleKey: "videoTitle",
      fields: [field("video-prompt", "prompt", videoPrompt), field("video-frames", "frames", frames, "framesHint")],
      submitKey: "generateVideo",
      send: () =>
        call("POST", APP_API + "/videos", { body: { prompt: videoPrompt.value, frames: Number(frames.value) }, signal }),
      done: created,
      signal,
    }),
  );
}

function voicePage({ signal }) {
  const text = h("textarea", { name: "text", rows: "3", required: true, maxlength: "1000" });
  let audioUrl = null;
  const forgetAudio = () => audioUrl && URL.revokeObjectURL(audioUrl);
  signal.addEventListener("abort", forgetAudio);
  return page(
    "voice",
    h("p", { class: "lead", text: "voiceLead" }),
    writeForm({
      titleKey: "voiceTitle",
      fields: [field("voice-text", "textToSay", text)],
      submitKey: "synthesize",
      send: () => call("POST", APP_API + "/voice/synthesize", { body: { text: text.value }, signal }),
      async done(response) {
        forgetAudio();
        audioUrl = URL.createObjectURL(await response.blob());
        return [
          h("p", { text: "speechReady" }),
          h("audio", { controls: true, src: audioUrl, "aria-label": t("speechAudio") }),
          h("p", {}, h("a", { href: audioUrl, download: "pix2clip-speech.wav", text: "downloadSpeech" })),
        ];
      },
      signal,
    }),
  );
}

// Settings: a sub-navigation, then the section.
function settingsLayout(current, titleKey, ...content) {
  const item = (route, key) =>
    h("li", {}, h("a", { href: BASE + route, text: key, "aria-current": route === current ? "page" : null }));
  return [
    h(
      "div",
      { class: "settings" },
      h("nav", { class: "settings-nav", "aria-label": t("settings"), "data-text-label": "settings" }, h("ul", {}, item("settings", "account"), item("settings/privacy", "privacy"))),
      h("div", { class: "settings-body" }, ...page(titleKey, ...content)),
    ),
  ];
}

function settingsPage() {
  const email = sessionStorage.getItem("p2c.email") || t("unknownEmail");
  return settingsLayout(
    "settings",
    "account",
    h(
      "section",
      { class: "card" },
      h("p", {}, t("signedInAs"), " ", h("strong", {}, email)),
      h("button", { type: "button", class: "secondary", text: "signOut", onclick: signOut }),
    ),
  );
}

// Settings > GDPR & my data: the Assent panel. The loader sees the element
// arrive and mounts the panel into it; leaving the route removes it, which
// unmounts the panel. Its light-DOM content shows until the panel is there.
function privacyPage() {
  const panel = h(
    "assent-my-data",
    { api: RIGHTS_API, "csrf-cookie": CSRF_COOKIE, lang },
    h("p", { class: "panel-fallback", text: "panelLoading" }),
  );
  return settingsLayout("settings/privacy", "privacy", h("p", { class: "lead", text: "privacyLead" }), panel);
}

function notFoundPage() {
  return page("notFound", h("p", {}, routeLink("library", "backToLibrary")));
}

async function signOut() {
  try {
    await call("DELETE", APP_API + "/session");
  } catch {}
  forgetSession();
  navigate("sign-in");
  announce(t("signedOut"));
}

// --- The router.

const ROUTES = {
  "sign-in": { render: signInPage, title: "signInTitle", public: true },
  library: { render: libraryPage, title: "library", nav: "library" },
  create: { render: createPage, title: "create", nav: "create" },
  voice: { render: voicePage, title: "voice", nav: "voice" },
  settings: { render: settingsPage, title: "settings", nav: "settings" },
  "settings/privacy": { render: privacyPage, title: "privacy", nav: "settings" },
};

// The route of the address: the path below the app's directory; the hash
// form (/app/#/voice) becomes the path form.
function currentRoute() {
  if (location.hash.startsWith("#/")) history.replaceState(null, "", BASE + location.hash.slice(2));
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "";
  return path.replace(/^index\.html$/, "").replace(/\/+$/, "");
}

function navigate(route, { replace = false } = {}) {
  history[replace ? "replaceState" : "pushState"](null, "", BASE + route);
  render();
}

let leaving = new AbortController();
let shownTitle = null;

function render({ keepFocus = false } = {}) {
  const route = currentRoute();
  if (route === "" || (route === "sign-in" && signedIn())) return navigate(signedIn() ? "library" : "sign-in", { replace: true });
  const known = ROUTES[route];
  if (known && !known.public && !signedIn()) return navigate("sign-in?next=" + encodeURIComponent(route), { replace: true });
  const view = known || { render: notFoundPage, title: "notFound" };

  leaving.abort();
  leaving = new AbortController();
  main.replaceChildren(...view.render({ signal: leaving.signal }));
  shownTitle = view.title;
  document.title = t(view.title) + " · Pix2Clip";
  document.querySelector(".app-nav").hidden = !signedIn();
  document.getElementById("sign-out").hidden = !signedIn();
  for (const link of document.querySelectorAll(".app-nav a")) {
    if (link.getAttribute("href") === BASE + view.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  // The new page's heading takes the focus, so a screen reader announces it
  // and the keyboard starts from there.
  if (!keepFocus) main.querySelector("h1")?.focus();
}

// Links to app routes navigate in place; any other link (another page, a new
// tab, a download, the cookie settings link the loader handles) is left alone.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[href]");
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target || link.hasAttribute("download") || link.hasAttribute("data-assent-open")) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  if (url.pathname === location.pathname && url.hash) return; // in-page link (skip link)
  event.preventDefault();
  navigate(url.pathname.slice(BASE.length) + url.search);
});
addEventListener("popstate", () => render());

const languageSelect = document.getElementById("language");
languageSelect.addEventListener("change", () => setLanguage(languageSelect.value));
document.getElementById("sign-out").addEventListener("click", signOut);

// --- Start.

document.documentElement.lang = lang;
languageSelect.value = lang;
translate();
render({ keepFocus: true });
refreshAccountBanners();

window.p2cApp = {
  ready: Promise.resolve(),
  navigate: (route) => navigate(route.replace(/^\/+/, "")),
};
