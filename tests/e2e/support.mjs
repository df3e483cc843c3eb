// Shared harness of the end-to-end suite: a static server for the built site on
// 127.0.0.1 (it records every request, so tests can prove a gated script was
// never even fetched) that also serves the test-only pages of fixtures/ at
// /fixtures/ with their configuration generated from a fixture policy, Debian's
// Chromium through playwright-core, and page helpers that read through the open
// shadow roots of the widget (<assent-widget>) and of the loader's own elements
// (<assent-reopen>, <assent-placeholder>).
import { request as httpRequest } from "node:http";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { after, before } from "node:test";
import { ROOT, SITE_DIR, launchBrowser, listen, pageUntil } from "../support/harness.mjs";

export { ROOT, SITE_DIR, launchBrowser };

const require = createRequire(import.meta.url);

/** The test-only pages and policies, served at /fixtures/. */
export const FIXTURES_DIR = join(import.meta.dirname, "fixtures");

/** Content types by file extension (also the bench's server, tests/bench/managers/server.mjs). */
export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** The marker a fixture page puts where its configuration goes. */
const POLICY_MARKER = /\{"policy-file":"([\w-]+)"\}/;

const configs = new Map();

/**
 * The `#assent-config` JSON of a fixture policy: `cargo xtask policy config
 * fixtures/policies/<policy>.toml [--earlier fixtures/policies/<e>.toml]… [--lang L]`,
 * computed once per set of arguments. With `dir`, a policy of that name there
 * (a test's generated policies) comes before the fixture of that name.
 */
export function policyConfig(policy, { earlier = [], lang, dir } = {}) {
  const file = (name) => {
    if (!/^[\w-]+$/.test(name)) throw new Error(`bad fixture policy name ${name}`);
    const generated = dir && join(dir, `${name}.toml`);
    return generated && existsSync(generated) ? generated : join(FIXTURES_DIR, "policies", `${name}.toml`);
  };
  const args = ["xtask", "policy", "config", file(policy)];
  for (const e of earlier) args.push("--earlier", file(e));
  if (lang) args.push("--lang", lang);
  const key = args.join(" ");
  if (!configs.has(key)) {
    const config = promisify(execFile)("cargo", args, { cwd: ROOT }).then(({ stdout }) => JSON.parse(stdout));
    config.catch(() => configs.delete(key)); // a failure is reported, not remembered
    configs.set(key, config);
  }
  return configs.get(key);
}

/**
 * A fixture page with its configuration filled in: the marker's policy, or the
 * query's `policy`, with `earlier` (comma-separated) and `lang`; `floating-button`
 * (`true` or `false`) sets that page option; `html-lang` sets `<html lang>`;
 * `no-settings-link` drops the page's own `[data-assent-open]` link (its line);
 * `csp=strict` serves it under STRICT_CSP with a fresh nonce for its `{{nonce}}`.
 * Returns its `html` and the `headers` it is served with.
 */
async function fixturePage(file, query, policyDir) {
  let html = await readFile(file, "utf8");
  const headers = {};
  if (query.get("csp") === "strict") {
    const nonce = randomBytes(16).toString("base64");
    headers["content-security-policy"] = STRICT_CSP(nonce);
    html = html.replaceAll("{{nonce}}", nonce);
  }
  const marker = POLICY_MARKER.exec(html);
  if (marker) {
    const policy = query.get("policy") ?? marker[1];
    const earlier = (query.get("earlier") ?? "").split(",").filter(Boolean);
    const config = { ...(await policyConfig(policy, { earlier, lang: query.get("lang") ?? undefined, dir: policyDir })) };
    // `records`: the page makes consent records, posted through this server's
    // `/api/` proxy to the ledger (`startServer({ ledger })`); `account=ID`.
    if (query.has("records")) config.records = "/api/v1/consent-records";
    const account = query.get("account");
    if (account) config.account = account;
    const floating = query.get("floating-button");
    if (floating === "true" || floating === "false") config["floating-button"] = floating === "true";
    html = html.replace(marker[0], () => JSON.stringify(config).replaceAll("<", "\\u003c"));
  }
  if (query.has("no-settings-link")) html = html.replace(/^.*data-assent-open.*\n/gm, "");
  const htmlLang = query.get("html-lang");
  if (htmlLang && /^[\w-]+$/.test(htmlLang)) {
    html = html.replace(/<html lang="[^"]*">/, () => `<html lang="${htmlLang}">`);
  }
  return { html, headers };
}

