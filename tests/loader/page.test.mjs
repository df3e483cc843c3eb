// The loader (www/loader/, as `cargo xtask loader` built it into the site:
// the eager `assent-loader.js` and its chunks `assent-decide.js`,
// `assent-embeds.js` and `assent-reopen.js`) in real Chromium: Consent Mode,
// the stored choice, gating, placeholders, the floating button and
// `[data-assent-open]`, the widget bridge, cleanup on withdrawal, GPC, the JS
// API, which chunk loads when, and robustness. The wasm widget is replaced by a
// FAKE `assent.js` module that records calls (`window.__widget`) and decides on
// request (`window.__decide`): this is a unit test of the loader; the real
// widget is covered by tests/e2e/.
//
// Pages are generated per test and served from memory on 127.0.0.1 (random
// port). Chromium maps *.assent.test to 127.0.0.1, so pages run on
// www.assent.test and parent-domain cookies (Domain=assent.test) are real.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bannerChunks, builtFiles, launchBrowser, listen, pageUntil, until } from "../support/harness.mjs";

const DAY = 864e5;
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

// The fake widget: the loader's side of the contract (default init, boot(bridge),
// show(what, service)), recording every call.
const FAKE_WIDGET = `
const w = (window.__widget ||= { init: 0, boots: 0, shows: [] });
export default async function init() { w.init++; }
export function boot(bridge) { w.boots++; window.__bridge = bridge; }
export function show(what, service) { w.shows.push([what, service ?? null]); }
// Decides as the widget does: writes both stores (unless storage is blocked),
// then calls the bridge.
window.__decide = (s, store = true) => {
  if (store) {
    document.cookie = "assent_consent=" + s + "; Path=/; Max-Age=15552000; SameSite=Lax";
    localStorage.setItem("assent.consent", s);
  }
  window.__bridge.decided(s);
};
`;

// The site's configuration (every field the loader reads).
const CONFIG = {
  policy: "test",
  revision: 1,
  "consent-revision": 1,
  "lifetime-days": 182,
  languages: ["en", "fr", "de"],
  categories: [
    { id: "necessary", name: { en: "Strictly necessary" } },
    {
      id: "analytics",
      name: { en: "Audience measurement", fr: "Mesure d'audience" },
      services: [
        {
          id: "audience",
          provider: "Pix2Clip",
          cookies: [
            { name: "_p2c_audience", storage: "cookie", domain: null, path: null },
            { name: "_ga_*", storage: "cookie" },
            { name: "p2c.recommendations", storage: "local-storage" },
          ],
        },
      ],
    },
    {
      id: "marketing",
      name: { en: "Advertising", fr: "Publicité" },
      services: [
        {
          id: "youtube",
          provider: "YouTube",
          cookies: [{ name: "VISITOR_INFO1_LIVE", storage: "cookie", domain: "assent.test" }],
        },
        { id: "ads", provider: "AdNet", cookies: [{ name: "ad_*", storage: "session-storage" }] },
      ],
    },
    { id: "personalization", name: { en: "Personalisation" }, services: [] },
  ],
};

// A stored value: `v2.<flags>.<method>.<at>.<revision>.<gpc>.<services>`.
const v2 = (flags, { method = "preferences", at = Date.now() - 60_000, rev = 1, gpc = 0, services = "" } = {}) =>
  `v2.${flags}.${method}.${at}.${rev}.${gpc}.${services}`;

// --- Server: the bundled loader, the fake widget, test pages, external scripts.
let server;
let origin;
let browser;
// The built files by name: assent-loader.js and its chunks.
const built = {};
const pages = new Map();
const requests = [];
let pageCount = 0;

before(async () => {
  Object.assign(built, await builtFiles(["assent-loader.js", "assent-decide.js", "assent-embeds.js", "assent-reopen.js", ...bannerChunks()]));
  server = await listen(async (req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push(url.pathname);
    const js = (body) => res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" }).end(body);
    // The loader and its chunks at /, and under /<dir>/ (`loaderAt`): /no-decide/,
    // /no-embeds/ and /no-reopen/ lack that chunk (404), /slow-embeds/ serves it late.
    const file = /^\/(?:(no-decide|no-embeds|no-reopen|slow-embeds)\/)?(assent-(loader|decide|embeds|reopen)\.js)$/.exec(url.pathname);
    if (file && file[1] != "no-" + file[3]) {
      if (file[1] == "slow-embeds" && file[2] == "assent-embeds.js") await new Promise((ok) => setTimeout(ok, 600));
      return js(built[file[2]]);
    }
    if (/^\/(?:[\w-]+\/)?assent\.js$/.test(url.pathname) || url.pathname === "/widget/fake.js") return js(FAKE_WIDGET);
    // /ext/<name>.js?delay=ms: an external tag that records that it ran.
    const ext = /^\/ext\/([\w-]+)\.(\w+)$/.exec(url.pathname);
    if (ext) {
      await new Promise((ok) => setTimeout(ok, Number(url.searchParams.get("delay") ?? 0)));
      if (ext[2] == "js") return js(`(window.runs ||= []).push(${JSON.stringify(ext[1])});`);
      // Any other embedded resource: a 1x1 PNG or an empty page.
      if (ext[2] == "png") return res.writeHead(200, { "content-type": "image/png" }).end(PNG);
      return res.writeHead(200, { "content-type": "text/html" }).end("<p>embedded</p>");
    }
    const page = pages.get(url.pathname);
    if (page) return res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...page.headers }).end(page.html);
    res.writeHead(404).end();
  });
  origin = `http://www.assent.test:${server.port}`;
  browser = await launchBrowser({ hosts: ["*.assent.test"] });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Registers a page: `config` (object, string for a broken one, null for none),
 * `head` (after the loader), `body`, `before` (before the loader), `lang`,
 * `loader` (extra attributes of the loader tag), `loaderAt` (the directory the
 * loader is served from, "" for /), `headers`. Returns its URL.
 */
