// Shared harness of the end-to-end suite: a static server for the built site on
// 127.0.0.1 (it records every request, so tests can prove a gated script was
// never even fetched), Debian's Chromium through playwright-core, and page
// helpers that read through the widget's open shadow root.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { createRequire } from "node:module";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export const SITE_DIR = resolve(process.env.ASSENT_SITE_DIR ?? "pkg/site");
const CHROMIUM = process.env.ASSENT_CHROMIUM ?? "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".json": "application/json",
};

/** Serves SITE_DIR on 127.0.0.1 at a free port. */
export async function startServer() {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    const file = normalize(join(SITE_DIR, path.endsWith("/") ? path + "index.html" : path));
    if (!file.startsWith(SITE_DIR)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
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

/** Loads `url` and waits until the widget has mounted. */
export async function visit(page, url) {
  await page.goto(url);
  await page.waitForSelector("assent-widget", { state: "attached" });
  // Let activated external scripts load and run.
  await page.waitForLoadState("networkidle");
}

/** Whether the element matching `selector` in the widget is rendered visibly. */
function widgetShows(page, selector) {
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
 * Starts the site server and the browser once for a test file and stops them
 * after it; returns an object whose `server` and `browser` are set by then.
 */
export function useSiteAndBrowser() {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer();
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