/**
 * The strictest policy a site may serve Assent under: scripts only with the
 * page's nonce (no 'unsafe-inline', no 'unsafe-eval': WebAssembly through
 * 'wasm-unsafe-eval'), styles and frames only from the site, and Trusted
 * Types required for every script sink, with the policies Assent names
 * (docs/loader.md, "Trusted Types"): `assent` (the first layer's banner),
 * `assent-gate` (the gated scripts the loader activates) and `assent-widget`
 * (the widget's component templates).
 */
export const STRICT_CSP = (nonce) =>
  [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types assent assent-gate assent-widget",
  ].join("; ");

/**
 * Forwards `req` to `backend` (an origin such as `http://127.0.0.1:PORT`) with
 * the `/api` prefix stripped, as a site's reverse proxy (or `trunk serve`'s) does;
 * 502 when the backend is down.
 */
export function proxy(req, res, backend) {
  const target = new URL(req.url.slice("/api".length), backend ?? "http://127.0.0.1:9");
  const headers = { ...req.headers, host: target.host };
  // A fresh connection per request (no pooled socket outlives a ledger), and
  // no answer within 20 s is a 504, as a reverse proxy's timeout would be.
  const out = httpRequest(target, { method: req.method, headers, agent: false, timeout: 20000 }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  out.on("timeout", () => {
    out.destroy();
    if (!res.headersSent) res.writeHead(504, { "content-type": "text/plain" }).end("ledger timeout");
  });
  out.on("error", () => res.headersSent || res.writeHead(502, { "content-type": "text/plain" }).end("ledger down"));
  // The browser gave up (page gone, fetch aborted): so does the proxy, and
  // the ledger is not left waiting for the rest of a body.
  res.on("close", () => res.writableFinished || out.destroy());
  req.pipe(out);
}

/**
 * Serves SITE_DIR on 127.0.0.1 at a free port, and fixtures/ at /fixtures/.
 * `requests` lists every path asked for, in order; `log` the same with the
 * query and the time. With `ledger` (an object whose `url` is read at each
 * request, so a restarted ledger on another port is followed), `/api/…` is
 * proxied to `ledger.url`. With `policyDir`, a fixture page's `policy` may
 * name a policy there (`policyConfig`'s `dir`).
 */
export async function startServer({ ledger, policyDir } = {}) {
  const requests = [];
  const log = [];
  const server = await listen(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const path = decodeURIComponent(url.pathname);
    requests.push(path);
    log.push({ path, search: url.search, at: Date.now() });
    if (ledger && path.startsWith("/api/")) return proxy(req, res, ledger.url);
    const fixture = path.startsWith("/fixtures/");
    const base = fixture ? FIXTURES_DIR : SITE_DIR;
    const rel = fixture ? path.slice("/fixtures".length) : path;
    const file = normalize(join(base, rel.endsWith("/") ? rel + "index.html" : rel));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const page = fixture && extname(file) === ".html" ? await fixturePage(file, url.searchParams, policyDir) : null;
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...page?.headers,
      });
      res.end(page ? page.html : await readFile(file));
    } catch (e) {
      const missing = e?.code === "ENOENT" || e?.message === "not a file";
      // A fixture page whose policy cannot be configured is a broken test: say why.
      if (!missing) console.error(`server: ${path}: ${e?.stack ?? e}`);
      res.writeHead(missing ? 404 : 500, { "content-type": "text/plain" }).end(missing ? "not found" : String(e));
    }
  });
  return { url: server.url, requests, log, close: server.close };
}

/**
 * A fresh browser context (no cookies, no storage) and page. Uncaught page
 * errors and the widget's console warnings are collected for assertions.
 */
export async function openPage(browser, options = {}) {
  const { initScript, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  const warnings = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
    if (m.text().startsWith("[assent]")) warnings.push(m.text());
  });
  return { context, page, errors, warnings };
}

/**
 * Loads `url` and waits until the loader has run (`window.Assent`) and, when
 * there is no valid stored choice, until the widget shows its banner; then
 * until activated external scripts have loaded and run. A return visit with a
 * valid choice never loads the widget, so nothing waits for it.
 */
