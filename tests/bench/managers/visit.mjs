// One page visit of the bench (docs/bench.md): a fresh browser context with the
// in-page probe (probe.mjs), a CDP session for the network profile and the JS
// heap, and a record of what the page fetched. `finish()` waits until the page
// is settled and returns what the visit measured; `close()` ends the context.
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { GATED } from "./candidates.mjs";
import { watchPage } from "./probe.mjs";

/** How long any one wait of a visit may take before the bench fails (slow 4G included). */
export const WAIT_MS = 90_000;
/** The network is quiet once no request has been in flight for this long. */
const QUIET_MS = 500;
/** How often the JS heap is sampled while a visit runs. */
const HEAP_SAMPLE_MS = 100;

const GATED_PATHS = new Set(Object.values(GATED));

/**
 * Opens a visit of `candidate`'s page under `profile` (`{ throttle }`: CDP
 * `Network.emulateNetworkConditions` parameters, or null), optionally with
 * the cookies and storage of an earlier visit (`storageState`).
 */
export async function openVisit({ browser, server }, candidate, profile, storageState) {
  const context = await browser.newContext(storageState ? { storageState } : {});
  await context.addInitScript(watchPage, {
    banner: candidate.banner,
    dialog: candidate.dialog,
    stored: candidate.stored,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("Network.enable");
  if (profile.throttle) await cdp.send("Network.emulateNetworkConditions", profile.throttle);

  const traffic = watchTraffic(page);
  const heap = sampleHeap(cdp);
  const url = `${server.url}/managers/${candidate.id}.html`;
  return {
    page,
    context,
    /** Navigates to the candidate's page (returns once the response commits). */
    open: () => page.goto(url, { waitUntil: "commit", timeout: WAIT_MS }),
    /** Waits until `window.__bench[key]` is set; `what` names it in the error. */
    until: (key, what) =>
      page
        .waitForFunction((k) => window.__bench?.[k] != null, key, { timeout: WAIT_MS })
        .catch((e) => {
          throw new Error(`${candidate.name}: ${what} did not happen within ${WAIT_MS / 1000} s (${e.message})`);
        }),
    /** Whether the page has fetched a `.wasm` so far. */
    fetchedWasm: () => traffic.paths().some((path) => path.endsWith(".wasm")),
    /** The probe's findings (times in ms since navigation start). */
    probe: () =>
      page.evaluate(() => {
        const { storedAs, ...found } = window.__bench;
        return { ...found, ranAnalytics: window.__ranAnalytics ?? null, ranMarketing: window.__ranMarketing ?? null };
      }),
    /** Waits for the load event and a quiet network. */
    async settle() {
      await page.waitForLoadState("load", { timeout: WAIT_MS });
      await traffic.quiet();
    },
    /**
     * Waits for the load event, the candidate's own `settled` condition and a
     * quiet network, then returns the bytes fetched, the peak heap, the total
     * blocking time and the layout shift from navigation to now.
     */
    async finish() {
      await this.settle();
      if (candidate.settled) {
        await page.waitForFunction(candidate.settled.test, null, { timeout: WAIT_MS }).catch((e) => {
          throw new Error(`${candidate.name}: not settled, ${candidate.settled.what} (${e.message})`);
        });
      }
      await traffic.quiet();
      const found = await this.probe();
      const peakHeap = await heap.stop();
      return {
        ...found,
        bytes: await traffic.bytes(),
        peakHeap,
        tbt: found.longTasks.reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0),
      };
    },
    close: async () => {
      await heap.stop();
      await context.close();
    },
  };
}

/**
 * Every response of the page but the document itself and the gated tags,
 * kept for counting; and the requests in flight, for `quiet()`.
 */
function watchTraffic(page) {
  const bodies = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const settle = () => {
    inFlight -= 1;
    lastActivity = Date.now();
  };
  page.on("request", () => {
    inFlight += 1;
    lastActivity = Date.now();
  });
  page.on("requestfinished", settle);
  page.on("requestfailed", settle);
  page.on("response", (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) return;
    const path = new URL(response.url()).pathname;
    if (GATED_PATHS.has(path)) return;
    // The site's own backend (Assent's consent records posted to the ledger):
    // listed, not counted as what the manager ships.
    const counted = !path.startsWith("/api/");
    bodies.push({ path, counted, body: response.body().catch(() => Buffer.alloc(0)) });
  });
  return {
    /** The paths of the counted responses so far. */
    paths: () => bodies.map((b) => b.path),
    /** Resolves once no request has been in flight for QUIET_MS (fails after WAIT_MS). */
    quiet: () =>
      new Promise((ok, fail) => {
        const started = Date.now();
        const check = setInterval(() => {
          if (inFlight <= 0 && Date.now() - lastActivity >= QUIET_MS) {
            clearInterval(check);
            ok();
          } else if (Date.now() - started > WAIT_MS) {
            clearInterval(check);
            fail(new Error(`the network did not go quiet within ${WAIT_MS / 1000} s (${inFlight} in flight)`));
          }
        }, 50);
      }),
    /** `{ raw, gzip, brotli, wasm, files }` of the responses so far (totals of the counted ones). */
    bytes: async () => {
      const files = await Promise.all(bodies.map(async ({ path, counted, body }) => ({ path, counted, ...sizes(await body) })));
      const total = (key) => files.reduce((sum, f) => sum + (f.counted ? f[key] : 0), 0);
      return {
        raw: total("raw"),
        gzip: total("gzip"),
        brotli: total("brotli"),
        wasm: files.some((f) => f.path.endsWith(".wasm")),
        files,
      };
    },
  };
}

const sizeCache = new Map();

/**
 * `bytes` as fetched, after gzip -9 (zlib) and after brotli at its highest
 * quality: each file compressed on its own, as a server sends it.
 */
export function sizes(bytes) {
  const key = createHash("sha256").update(bytes).digest("hex");
  if (!sizeCache.has(key)) {
    sizeCache.set(key, {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }).length,
    });
  }
  return sizeCache.get(key);
}

/** Samples `JSHeapUsedSize` (CDP `Performance.getMetrics`); `stop()` returns the peak in bytes. */
function sampleHeap(cdp) {
  let peak = 0;
  let pending = null;
  let stopped = false;
  const sample = () => {
    if (pending || stopped) return pending;
    pending = cdp
      .send("Performance.getMetrics")
      .then(({ metrics }) => {
        const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
        peak = Math.max(peak, used);
      })
      .catch(() => {})
      .finally(() => (pending = null));
    return pending;
  };
  const timer = setInterval(sample, HEAP_SAMPLE_MS);
  return {
    stop: async () => {
      if (!stopped) {
        clearInterval(timer);
        await pending;
        await sample();
        stopped = true;
      }
      return peak;
    },
  };
}