function addPage({ config = CONFIG, head = "", body = "", before = "", lang = "en", loader = "", loaderAt = "", headers = {} } = {}) {
  const path = `/page-${++pageCount}.html`;
  const json = config === null ? "" : typeof config === "string" ? config : JSON.stringify(config);
  const configTag = config === null ? "" : `<script type="application/json" id="assent-config">${json}</script>`;
  pages.set(path, {
    headers,
    html: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
${before}${configTag}
<script src="${loaderAt}/assent-loader.js"${loader}></script>
${head}</head><body>${body}</body></html>`,
  });
  return origin + path;
}

/**
 * A fresh context (cookies: `stored` as the consent cookie, plus `cookies`),
 * its page, and the page's errors and `[assent]` warnings.
 */
async function open({ stored, cookies = [], init, ...options } = {}) {
  const context = await browser.newContext(options);
  const all = [...cookies];
  if (stored) all.push({ name: "assent_consent", value: stored });
  if (all.length) await context.addCookies(all.map((c) => ({ domain: "www.assent.test", path: "/", ...c })));
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
    if (m.text().startsWith("[assent] ")) warnings.push(m.text());
  });
  return { context, page, errors, warnings };
}

// Loads `url`, lets activated external scripts load and run.
async function visit(page, url) {
  const start = requests.length;
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  return () => requests.slice(start);
}

// Opens the preferences, as a visitor with a stored choice does, so the
// (fake) widget is loaded and `window.__decide` exists.
async function openWidget(page) {
  await page.evaluate(() => Assent.showPreferences());
  await pageUntil(page, "the widget to boot (window.__decide)", () => window.__decide);
}
// Waits until the first layer (the build-time banner, no widget) shows.
const firstLayerShown = (page) =>
  pageUntil(page, "the first layer's banner", () =>
    document.querySelector("assent-widget")?.shadowRoot?.querySelector("section.banner")?.checkVisibility(),
  );
// A button of the first layer's banner.
const bannerButton = (page, name) => page.locator("assent-widget").getByRole("button", { name, exact: true });
const runs = (page) => page.evaluate(() => window.runs ?? []);
const shows = (page) => page.evaluate(() => window.__widget?.shows ?? []);
const waitShows = (page, n = 1) =>
  pageUntil(page, `the widget to show ${n} time(s)`, (n) => (window.__widget?.shows.length ?? 0) >= n, n);
const cookieNames = async (context) => (await context.cookies()).map((c) => `${c.name}@${c.domain}`).sort();
// Google Consent Mode commands pushed so far: [command, mode, state] (Arguments objects only).
const consentCommands = (page) =>
  page.evaluate(() =>
    (window.dataLayer ?? []).map((e) =>
      Object.prototype.toString.call(e) === "[object Arguments]" ? [...e] : ["not Arguments", e],
    ),
  );
// A gated inline script that records `name`.
const gated = (category, name, attrs = "") =>
  `<script type="text/plain" data-category="${category}"${attrs}>(window.runs ||= []).push("${name}")</script>`;
// The loader's placeholders: their text, button labels and the embed they hold.
const placeholders = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("assent-placeholder")].map((p) => ({
      text: p.shadowRoot.querySelector("div").firstChild.textContent,
      buttons: [...p.shadowRoot.querySelectorAll("button")].map((b) => b.textContent),
      holds: p.nextElementSibling?.id,
      width: Math.round(p.shadowRoot.querySelector("div").getBoundingClientRect().width),
    })),
  );
// Clicks the button labelled `label` in the placeholder of embed `id`.
const clickPlaceholder = (page, id, label) =>
  page.locator(`assent-placeholder:has(+ #${id})`).getByRole("button", { name: label }).click();

// An embed's `src` once set: the loader sets it a task after deciding (see
// `activate` in main.js); null if it never comes.
const srcOf = async (page, id) => {
  await pageUntil(page, `the src of #${id}`, (id) => document.getElementById(id)?.hasAttribute("src"), id, 3000).catch(() => {});
  return page.evaluate((id) => document.getElementById(id).getAttribute("src"), id);
};

test("Consent Mode: the default (necessary granted) is dataLayer[0], before any gated Google tag; an update follows a valid choice", async () => {
  const google = `<script type="text/plain" data-category="analytics">
    window.dataLayer.push(["js"]); (window.runs ||= []).push("gtag")</script>`;
  for (const stored of [undefined, v2("a1m0p0")]) {
    const { context, page, errors } = await open({ stored });
    await visit(page, addPage({ head: google }));
    const commands = await consentCommands(page);
    assert.deepEqual(commands[0], [
      "consent",
      "default",
      {
        security_storage: "granted",
        functionality_storage: "granted",
        analytics_storage: "denied",
        ad_storage: "denied",
        ad_user_data: "denied",
        ad_personalization: "denied",
        personalization_storage: "denied",
        wait_for_update: 500,
      },
    ]);
    if (stored) {
      assert.deepEqual(commands[1], [
        "consent",
        "update",
        {
          security_storage: "granted",
          functionality_storage: "granted",
          analytics_storage: "granted",
          ad_storage: "denied",
          ad_user_data: "denied",
          ad_personalization: "denied",
          personalization_storage: "denied",
        },
      ]);
      // The gated tag ran after both.
      assert.deepEqual(commands[2], ["not Arguments", ["js"]]);
      assert.deepEqual(await runs(page), ["gtag"]);
    } else {
      assert.equal(commands.length, 1, JSON.stringify(commands));
      assert.deepEqual(await runs(page), []);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("Consent Mode follows the site's consent-mode mapping", async () => {
  const config = {
    ...CONFIG,
    categories: [{ id: "analytics", "consent-mode": ["analytics_storage", "personalization_storage"] }],
  };
  const { context, page } = await open({ stored: v2("a1m0p0") });
  await visit(page, addPage({ config }));
  const [[, , defaults], [, , update]] = await consentCommands(page);
  assert.equal(defaults.personalization_storage, "denied");
  assert.equal(update.personalization_storage, "granted");
  assert.equal(update.analytics_storage, "granted");
  assert.equal(update.ad_storage, "denied");
  await context.close();
});

test("return visit: allowed scripts run once, in document order, with their attributes and nonce; held ones never load; no widget", async () => {
  const nonce = "n0nc3";
  const body = [
    `<script type="text/plain" data-category="analytics" src="/ext/slow.js?delay=300" nonce="${nonce}" data-extra="x" id="slow"></script>`,
    gated("analytics", "inline-after-slow", ` nonce="${nonce}"`),
    `<script type="text/plain" data-category="analytics" src="/ext/fast.js" nonce="${nonce}"></script>`,
    gated("marketing", "marketing", ` nonce="${nonce}"`),
    `<script type="text/plain" data-category="marketing" src="/ext/held.js" nonce="${nonce}"></script>`,
    gated("necessary", "necessary", ` nonce="${nonce}"`),
    gated("analytics marketing", "both", ` nonce="${nonce}"`),
    gated("analytics", "typed", ` nonce="${nonce}" data-type="text/javascript" id="typed"`),
    `<img data-category="analytics" data-src="/ext/pixel.png" id="pixel" alt="">`,
    `<img data-category="marketing" data-src="/ext/held.png" id="held-pixel" alt="">`,
  ].join("\n");
  // A Content Security Policy with a nonce: the copies only run if they kept it.
  const url = addPage({
    body,
    headers: { "content-security-policy": `script-src 'nonce-${nonce}'` },
    loader: ` nonce="${nonce}"`,
  });
  const { context, page, errors } = await open({ stored: v2("a1m0p0") });
  const fetched = await visit(page, url);
  assert.deepEqual(await runs(page), ["slow", "inline-after-slow", "fast", "necessary", "typed"]);
  // Nothing runs twice, whatever happens to the DOM afterwards.
  await page.evaluate(() => document.body.append(document.createElement("div")));
  await page.waitForTimeout(100);
  assert.deepEqual(await runs(page), ["slow", "inline-after-slow", "fast", "necessary", "typed"]);
  const copy = await page.evaluate(() => {
    const s = document.getElementById("slow");
    const t = document.getElementById("typed");
    return { type: s.getAttribute("type"), extra: s.dataset.extra, async: s.async, typed: t.type, inert: document.querySelectorAll('script[type="text/plain"]').length };
  });
  assert.deepEqual(copy, { type: null, extra: "x", async: false, typed: "text/javascript", inert: 3 });
  assert.equal(await srcOf(page, "pixel"), "/ext/pixel.png");
  assert.equal(await page.evaluate(() => document.getElementById("held-pixel").getAttribute("src")), null);
  const paths = fetched();
  assert.ok(paths.includes("/ext/slow.js") && paths.includes("/ext/pixel.png"));
  for (const never of ["/assent.js", "/assent-decide.js", "/assent-embeds.js", "/ext/held.js", "/ext/held.png"])
    assert.ok(!paths.includes(never), never);
  assert.equal(await page.evaluate(() => window.__widget), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test("no valid choice: nothing optional runs, the first layer shows the banner without importing the widget", async () => {
  for (const [stored, status] of [
    [undefined, "none"],
    ["garbage", "none"],
    [v2("a1m1p1", { at: Date.now() - 200 * DAY }), "expired"],
    [v2("a1m1p1", { rev: 0 }), "outdated"],
  ]) {
    const { context, page, errors, warnings } = await open({ stored });
    const fetched = await visit(page, addPage({ body: gated("analytics", "a") + gated("necessary", "n") }));
    await firstLayerShown(page);
    assert.equal(await page.evaluate(() => window.__widget), undefined);
    assert.ok(!fetched().includes("/assent.js"), fetched().join());
    assert.deepEqual(await runs(page), ["n"]);
    assert.equal(await page.evaluate(() => Assent.getConsent().status), status);
    if (stored === "garbage") assert.ok(warnings.some((w) => w.includes("malformed")), warnings.join());
    // No floating button without a valid choice: its chunk is not even fetched.
    assert.equal(await page.locator("assent-reopen").count(), 0);
    assert.ok(!fetched().includes("/assent-reopen.js"), fetched().join());
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("data-widget on the loader names the widget module", async () => {
  const { context, page } = await open();
  const fetched = await visit(page, addPage({ loader: ' data-widget="/widget/fake.js"' }));
  await openWidget(page);
  assert.ok(fetched().includes("/widget/fake.js"));
  assert.ok(!fetched().includes("/assent.js"));
  // The decision chunk still comes from beside the loader.
  assert.ok(fetched().includes("/assent-decide.js"));
  assert.ok(!fetched().includes("/widget/assent-decide.js"));
  await context.close();
});

test("a first decision: newly allowed scripts and embeds load, Consent Mode updates, assent:consent, the floating button appears", async () => {
  const body = [
    gated("analytics", "a"),
    gated("marketing", "m"),
    `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/frame.html" width="400" height="200"></iframe>`,
    `<video id="video" muted><source data-category="analytics" data-src="/ext/clip.webm"></video>`,
  ].join("\n");
  const { context, page, errors } = await open();
  const reopenBefore = requests.filter((p) => p == "/assent-reopen.js").length;
  await visit(page, addPage({ body }));
  await openWidget(page);
  await page.evaluate(() => {
    window.events = [];
    for (const type of ["assent:consent", "assent:change"])
      document.addEventListener(type, (e) => window.events.push([type, e.detail.status, e.detail.withdrawn]));
  });
  const decision = v2("a1m1p0", { at: Date.now() });
  await page.evaluate((s) => window.__decide(s), decision);
  assert.deepEqual(await runs(page), ["a", "m"]);
  assert.deepEqual(await page.evaluate(() => window.events), [["assent:consent", "valid", []]]);
  assert.equal(await srcOf(page, "yt"), "/ext/frame.html");
  assert.equal(await page.evaluate(() => document.getElementById("yt").hidden), false);
  assert.equal(await page.locator("assent-placeholder").count(), 0);
  // A held <source> makes its <video> select it once allowed.
  await pageUntil(page, "the video to select its allowed source", () =>
    document.getElementById("video").currentSrc.endsWith("/ext/clip.webm"),
  );
  const commands = await consentCommands(page);
  assert.deepEqual(commands.at(-1).slice(0, 2), ["consent", "update"]);
  assert.equal(commands.at(-1)[2].ad_storage, "granted");
  assert.equal(commands.at(-1)[2].personalization_storage, "denied");
  // The page has no [data-assent-open] element: the button comes with its chunk.
  await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).waitFor();
  // The same decision again runs nothing twice, adds no second button.
  await page.evaluate((s) => window.__decide(s), decision);
  assert.deepEqual(await runs(page), ["a", "m"]);
  // (Not networkidle: the <video> may keep fetching.)
  await page.waitForTimeout(300);
  assert.equal(await page.locator("assent-reopen").count(), 1);
  assert.equal(requests.filter((p) => p == "/assent-reopen.js").length - reopenBefore, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("withdrawal: the service's declared cookies (exact, glob, parent domain) and storage are cleared; assent:change names what was withdrawn", async () => {
  const seed = `<script>
    document.cookie = "_p2c_audience=1; path=/";
    document.cookie = "_ga_ABC=1; path=/; domain=assent.test";
    document.cookie = "_ga_DEF=2; path=/";
    document.cookie = "VISITOR_INFO1_LIVE=y; path=/; domain=assent.test";
    document.cookie = "keep_me=1; path=/";
    localStorage.setItem("p2c.recommendations", "x");
    localStorage.setItem("keep.me", "x");
    sessionStorage.setItem("ad_id", "x");
  </script>`;
  const body = gated("personalization", "p") + `<iframe id="f" data-category="personalization" data-src="/ext/frame.html"></iframe>`;
  const { context, page, errors } = await open({ stored: v2("a1m1p0") });
  const fetched = await visit(page, addPage({ before: seed, body }));
  assert.deepEqual(await runs(page), []);
  // Cleanup is the decision chunk's: it comes with the widget, not before.
  assert.ok(!fetched().includes("/assent-decide.js"));
  await page.evaluate(() => {
    window.events = [];
    for (const type of ["assent:consent", "assent:change"])
      document.addEventListener(type, (e) => window.events.push([type, e.detail.withdrawn]));
  });
  await openWidget(page);
  assert.ok(fetched().includes("/assent.js") && fetched().includes("/assent-decide.js"), fetched().join());
  // Analytics withdrawn, marketing kept, personalization granted.
  await page.evaluate((s) => window.__decide(s), v2("a0m1p1", { at: Date.now() }));
  assert.deepEqual(await page.evaluate(() => window.events), [["assent:change", ["analytics", "audience"]]]);
  const names = await cookieNames(context);
  assert.ok(!names.some((n) => /^(_p2c_audience|_ga_)/.test(n)), names.join());
  assert.ok(names.includes("VISITOR_INFO1_LIVE@.assent.test") && names.includes("keep_me@www.assent.test"), names.join());
  assert.deepEqual(
    await page.evaluate(() => [localStorage.getItem("p2c.recommendations"), localStorage.getItem("keep.me"), sessionStorage.getItem("ad_id")]),
    [null, "x", "x"],
  );
  assert.deepEqual(await runs(page), ["p"]);
  assert.equal(await srcOf(page, "f"), "/ext/frame.html");
  const update = (await consentCommands(page)).at(-1);
  assert.deepEqual([update[1], update[2].analytics_storage, update[2].personalization_storage], ["update", "denied", "granted"]);
  // Now marketing: its services' cookies go too, on the declared parent domain.
  await page.evaluate((s) => window.__decide(s), v2("a0m0p1", { at: Date.now() }));
  assert.deepEqual((await page.evaluate(() => window.events)).at(-1), ["assent:change", ["marketing", "youtube", "ads"]]);
  const after = await cookieNames(context);
  assert.ok(!after.some((n) => n.startsWith("VISITOR_INFO1_LIVE")), after.join());
  assert.equal(await page.evaluate(() => sessionStorage.getItem("ad_id")), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("reload-on-withdrawal reloads the page after a withdrawal, not after a grant", async () => {
  const config = { ...CONFIG, "reload-on-withdrawal": true };
  const { context, page } = await open({ stored: v2("a1m0p0") });
  await visit(page, addPage({ config }));
  await openWidget(page);
  await page.evaluate(() => (window.marker = 1));
  await page.evaluate((s) => window.__decide(s), v2("a1m1p0", { at: Date.now() }));
  assert.equal(await page.evaluate(() => window.marker), 1);
  await Promise.all([page.waitForEvent("load"), page.evaluate((s) => window.__decide(s), v2("a0m1p0", { at: Date.now() }))]);
  assert.equal(await page.evaluate(() => window.marker), undefined);
  await context.close();
});

test("elements inserted later (SPA) are gated too: allowed ones run once, held embeds get a placeholder", async () => {
  const { context, page, errors } = await open({ stored: v2("a1m0p0") });
  await visit(page, addPage());
  await page.evaluate(() => {
    const box = document.createElement("section");
    box.innerHTML = `<div><iframe id="late" data-category="marketing" data-service="youtube" data-src="/ext/frame.html"></iframe></div>`;
    document.body.append(box);
    for (const [category, name] of [["analytics", "late-a"], ["marketing", "late-m"]]) {
      const s = document.createElement("script");
      s.type = "text/plain";
      s.dataset.category = category;
      s.textContent = `(window.runs ||= []).push("${name}")`;
      document.body.append(s);
    }
  });
  await pageUntil(page, "a gated script to run", () => (window.runs ?? []).length > 0);
  // The placeholder comes with the embeds chunk, imported on the way.
  await until(async () => (await placeholders(page)).length > 0, "the late embed's placeholder");
  assert.deepEqual(await runs(page), ["late-a"]);
  assert.deepEqual((await placeholders(page)).map((p) => p.holds), ["late"]);
  assert.equal(await page.evaluate(() => document.getElementById("late").hidden), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("placeholders: what is blocked, sized like the embed; Load this once loads that embed only; Always allow asks the widget", async () => {
  const body = [
    `<iframe id="yt1" data-category="marketing" data-service="youtube" data-src="/ext/frame.html?1" width="400" height="225" title="video"></iframe>`,
    `<iframe id="yt2" data-category="marketing" data-service="youtube" data-src="/ext/frame.html?2"></iframe>`,
    `<iframe id="map" data-category="marketing" data-src="/ext/frame.html?3"></iframe>`,
    `<video id="vid" data-category="personalization" data-service="clips" data-src="/ext/clip.mp4"></video>`,
  ].join("\n");
  const stored = v2("a1m0p0");
  const { context, page, errors } = await open({ stored });
  await visit(page, addPage({ body }));
  const held = await placeholders(page);
  assert.deepEqual(
    held.map(({ width, ...p }) => p),
    [
      { text: "YouTube is blocked", buttons: ["Load this once", "Always allow YouTube"], holds: "yt1" },
      { text: "YouTube is blocked", buttons: ["Load this once", "Always allow YouTube"], holds: "yt2" },
      { text: "Advertising is blocked", buttons: ["Load this once"], holds: "map" },
      { text: "clips is blocked", buttons: ["Load this once", "Always allow clips"], holds: "vid" },
    ],
  );
  // Sized from the embed's width attribute.
  assert.equal(held[0].width, 400);
  assert.deepEqual(await page.evaluate(() => ["yt1", "yt2", "map"].map((id) => document.getElementById(id).hidden)), [true, true, true]);
  await clickPlaceholder(page, "yt1", "Load this once");
  assert.equal(await srcOf(page, "yt1"), "/ext/frame.html?1");
  assert.equal(await page.evaluate(() => document.getElementById("yt1").hidden), false);
  assert.equal(await page.evaluate(() => document.getElementById("yt2").getAttribute("src")), null);
  assert.deepEqual((await placeholders(page)).map((p) => p.holds), ["yt2", "map", "vid"]);
  // Nothing stored, the widget not even loaded.
  assert.equal((await context.cookies()).find((c) => c.name === "assent_consent").value, stored);
  assert.equal(await page.evaluate(() => window.__widget), undefined);
  await clickPlaceholder(page, "yt2", "Always allow YouTube");
  await waitShows(page);
  assert.deepEqual(await shows(page), [["allow-service", "youtube"]]);
  // The widget stores "+youtube": every YouTube embed loads, the others stay held.
  await page.evaluate((s) => window.__decide(s), v2("a1m0p0", { at: Date.now(), services: "+youtube" }));
  assert.equal(await srcOf(page, "yt2"), "/ext/frame.html?2");
  assert.deepEqual((await placeholders(page)).map((p) => p.holds), ["map", "vid"]);
  assert.equal(await page.evaluate(() => Assent.acceptedService("youtube")), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("placeholders and the floating button speak the page's language and resist hostile page CSS", async () => {
  const hostile = `<style>
    * { color: red !important; background: yellow !important; font-size: 40px !important; display: inline !important; outline: none !important }
    button { all: unset !important } assent-placeholder, assent-reopen { opacity: .2 !important; display: none !important }
  </style>`;
  const body = `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/frame.html" width="320" height="180"></iframe>`;
  const { context, page } = await open({ stored: v2("a1m0p0") });
  await visit(page, addPage({ lang: "fr", head: hostile, body }));
  const [p] = await placeholders(page);
  assert.deepEqual([p.text, p.buttons], ["YouTube est bloqué", ["Charger cette fois", "Toujours autoriser YouTube"]]);
  const reopen = page.locator("assent-reopen").getByRole("button", { name: "Paramètres de confidentialité" });
  await reopen.waitFor();
  // Styles from the loader's shadow root, whatever the page says.
  const style = await reopen.evaluate((b) => {
    const s = getComputedStyle(b);
    const r = b.getBoundingClientRect();
    return { color: s.color, background: s.backgroundColor, position: s.position, left: r.left, bottom: innerHeight - r.bottom, width: r.width };
  });
  assert.deepEqual(
    { ...style, width: style.width >= 24 },
    { color: "rgb(255, 255, 255)", background: "rgb(0, 85, 204)", position: "fixed", left: 16, bottom: 16, width: true },
  );
  assert.ok(contrast([255, 255, 255], [0, 85, 204]) >= 4.5);
  // The page cannot hide or fade the loader's elements either.
  assert.deepEqual(
    await page.evaluate(() =>
      ["assent-reopen", "assent-placeholder"].map((tag) => {
        const host = document.querySelector(tag);
        return [getComputedStyle(host).opacity, host.shadowRoot.querySelector("button").checkVisibility()];
      }),
    ),
    [["1", true], ["1", true]],
  );
  const text = await page.locator("assent-placeholder").first().evaluate((h) => {
    const div = h.shadowRoot.querySelector("div");
    const s = getComputedStyle(div);
    return { color: s.color, background: s.backgroundColor, font: s.fontSize };
  });
  assert.deepEqual(text, { color: "rgb(34, 34, 34)", background: "rgb(238, 238, 238)", font: "16px" });
  assert.ok(contrast([34, 34, 34], [238, 238, 238]) >= 4.5);
  // A visible focus ring on keyboard focus.
  await page.keyboard.press("Tab");
  const ring = await page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const s = getComputedStyle(el);
    return { label: el.textContent, outline: s.outlineStyle, width: s.outlineWidth };
  });
  assert.deepEqual(ring, { label: "Charger cette fois", outline: "solid", width: "3px" });
  await context.close();
});

// The floating button's chunk, its hosts and whether its button is visible.
const reopenState = async (page, fetched) => ({
  requested: fetched().filter((p) => p.endsWith("/assent-reopen.js")).length,
  buttons: await page.locator("assent-reopen").count(),
});
const LINK = `<footer><a href="#top" id="link" data-assent-open><span>Privacy settings</span></a></footer>`;

test("[data-assent-open] with a valid decision: no assent-reopen.js, no <assent-reopen>, even after a new decision; the link opens the preferences", async () => {
  const { context, page, errors, warnings } = await open({ stored: v2("a0m0p0", { method: "reject-all" }) });
  const fetched = await visit(page, addPage({ lang: "de", body: LINK }));
  assert.deepEqual(await reopenState(page, fetched), { requested: 0, buttons: 0 });
  await page.click("#link span");
  await waitShows(page);
  assert.deepEqual(await shows(page), [["preferences", null]]);
  // The link's own navigation is prevented.
  assert.equal(await page.evaluate(() => location.hash), "");
  // A new decision (after which the loader looks again): still the link only.
  await page.evaluate((s) => window.__decide(s), v2("a1m0p0", { at: Date.now() }));
  await page.waitForLoadState("networkidle");
  assert.equal(await page.evaluate(() => Assent.acceptedCategory("analytics")), true);
  assert.deepEqual(await reopenState(page, fetched), { requested: 0, buttons: 0 });
  await page.click("#link");
  await waitShows(page, 2);
  assert.deepEqual(await shows(page), [["preferences", null], ["preferences", null]]);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  await context.close();
});

test('data-assent-open="reject" rejects all in one click, without the widget (GDPR Art 7(3))', async () => {
  const { context, page, errors } = await open({ stored: v2("a1m1p1", { method: "accept-all" }) });
  const fetched = await visit(page, addPage({ body: `<a href="#top" id="withdraw" data-assent-open="reject">Withdraw all</a>` }));
  await page.click("#withdraw");
  await pageUntil(page, "the reject-all choice", () => Assent.getConsent().method == "reject-all");
  assert.deepEqual(await page.evaluate(() => [Assent.getConsent().status, Assent.acceptedCategory("analytics")]), ["valid", false]);
  assert.match((await context.cookies()).find((c) => c.name == "assent_consent").value, /^v2\.a0m0p0\.reject-all\./);
  assert.ok(!fetched().includes("/assent.js"), fetched().join());
  assert.equal(await page.evaluate(() => location.hash), "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("no [data-assent-open]: assent-reopen.js is requested once and its button opens the preferences", async () => {
  const { context, page, errors } = await open({ stored: v2("a0m0p0", { method: "reject-all" }) });
  const fetched = await visit(page, addPage({ lang: "de" }));
  const button = page.locator("assent-reopen").getByRole("button", { name: "Datenschutzeinstellungen" });
  await button.waitFor();
  assert.deepEqual(await reopenState(page, fetched), { requested: 1, buttons: 1 });
  // The icon is hidden from assistive technology: the button has the name.
  assert.equal(await page.evaluate(() => document.querySelector("assent-reopen").shadowRoot.querySelector("svg").getAttribute("aria-hidden")), "true");
  assert.equal(await page.evaluate(() => window.__widget), undefined);
  await button.click();
  await waitShows(page);
  assert.deepEqual(await shows(page), [["preferences", null]]);
  // More decisions: no second request, no second button; it still opens the preferences.
  for (const flags of ["a1m0p0", "a1m1p1"]) await page.evaluate((s) => window.__decide(s), v2(flags, { at: Date.now() }));
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await reopenState(page, fetched), { requested: 1, buttons: 1 });
  await button.click();
  await waitShows(page, 2);
  assert.deepEqual(await shows(page), [["preferences", null], ["preferences", null]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("no [data-assent-open], first visit: no button before the decision, assent-reopen.js once after it", async () => {
  const { context, page, errors } = await open();
  const fetched = await visit(page, addPage());
  await firstLayerShown(page);
  assert.deepEqual(await reopenState(page, fetched), { requested: 0, buttons: 0 });
  await bannerButton(page, "Reject all").click();
  await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(await reopenState(page, fetched), { requested: 1, buttons: 1 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("floating-button: true shows the button even with [data-assent-open]; false never shows it; other values follow the link rule", async () => {
  const cases = [
    // [floating-button, the page has a link, the button is expected]
    [true, true, true],
    [true, false, true],
    [false, false, false],
    [false, true, false],
    [undefined, false, true],
    [undefined, true, false],
    ["yes", true, false],
    ["yes", false, true],
  ];
  for (const [floating, link, expected] of cases) {
    const label = JSON.stringify({ floating, link });
    const config = floating === undefined ? CONFIG : { ...CONFIG, "floating-button": floating };
    const { context, page, errors } = await open({ stored: v2("a1m0p0") });
    const fetched = await visit(page, addPage({ config, body: link ? LINK : "" }));
    if (expected) await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).waitFor();
    // A decision on this page view, after which the loader looks again.
    await openWidget(page);
    await page.evaluate((s) => window.__decide(s), v2("a1m1p0", { at: Date.now() }));
    await page.waitForLoadState("networkidle");
    assert.deepEqual(await reopenState(page, fetched), { requested: +expected, buttons: +expected }, label);
    if (expected) {
      await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).click();
      await waitShows(page, 2);
      assert.deepEqual((await shows(page)).at(-1), ["preferences", null], label);
    }
    if (link) {
      const before = (await shows(page)).length;
      await page.click("#link");
      await waitShows(page, before + 1);
      assert.deepEqual((await shows(page)).at(-1), ["preferences", null], label);
    }
    assert.deepEqual(errors, [], label);
    await context.close();
  }
});

test("chunks: a missing assent-reopen.js: one warning, no button, no exception; the [data-assent-open] link still opens the preferences", async () => {
  const { context, page, errors, warnings } = await open({ stored: v2("a1m0p0") });
  const config = { ...CONFIG, "floating-button": true };
  const fetched = await visit(page, addPage({ config, body: LINK + gated("analytics", "a"), loaderAt: "/no-reopen" }));
  assert.equal(fetched().filter((p) => p == "/no-reopen/assent-reopen.js").length, 1);
  await until(() => warnings.length > 0, "the warning about the missing assent-reopen.js");
  assert.equal(warnings.length, 1, warnings.join());
  assert.ok(warnings[0].startsWith("[assent] ") && warnings[0].includes("assent-reopen.js"), warnings[0]);
  assert.equal(await page.locator("assent-reopen").count(), 0);
  // The rest of the loader works: what is allowed ran, the API answers, the link opens the preferences.
  assert.deepEqual(await runs(page), ["a"]);
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "valid");
  await page.click("#link");
  await waitShows(page);
  assert.deepEqual(await shows(page), [["preferences", null]]);
  // A decision does not request the missing chunk again.
  await page.evaluate((s) => window.__decide(s), v2("a0m0p0", { at: Date.now() }));
  await page.waitForLoadState("networkidle");
  assert.equal(fetched().filter((p) => p.endsWith("assent-reopen.js")).length, 1);
  assert.equal(warnings.length, 1, warnings.join());
  // Only the browser's own 404 report, no page error.
  assert.deepEqual(errors.filter((e) => !e.includes("404")), []);
  await context.close();
});

test("language: the override, else <html lang>, else the browser's, among the policy's languages; configuration texts follow", async () => {
  const body = `<iframe id="map" data-category="marketing" data-src="/ext/frame.html"></iframe>`;
  const cases = [
    [{ ...CONFIG, lang: "fr" }, "de", "Paramètres de confidentialité", "Publicité est bloqué"],
    [{ ...CONFIG, languages: ["de", "fr"] }, "en", "Datenschutzeinstellungen", "Advertising ist blockiert"],
    [{ ...CONFIG, languages: ["fr", "en"] }, "es", "Privacy settings", "Advertising is blocked"],
    // Nothing fits: English.
    [{ ...CONFIG, languages: ["es", "it"] }, "es", "Privacy settings", "Advertising is blocked"],
  ];
  for (const [config, lang, settings, placeholder] of cases) {
    const { context, page } = await open({ stored: v2("a1m0p0"), locale: "en-US" });
    await visit(page, addPage({ config, lang, body }));
    await page.locator("assent-reopen").getByRole("button", { name: settings }).waitFor();
    assert.equal((await placeholders(page))[0].text, placeholder, JSON.stringify(config.languages ?? config.lang));
    await context.close();
  }
});

test("GPC: a signal the decision did not see refuses marketing (scripts, Consent Mode, API)", async () => {
  const init = () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true });
  const body = gated("analytics", "a") + gated("marketing", "m");
  const withoutSignal = v2("a1m1p1", { method: "accept-all" });
  const { context, page } = await open({ stored: withoutSignal, init });
  await visit(page, addPage({ body }));
  assert.deepEqual(await runs(page), ["a"]);
  const consent = await page.evaluate(() => Assent.getConsent());
  assert.equal(consent.reason, "gpc");
  assert.equal(consent.categories.marketing, "refused");
  assert.equal(consent.gpc, false);
  assert.equal(await page.evaluate(() => Assent.acceptedCategory("marketing")), false);
  assert.equal((await consentCommands(page))[1][2].ad_storage, "denied");
  await context.close();
  // An explicit grant made with the signal present holds.
  const withSignal = await open({ stored: v2("a1m1p1", { gpc: 1 }), init });
  await visit(withSignal.page, addPage({ body }));
  assert.deepEqual(await runs(withSignal.page), ["a", "m"]);
  await withSignal.context.close();
});

test("JS API: a queue made before the loader is replayed; accepted*, getConsent, onChange and its unsubscribe", async () => {
  const queue = `<script>
    window.calls = [];
    document.addEventListener("assent:ready", (e) => calls.push(["ready", e.detail.status, e.detail.withdrawn]));
    window.Assent = window.Assent || [];
    Assent.push(["onChange", (c) => calls.push(["first", c.status, c.withdrawn])]);
    Assent.push(["onChange", () => { throw new Error("bad callback") }]);
  </script>`;
  const at = Date.now() - 60_000;
  const { context, page, errors, warnings } = await open({ stored: v2("a1m0p0", { at, services: "-audience~+youtube" }) });
  await visit(page, addPage({ before: queue }));
  const api = await page.evaluate(() => [
    Array.isArray(Assent),
    Assent.acceptedCategory("analytics"),
    Assent.acceptedCategory("necessary"),
    Assent.acceptedCategory("marketing"),
    Assent.acceptedCategory("nonsense"),
    Assent.acceptedService("audience"),
    Assent.acceptedService("youtube"),
    Assent.acceptedService("ads"),
    Assent.acceptedService("unknown"),
    Assent.acceptedService("constructor"),
  ]);
  assert.deepEqual(api, [false, true, true, false, false, false, true, false, false, false]);
  assert.deepEqual(await page.evaluate(() => Assent.getConsent()), {
    status: "valid",
    reason: "custom",
    method: "preferences",
    decidedAt: at,
    expiresAt: at + 182 * DAY,
    revision: 1,
    gpc: false,
    categories: { necessary: "given", analytics: "given", marketing: "refused", personalization: "refused" },
    services: { audience: "refused", youtube: "given", ads: "refused" },
  });
  await openWidget(page);
  await page.evaluate((s) => window.__decide(s), v2("a0m0p0", { method: "reject-all", at: Date.now() }));
  assert.deepEqual(await page.evaluate(() => window.calls), [
    ["ready", "valid", []],
    ["first", "valid", ["analytics", "youtube"]],
  ]);
  assert.ok(warnings.some((w) => w.includes("bad callback")), warnings.join());
  // Unsubscribe; push keeps working after setup.
  await page.evaluate(() => {
    const off = Assent.onChange((c) => calls.push(["second", c.reason]));
    Assent.push(["onChange", (c) => calls.push(["pushed", c.reason])]);
    window.__decide("v2.a1m1p1.accept-all." + Date.now() + ".1.0.");
    off();
    window.__decide("v2.a0m0p0.reject-all." + Date.now() + ".1.0.");
    Assent.push(["showPreferences"]);
  });
  assert.deepEqual((await page.evaluate(() => window.calls)).slice(2), [
    ["first", "valid", []],
    ["second", "accept-all"],
    ["pushed", "accept-all"],
    ["first", "valid", ["analytics", "marketing", "personalization", "audience", "youtube", "ads"]],
    ["pushed", "reject-all"],
  ]);
  await waitShows(page);
  assert.deepEqual((await shows(page)).at(-1), ["preferences", null]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("getConsent explains expired and outdated decisions", async () => {
  const cases = [
    [v2("a1m0p0", { at: Date.now() - 183 * DAY, method: "accept-all" }), "expired", "expiry"],
    [v2("a1m0p0", { rev: 0 }), "outdated", "policy-change"],
    [undefined, "none", "none"],
  ];
  for (const [stored, status, reason] of cases) {
    const { context, page } = await open({ stored });
    await visit(page, addPage());
    const c = await page.evaluate(() => Assent.getConsent());
    assert.deepEqual([c.status, c.reason], [status, reason]);
    assert.equal(c.categories.analytics, stored ? "expired" : "refused");
    assert.equal(c.categories.marketing, "refused");
    assert.equal(c.services.audience, stored ? "expired" : "refused");
    assert.equal(c.decidedAt === null, !stored);
    await context.close();
  }
});

test("reset(): stored choice and every consent category's cookies cleared, Consent Mode denied, assent:change, banner", async () => {
  const seed = `<script>document.cookie = "_ga_X=1; path=/; domain=assent.test"; localStorage.setItem("p2c.recommendations", "1")</script>`;
  const { context, page, errors } = await open({ stored: v2("a0m0p0") });
  await page.goto(addPage({ before: seed }));
  await page.evaluate(() => localStorage.setItem("assent.consent", document.cookie.match(/assent_consent=([^;]*)/)[1]));
  await page.evaluate(() => {
    window.events = [];
    document.addEventListener("assent:change", (e) => window.events.push([e.detail.status, e.detail.withdrawn]));
    Assent.reset();
  });
  await firstLayerShown(page);
  assert.deepEqual(await page.evaluate(() => window.events), [["none", []]]);
  assert.deepEqual(await cookieNames(context), []);
  assert.deepEqual(await page.evaluate(() => [localStorage.getItem("assent.consent"), localStorage.getItem("p2c.recommendations")]), [null, null]);
  const update = (await consentCommands(page)).at(-1);
  assert.deepEqual([update[1], update[2].analytics_storage, update[2].security_storage], ["update", "denied", "granted"]);
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "none");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the newest valid value of cookie and localStorage wins", async () => {
  const older = v2("a1m0p0", { at: Date.now() - 120_000 });
  const newer = v2("a0m0p1", { at: Date.now() - 60_000 });
  const { context, page } = await open({ stored: older });
  await page.goto(addPage());
  await page.evaluate((s) => localStorage.setItem("assent.consent", s), newer);
  await visit(page, page.url());
  assert.deepEqual(await page.evaluate(() => [Assent.acceptedCategory("analytics"), Assent.acceptedCategory("personalization")]), [false, true]);
  await context.close();
});

test("blocked storage: no exception reaches the page, a warning is logged, a decision still applies to this page view", async () => {
  const init = () => {
    const blocked = () => {
      throw new DOMException("storage is blocked", "SecurityError");
    };
    Object.defineProperty(window, "localStorage", { get: blocked });
    Object.defineProperty(window, "sessionStorage", { get: blocked });
    Object.defineProperty(Document.prototype, "cookie", { get: blocked, set: blocked });
  };
  const { context, page, errors, warnings } = await open({ init });
  await visit(page, addPage({ body: gated("analytics", "a") + gated("necessary", "n") }));
  await firstLayerShown(page);
  assert.ok(warnings.some((w) => w.includes("storage is blocked")), warnings.join());
  // The first layer's Accept all: nothing can be stored, the decision applies.
  await bannerButton(page, "Accept all").click();
  await pageUntil(page, "both scripts to run", () => window.runs?.length == 2);
  assert.deepEqual(await runs(page), ["n", "a"]);
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "valid");
  // Withdrawing in the widget (cleanup needs the blocked storage) and reset still do not throw.
  await openWidget(page);
  await page.evaluate((s) => window.__decide(s, false), v2("a0m0p0", { at: Date.now() }));
  await page.evaluate(() => Assent.reset());
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "none");
  assert.deepEqual(errors, []);
  await context.close();
});

test("broken or missing configuration: a warning and the defaults", async () => {
  for (const config of ['{ "revision": 1, broken', "[1, 2]", null]) {
    const { context, page, errors, warnings } = await open({ stored: v2("a1m0p0", { rev: 0 }) });
    await visit(page, addPage({ config, lang: "de", body: gated("analytics", "a") }));
    assert.ok(warnings.some((w) => w.startsWith("[assent] ") && w.includes("#assent-config")), `${config}: ${warnings}`);
    // Defaults: revision 0, so a revision-0 decision holds; German from <html lang>.
    assert.deepEqual(await runs(page), ["a"]);
    assert.equal((await consentCommands(page))[0][2].functionality_storage, "granted");
    await page.locator("assent-reopen").getByRole("button", { name: "Datenschutzeinstellungen" }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a widget that fails to load: a warning, the page keeps working", async () => {
  const { context, page, errors, warnings } = await open();
  await visit(page, addPage({ loader: ' data-widget="/missing.js"', body: gated("necessary", "n") }));
  await firstLayerShown(page);
  await page.evaluate(() => Assent.showPreferences());
  await pageUntil(page, "the loader's API", () => window.Assent);
  await until(() => warnings.some((w) => w.startsWith("[assent] widget:")), "the warning about the missing widget");
  assert.deepEqual(await runs(page), ["n"]);
  assert.deepEqual(errors.filter((e) => !e.includes("404")), []);
  await context.close();
});

test("chunks: a return visit with a valid choice, no held embed and no decision requests neither assent-decide.js nor assent-embeds.js", async () => {
  const body = [
    gated("analytics", "a"),
    `<iframe id="allowed" data-category="analytics" data-src="/ext/frame.html"></iframe>`,
    `<img data-category="marketing" data-src="/ext/held.png" alt="">`,
  ].join("\n");
  const { context, page, errors } = await open({ stored: v2("a1m0p0") });
  const fetched = await visit(page, addPage({ body }));
  await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).waitFor();
  assert.deepEqual(await runs(page), ["a"]);
  assert.equal(await srcOf(page, "allowed"), "/ext/frame.html");
  const paths = fetched();
  assert.ok(paths.includes("/assent-loader.js"));
  for (const never of ["/assent.js", "/assent-decide.js", "/assent-embeds.js", "/ext/held.png"]) assert.ok(!paths.includes(never), never);
  // The API answers without them.
  assert.equal(await page.evaluate(() => Assent.getConsent().status), "valid");
  assert.deepEqual(errors, []);
  await context.close();
});

test("chunks: held embeds are hidden at once and import assent-embeds.js once; their placeholders come with it", async () => {
  const body = [
    `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/frame.html?1" width="300" height="150"></iframe>`,
    // Runs right after the parser inserted the iframe: held already, no placeholder yet.
    `<script>window.early = [document.getElementById("yt").hidden, document.querySelectorAll("assent-placeholder").length]</script>`,
    `<video id="vid" data-category="personalization" data-src="/ext/clip.mp4"></video>`,
    `<audio id="aud" data-category="analytics marketing" data-src="/ext/clip.mp3"></audio>`,
  ].join("\n");
  const { context, page, errors } = await open({ stored: v2("a1m0p0") });
  const fetched = await visit(page, addPage({ body, loaderAt: "/slow-embeds" }));
  assert.deepEqual(await page.evaluate(() => window.early), [true, 0]);
  await pageUntil(page, "three placeholders", () => document.querySelectorAll("assent-placeholder").length == 3);
  assert.deepEqual(
    (await placeholders(page)).map((p) => [p.holds, p.text]),
    [["yt", "YouTube is blocked"], ["vid", "Personalisation is blocked"], ["aud", "analytics marketing is blocked"]],
  );
  assert.equal(fetched().filter((p) => p == "/slow-embeds/assent-embeds.js").length, 1);
  assert.ok(!fetched().some((p) => p.includes("/ext/clip") || p.includes("/ext/frame")), fetched().join());
  assert.deepEqual(await page.evaluate(() => ["yt", "vid", "aud"].map((id) => document.getElementById(id).hidden)), [true, true, true]);
  // A held embed inserted later gets its placeholder from the loaded chunk.
  await page.evaluate(() => {
    const f = document.createElement("iframe");
    f.id = "late";
    f.dataset.category = "marketing";
    f.dataset.src = "/ext/frame.html?late";
    document.body.append(f);
  });
  await pageUntil(page, "the late embed's placeholder", () => document.querySelectorAll("assent-placeholder").length == 4);
  assert.equal(fetched().filter((p) => p.endsWith("assent-embeds.js")).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("chunks: an embed allowed before assent-embeds.js arrives loads and never gets a placeholder", async () => {
  const body = `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/frame.html"></iframe>`;
  const { context, page, errors } = await open();
  const start = requests.length;
  await page.goto(addPage({ body, loaderAt: "/slow-embeds" }), { waitUntil: "domcontentloaded" });
  await firstLayerShown(page);
  assert.equal(await page.evaluate(() => document.getElementById("yt").hidden), true);
  assert.equal(await page.locator("assent-placeholder").count(), 0);
  await bannerButton(page, "Accept all").click();
  await pageUntil(page, "a valid choice", () => Assent.getConsent().status == "valid");
  assert.deepEqual(await page.evaluate(() => [document.getElementById("yt").hidden, document.getElementById("yt").getAttribute("src")]), [false, "/ext/frame.html"]);
  // The chunk arrives (600 ms late): nothing to hold any more.
  await page.waitForLoadState("networkidle");
  assert.ok(requests.slice(start).includes("/slow-embeds/assent-embeds.js"));
  assert.equal(await page.locator("assent-placeholder").count(), 0);
  assert.equal(await page.evaluate(() => document.getElementById("yt").hidden), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("chunks: a decision made through the widget's bridge is applied by assent-decide.js, imported with the widget", async () => {
  const seed = `<script>document.cookie = "_ga_XYZ=1; path=/; domain=assent.test"; document.cookie = "_p2c_audience=1; path=/"</script>`;
  const { context, page, errors } = await open();
  const fetched = await visit(page, addPage({ before: seed, body: gated("analytics", "a") }));
  // A first visit: the decision chunk (the first layer), then the widget on request.
  await firstLayerShown(page);
  await openWidget(page);
  assert.ok(fetched().includes("/assent.js") && fetched().includes("/assent-decide.js"), fetched().join());
  await page.evaluate((s) => window.__decide(s), v2("a1m0p0", { at: Date.now() }));
  assert.deepEqual(await runs(page), ["a"]);
  assert.ok((await cookieNames(context)).includes("_ga_XYZ@.assent.test"));
  // Withdrawn in the same page view: its cookies go.
  await page.evaluate((s) => window.__decide(s), v2("a0m0p0", { at: Date.now() }));
  assert.deepEqual(await cookieNames(context), ["assent_consent@www.assent.test"]);
  assert.equal(await page.evaluate(() => Assent.acceptedCategory("analytics")), false);
  assert.equal(fetched().filter((p) => p == "/assent-decide.js").length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("chunks: a missing assent-embeds.js leaves held embeds hidden and unloaded, with one warning", async () => {
  const body = [
    gated("analytics", "a"),
    `<iframe id="f1" data-category="marketing" data-src="/ext/frame.html?1"></iframe>`,
    `<iframe id="f2" data-category="marketing" data-service="youtube" data-src="/ext/frame.html?2"></iframe>`,
  ].join("\n");
  const { context, page, errors, warnings } = await open({ stored: v2("a1m0p0") });
  const fetched = await visit(page, addPage({ body, loaderAt: "/no-embeds" }));
  assert.ok(fetched().includes("/no-embeds/assent-embeds.js"));
  assert.equal(warnings.filter((w) => w.startsWith("[assent] ")).length, 1, warnings.join());
  assert.equal(await page.locator("assent-placeholder").count(), 0);
  assert.deepEqual(
    await page.evaluate(() => ["f1", "f2"].map((id) => [document.getElementById(id).hidden, document.getElementById(id).getAttribute("src")])),
    [[true, null], [true, null]],
  );
  assert.ok(!fetched().some((p) => p.startsWith("/ext/frame")));
  // What is allowed still runs; the API and the button still work.
  assert.deepEqual(await runs(page), ["a"]);
  await page.locator("assent-reopen").getByRole("button", { name: "Privacy settings" }).click();
  await waitShows(page);
  assert.deepEqual(errors.filter((e) => !e.includes("404")), []);
  await context.close();
});

test("chunks: a missing assent-decide.js: a warning, no banner, nothing optional runs; reset keeps the choice", async () => {
  const first = await open();
  await visit(first.page, addPage({ loaderAt: "/no-decide", body: gated("analytics", "a") + gated("necessary", "n") }));
  await pageUntil(first.page, "the loader's API", () => window.Assent);
  await until(() => first.warnings.some((w) => w.startsWith("[assent] widget:")), "the warning about the missing decision chunk");
  assert.deepEqual(await runs(first.page), ["n"]);
  // The widget module was fetched but never booted: no banner to decide in.
  assert.deepEqual(await first.page.evaluate(() => [window.__widget?.boots ?? 0, window.__widget?.shows.length ?? 0]), [0, 0]);
  assert.deepEqual(first.errors.filter((e) => !e.includes("404")), []);
  await first.context.close();

  const stored = v2("a1m0p0");
  const back = await open({ stored });
  await visit(back.page, addPage({ loaderAt: "/no-decide", body: gated("analytics", "a") + gated("marketing", "m") }));
  assert.deepEqual(await runs(back.page), ["a"]);
  await back.page.evaluate(() => Assent.reset());
  assert.ok(back.warnings.length >= 1 && back.warnings.every((w) => w.startsWith("[assent] ")), back.warnings.join());
  assert.equal((await back.context.cookies()).find((c) => c.name === "assent_consent").value, stored);
  assert.equal(await back.page.evaluate(() => Assent.getConsent().status), "valid");
  assert.deepEqual(await runs(back.page), ["a"]);
  assert.deepEqual(back.errors.filter((e) => !e.includes("404")), []);
  await back.context.close();
});

test("chunks: under a nonce-only Content Security Policy the chunks and the widget load", async () => {
  const nonce = "ch4nk";
  const body = `<iframe id="yt" data-category="marketing" data-service="youtube" data-src="/ext/frame.html"></iframe>` + gated("marketing", "m", ` nonce="${nonce}"`);
  const url = addPage({ body, headers: { "content-security-policy": `script-src 'nonce-${nonce}'` }, loader: ` nonce="${nonce}"` });
  const { context, page, errors } = await open();
  await visit(page, url);
  await firstLayerShown(page);
  await page.locator("assent-placeholder").waitFor();
  await openWidget(page);
  await page.evaluate((s) => window.__decide(s), v2("a0m1p0", { at: Date.now() }));
  assert.deepEqual(await runs(page), ["m"]);
  assert.equal(await page.locator("assent-placeholder").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

// WCAG contrast ratio of two sRGB colours.
function contrast(a, b) {
  const lum = (c) =>
    c
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
