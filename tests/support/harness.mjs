// The one harness every browser suite shares (tests/loader/, tests/e2e/,
// tests/bench/): where the built site is, an HTTP server on 127.0.0.1 at a free
// port, Debian's Chromium through playwright-core, the files `cargo xtask
// dist` shipped, and bounded waits that say what did not happen.
import { createServer } from "node:http";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

/** The repository's root. */
export const ROOT = resolve(import.meta.dirname, "../..");

/** The built site: `ASSENT_SITE_DIR`, else `pkg/site` (what `cargo xtask dist` writes). */
export const SITE_DIR = resolve(ROOT, process.env.ASSENT_SITE_DIR ?? "pkg/site");

const CHROMIUM = process.env.ASSENT_CHROMIUM ?? "/usr/bin/chromium";

/** Chromium's flags on this machine (no sandbox, GPU or background traffic). */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * Debian's Chromium, headless. `hosts`: host names mapped to 127.0.0.1
 * (e.g. "*.assent.test", so a page has a parent domain for its cookies).
 */
export function launchBrowser({ hosts = [] } = {}) {
  const args = [...FLAGS];
  if (hosts.length) args.push(`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(", ")}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/**
 * Serves `handler(req, res)` on 127.0.0.1 at a free port. Returns the server,
 * its `port`, its `url` (http://127.0.0.1:PORT) and `close()`, which also
 * ends open keep-alive connections (Chromium's would hold it for ever).
 */
export async function listen(handler) {
  const server = createServer(handler);
  await new Promise((ok, fail) => server.once("error", fail).listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/**
 * The text of each of `files` as the build wrote them into SITE_DIR, by name:
 * the tests run exactly what ships. Fails naming the file and the command
 * that builds it.
 */
export async function builtFiles(files) {
  const built = {};
  for (const file of files) {
    built[file] = await readFile(join(SITE_DIR, file), "utf8").catch((e) => {
      throw new Error(`${file} is not built in ${SITE_DIR}: run \`cargo xtask dist\` (${e.code})`);
    });
  }
  return built;
}

/** The first layer's banner chunks as built (`assent-banner-<lang>.js`), one
 * per UI language but English, which the decision chunk carries. */
export function bannerChunks() {
  return readdirSync(SITE_DIR).filter((file) => /^assent-banner-[a-z]+\.js$/.test(file));
}

/**
 * Waits until `condition()` (sync or async) is truthy, polling every 20 ms;
 * fails after `ms` saying `what` (by default the condition's source) did not
 * happen. Returns the truthy value.
 */
export async function until(condition, what = String(condition), ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/**
 * `page.waitForFunction(fn, arg)` that fails saying `what` did not happen
 * (Playwright's own message only names its timeout).
 */
export async function pageUntil(page, what, fn, arg, ms = 30_000) {
  try {
    return await page.waitForFunction(fn, arg, { timeout: ms });
  } catch (e) {
    throw new Error(`timed out after ${ms} ms waiting in the page for ${what}: ${e.message.split("\n")[0]}`);
  }
}
