// The "GDPR & my data" panel's embedding (www/loader/mydata.js, bundled as
// `cargo xtask loader` does, with the eager loader) in real Chromium: when
// `assent-mydata.js` is imported, `<assent-my-data>` mounting and unmounting
// as a single-page app inserts and removes it (races with the panel's
// loading included), its options, `Assent.mountMyData`, and a missing panel.
// The panel is a FAKE `assent-panel.js` (the contract of crates/assent-panel:
// default init, `mount(element, options)` returning `{unmount()}`) that counts
// what it does in `window.__panel`; it loads in `?delay` ms (the loader's
// directory decides: /slow/ 400 ms, /no-panel/ none).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { builtFiles, launchBrowser, listen, pageUntil, until } from "../support/harness.mjs";

const FAKE_PANEL = (delay) => `
const log = (window.__panel ||= { inits: 0, mounts: 0, unmounts: 0, live: 0, options: [] });
export default async function init() {
  log.inits++;
  await new Promise((ok) => setTimeout(ok, ${delay}));
}
export function mount(element, options) {
  log.mounts++;
  log.live++;
  log.options.push({
    api: options.api ?? null,
    lang: options.lang ?? null,
    csrf: typeof options.csrf == "function" ? options.csrf() : options.csrf ?? null,
    token: typeof options.token,
    consent: options.consent.get().status,
  });
  const root = element.shadowRoot || element.attachShadow({ mode: "open" });
  root.textContent = "panel";
  let mounted = true;
  return { unmount() { if (mounted) (mounted = false), log.unmounts++, log.live--, root.replaceChildren(); } };
}`;

let server;
let origin;
let browser;
const built = {};
const requests = [];