export async function visit(page, url) {
  await page.goto(url);
  await pageUntil(page, "the loader, and the banner or a valid choice", () => {
    if (!window.Assent?.getConsent) return false;
    if (window.Assent.getConsent().status === "valid") return true;
    const banner = document.querySelector("assent-widget")?.shadowRoot?.querySelector("section.banner");
    return !!banner?.checkVisibility();
  });
  await page.waitForLoadState("networkidle");
}

/** Whether `path` is one of the widget's files (never needed on a return visit). */
export function isWidgetFile(path) {
  return path === "/assent.js" || path === "/assent_bg.wasm";
}

/**
 * Whether the element matching `selector` in the widget is rendered visibly,
 * once the widget is not busy: the first layer's banner marks itself
 * `aria-busy` while the wasm it asked for (Customize) loads and takes over.
 */
async function widgetShows(page, selector) {
  await pageUntil(page, "the widget to stop being busy", () =>
    !document.querySelector("assent-widget")?.shadowRoot?.querySelector("[aria-busy=true]"),
  );
  return page.evaluate(
    (sel) =>
      !!document.querySelector("assent-widget")?.shadowRoot?.querySelector(sel)?.checkVisibility(),
    selector,
  );
}

/** Whether the banner is shown. */
export function bannerShown(page) {
  return widgetShows(page, "section.banner");
}

/** Whether the preferences dialog is shown. */
export function dialogShown(page) {
  return widgetShows(page, "[role=dialog]");
}

/** How many times each gated demo script ran: { id: count }. */
export function gatedRuns(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      Object.entries(window.assentPreview.runs).map(([id, r]) => [id, r.count]),
    ),
  );
}

/** The focused element, looking inside open shadow roots. */
export function focusedText(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? (el.getAttribute("aria-label") || el.textContent || "").trim() : null;
  });
}

/** Whether the focused element is inside the preferences dialog. */
export function focusInDialog(page) {
  return page.evaluate(() => {
    const root = document.querySelector("assent-widget")?.shadowRoot;
    const active = root?.activeElement;
    return !!active && !!root.querySelector("[role=dialog]")?.contains(active);
  });
}

/** Runs axe-core on the whole page (it reads open shadow roots). */
export async function axeViolations(page) {
  const source = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
}

/** The site's consent cookie, if any. */
export async function consentCookie(context) {
  const cookies = await context.cookies();
  return cookies.find((c) => c.name === "assent_consent")?.value ?? null;
}

/** The ids of every gated demo script on the preview home page. */
export const ALL_GATED = ["audience-inline", "audience-src", "ads-pixel", "recommendations"];

/**
 * Starts the site server (with `serverOptions`, see `startServer`) and the
 * browser once for a test file and stops them after it; returns an object
 * whose `server` and `browser` are set by then.
 */
export function useSiteAndBrowser(serverOptions) {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer(serverOptions);
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}

/** A button of the widget by its exact accessible name. */
export function widgetButton(page, name) {
  return page.locator("assent-widget").getByRole("button", { name, exact: true });
}

/** The floating "Privacy settings" button the loader shows after a decision. */
export function floatingButton(page, name = "Privacy settings") {
  return page.locator("assent-reopen").getByRole("button", { name, exact: true });
}

/** The switch of a category (`analytics`…) in the preferences. */
export function categorySwitch(page, category) {
  return page.locator(`assent-widget #assent-switch-${category}`);
}

/** The switch of a service (`ads`…) in the preferences. */
export function serviceSwitch(page, service) {
  return page.locator(`assent-widget #assent-service-${service}`);
}

/**
 * Blocks storage the way browsers block it, as an init script: reading
 * `localStorage` and `document.cookie` throws SecurityError.
 */
export const BLOCK_STORAGE = () => {
  const deny = () => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  Object.defineProperty(window, "localStorage", { get: deny, configurable: true });
  Object.defineProperty(Document.prototype, "cookie", { get: deny, set: deny, configurable: true });
};

/**
 * Makes the browser send Global Privacy Control (`navigator.globalPrivacyControl`
 * is true), as an init script for `openPage`; Chromium has no switch for it.
 */