before(async () => {
  Object.assign(built, await builtFiles(["assent-loader.js", "assent-mydata.js"]));
  server = await listen((req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push(url.pathname);
    const js = (body) => res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" }).end(body);
    const file = /^\/(?:(slow|no-panel)\/)?(assent-[\w-]+\.js)$/.exec(url.pathname);
    if (file && built[file[2]]) return js(built[file[2]]);
    if (file && file[2] == "assent-panel.js" && file[1] != "no-panel") return js(FAKE_PANEL(file[1] == "slow" ? 400 : 0));
    if (url.pathname.startsWith("/page/")) {
      const dir = url.searchParams.get("dir") ?? "";
      const body = url.searchParams.get("body") ?? "";
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
<script type="application/json" id="assent-config">{"floating-button":false}</script>
<script src="${dir}/assent-loader.js"></script></head><body>${body}</body></html>`,
      );
    }
    res.writeHead(404).end();
  });
  origin = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// A page served with the loader from `dir` ("" for /), with `body`; its
// errors and `[assent]` warnings. A stored valid choice keeps the banner away.
async function open({ dir = "", body = "" } = {}) {
  const context = await browser.newContext();
  await context.addCookies([{ name: "assent_consent", value: `v2.a0m0p0.reject-all.${Date.now() - 6e4}.0.0.`, url: origin }]);
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.text().startsWith("[assent] ") && warnings.push(m.text()));
  const start = requests.length;
  await page.goto(`${origin}/page/${requests.length}?dir=${dir}&body=${encodeURIComponent(body)}`);
  await page.waitForLoadState("networkidle");
  return { context, page, errors, warnings, fetched: () => requests.slice(start) };
}

const panel = (page) => page.evaluate(() => window.__panel && { ...window.__panel });
// After what was awaited happened: time for anything that should NOT happen
// (a late mount) to show itself.
const settle = (page, ms = 600) => page.waitForTimeout(ms);

test("mydata: a page without <assent-my-data> never imports assent-mydata.js; one inserted later by an SPA does, once", async () => {
  const { context, page, errors, fetched } = await open();
  assert.ok(!fetched().some((p) => p.includes("mydata") || p.includes("panel")), fetched().join());
  await page.evaluate(() => document.body.append(document.createElement("assent-my-data")));
  await pageUntil(page, "the panel to mount", () => window.__panel?.live === 1);
  await page.evaluate(() => document.querySelector("assent-my-data").remove());
  await page.evaluate(() => document.body.append(document.createElement("assent-my-data")));
  await pageUntil(page, "the second mount", () => window.__panel.mounts === 2);
  assert.equal(fetched().filter((p) => p.endsWith("assent-mydata.js")).length, 1);
  assert.equal(fetched().filter((p) => p.endsWith("assent-panel.js")).length, 1);
  assert.deepEqual(await panel(page).then(({ inits, live, unmounts }) => ({ inits, live, unmounts })), { inits: 1, live: 1, unmounts: 1 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("mydata: the element's options: api, lang, the CSRF cookie read at each call, the token property, the loader's consent", async () => {
  const body = `<assent-my-data api="/rights" lang="fr" csrf-cookie="xsrf"></assent-my-data>`;
  const { context, page, errors } = await open({ body });
  await pageUntil(page, "the panel to mount", () => window.__panel?.live === 1);
  assert.deepEqual((await panel(page)).options[0], { api: "/rights", lang: "fr", csrf: "", token: "undefined", consent: "valid" });
  // Set before inserting: the token function; the cookie changes later.
  await page.evaluate(() => {
    document.cookie = "xsrf=abc; Path=/";
    const element = document.createElement("assent-my-data");
    element.token = () => "t0k3n";
    element.setAttribute("csrf-cookie", "xsrf");
    document.body.append(element);
  });
  await pageUntil(page, "the second live panel", () => window.__panel.live === 2);
  assert.deepEqual((await panel(page)).options[1], { api: null, lang: null, csrf: "abc", token: "function", consent: "valid" });
  // A change of `lang` mounts the panel again, in the new language.
  await page.evaluate(() => document.querySelector("assent-my-data").setAttribute("lang", "de"));
  await pageUntil(page, "the mount in the new language", () => window.__panel.mounts === 3);
  assert.equal((await panel(page)).options[2].lang, "de");
  assert.equal((await panel(page)).live, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

// Regression guard for SPA route changes: every insertion is an attempt of
// its own, and one overtaken before the panel loaded must mount nothing.
test("mydata: removed before the panel loaded: nothing mounted; removed, inserted again and again: one panel", async () => {
  const { context, page, errors } = await open({ dir: "/slow" });
  // Inserted, defined (the chunk is there, the panel loads for 400 ms), removed.
  await page.evaluate(async () => {
    const element = document.body.appendChild(document.createElement("assent-my-data"));
    await customElements.whenDefined("assent-my-data");
    element.remove();
  });
  // The panel module arrives (inited), then nothing may mount.
  await pageUntil(page, "the panel module to load", () => window.__panel?.inits === 1);
  await settle(page);
  assert.deepEqual(await panel(page).then(({ inits, mounts, live }) => ({ inits, mounts, live })), { inits: 1, mounts: 0, live: 0 });
  await page.evaluate(async () => {
    const element = document.createElement("assent-my-data");
    for (let i = 0; i < 20; i++) {
      document.body.append(element);
      await new Promise((ok) => setTimeout(ok, i % 3));
      element.remove();
    }
    document.body.append(element);
  });
  await pageUntil(page, "the last insertion's panel", () => window.__panel?.live === 1);
  await settle(page);
  const after = await panel(page);
  assert.equal(after.live, 1);
  assert.equal(after.mounts - after.unmounts, 1);
  assert.equal(await page.evaluate(() => document.querySelector("assent-my-data").shadowRoot.textContent), "panel");
  await page.evaluate(() => document.querySelector("assent-my-data").remove());
  assert.equal((await panel(page)).live, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("mydata: Assent.mountMyData resolves to a handle whose unmount is idempotent", async () => {
  const { context, page, errors } = await open();
  const result = await page.evaluate(async () => {
    const element = document.body.appendChild(document.createElement("div"));
    const handle = await Assent.mountMyData(element, { api: "/x", csrf: "c" });
    const live = window.__panel.live;
    handle.unmount();
    handle.unmount();
    return { live, after: window.__panel.live, options: window.__panel.options[0] };
  });
  assert.deepEqual(result, { live: 1, after: 0, options: { api: "/x", lang: null, csrf: "c", token: "undefined", consent: "valid" } });
  assert.deepEqual(errors, []);
  await context.close();
});

test("mydata: a missing assent-panel.js: a warning, no exception, the element keeps its content; mountMyData resolves to undefined", async () => {
  const body = `<assent-my-data><p>Loading…</p></assent-my-data>`;
  const { context, page, errors, warnings } = await open({ dir: "/no-panel", body });
  await pageUntil(page, "assent-my-data to be defined", () =>
    document.querySelector("assent-my-data").matches(":defined"),
  );
  await until(() => warnings.length > 0, "the warning about the missing assent-panel.js");
  assert.equal(await page.evaluate(() => Assent.mountMyData(document.body)), undefined);
  assert.equal(await page.locator("assent-my-data p").textContent(), "Loading…");
  assert.equal(await page.evaluate(() => window.__panel), undefined);
  assert.ok(warnings.length >= 1 && warnings.every((w) => w.includes("assent-panel.js")), warnings.join());
  assert.deepEqual(errors, []);
  await context.close();
});