export const SEND_GPC = () => {
  Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
};

/**
 * The same, only on pages whose URL has a `gpc` query parameter, so that one
 * visitor (one context) can browse with and without the signal.
 */
export const SEND_GPC_WHEN_ASKED = () => {
  if (new URLSearchParams(location.search).has("gpc")) {
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
  }
};

/** A stored decision `v2.<a?m?p?>.<method>.<ms>.<rev>.<gpc>.<services>`, read; null if not that form. */
export function parseStored(value) {
  const m = /^v2\.a([01])m([01])p([01])\.(accept-all|reject-all|preferences)\.(\d+)\.(\d+)\.([01])\.(.*)$/.exec(
    value ?? "",
  );
  if (!m) return null;
  const services = {};
  for (const item of m[8].split("~").filter(Boolean)) services[item.slice(1)] = item[0] === "+";
  return {
    categories: { analytics: m[1] === "1", marketing: m[2] === "1", personalization: m[3] === "1" },
    method: m[4],
    decidedAt: Number(m[5]),
    revision: Number(m[6]),
    gpc: m[7] === "1",
    services,
  };
}

/** The page's configuration (`#assent-config`) as it was served. */
export function pageConfig(page) {
  return page.evaluate(() => JSON.parse(document.getElementById("assent-config").textContent));
}

/** The consent cookie and localStorage value as the page sees them. */
export function storedValues(page) {
  return page.evaluate(() => ({
    cookie: /(?:^|; *)assent_consent=([^;]*)/.exec(document.cookie)?.[1] ?? null,
    local: localStorage.getItem("assent.consent"),
  }));
}

/** Waits until the preferences dialog is shown (or hidden, with `shown` false). */
export function waitForDialog(page, shown = true) {
  return pageUntil(
    page,
    shown ? "the preferences dialog" : "the preferences dialog to close",
    (want) =>
      !!document.querySelector("assent-widget")?.shadowRoot?.querySelector("[role=dialog]")?.checkVisibility() ===
      want,
    shown,
  );
}

/** Waits until the banner is shown (or hidden, with `shown` false). */
export function waitForBanner(page, shown = true) {
  return pageUntil(
    page,
    shown ? "the banner" : "the banner to close",
    (want) =>
      !!document.querySelector("assent-widget")?.shadowRoot?.querySelector("section.banner")?.checkVisibility() ===
      want,
    shown,
  );
}

/** Every URL the page (and its frames) requests from now on, as path + query, in order. */
export function recordRequests(page) {
  const seen = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    seen.push(u.pathname + u.search);
  });
  return seen;
}

/** The cookies of the context by name (value), and the page's localStorage keys. */
export async function siteStorage(page) {
  const cookies = Object.fromEntries((await page.context().cookies()).map((c) => [c.name, c.value]));
  const local = await page.evaluate(() => Object.keys(localStorage).sort());
  return { cookies, local };
}

/**
 * Waits (up to `timeout` ms) until the gated runs are `expected` ({id: count}),
 * then lets `extra` ms pass for anything unexpected to show up, and returns the
 * runs, for the caller to compare (a timeout is not an error here: the
 * comparison says what differs). Runs whose id matches `ignore` are left out.
 */
export async function settledRuns(page, expected, { timeout = 5000, extra = 150, ignore = null } = {}) {
  const ignored = ignore ? ignore.source : null;
  await pageUntil(
    page,
    "the gated runs to settle",
    ([want, ignored]) => {
      const got = {};
      for (const [id, r] of Object.entries(window.assentPreview?.runs ?? {})) {
        if (!ignored || !new RegExp(ignored).test(id)) got[id] = r.count;
      }
      const keys = new Set([...Object.keys(got), ...Object.keys(want)]);
      return [...keys].every((k) => got[k] === want[k]);
    },
    [expected, ignored],
    timeout,
  ).catch(() => {});
  await page.waitForTimeout(extra);
  const runs = await gatedRuns(page);
  return Object.fromEntries(Object.entries(runs).filter(([id]) => !ignore || !ignore.test(id)));
}

/** A button of the preferences dialog by its exact accessible name. */
export function dialogButton(page, name) {
  return page.locator("assent-widget [role=dialog]").getByRole("button", { name, exact: true });
}
