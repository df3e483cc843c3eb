// Benchmark: the browser cost of one consent record (docs/records.md): build,
// JCS, sign with the device's WebCrypto key and enqueue in the IndexedDB outbox
// under the Web Lock, i.e. the records chunk's `record()` until it resolves.
// It runs on the RELEASE build (`ASSENT_SITE_DIR`, default `pkg/site`:
// `assent-decide.js` as `cargo xtask loader` / `dist` wrote it) in Chromium
// (`ASSENT_CHROMIUM`, default /usr/bin/chromium), timed in the page with
// performance.now() over N records after a warm-up (which also creates the
// key). Delivery is kept out of the numbers: the endpoint answers 503 with
// `Retry-After: 3600`, so after its first try the sender waits.
//
// Prints one line and exits non-zero when the median is over budget:
//   browser: sign + enqueue one record: p50 X ms, p99 Y ms over N (Ed25519); budget 5 ms p50: within budget
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, builtFiles, launchBrowser, listen } from "../support/harness.mjs";

const N = Number(process.env.ASSENT_BENCH_RECORDS ?? 200);
const WARMUP = 20;
const BUDGET_MS = 5;

// The records' chunk, the history chunk (to count what was enqueued), and the
// loader's rules (a record is made of the verdict the loader evaluated).
const built = await builtFiles(["assent-decide.js", "assent-history.js"]).catch((e) => {
  console.error(e.message);
  process.exit(2);
});
const files = {
  "/assent-decide.js": built["assent-decide.js"],
  "/assent-history.js": built["assent-history.js"],
  "/rules.js": await readFile(join(ROOT, "www/loader/rules.js"), "utf8"),
};
const server = await listen((req, res) => {
  if (files[req.url]) return res.writeHead(200, { "content-type": "text/javascript" }).end(files[req.url]);
  if (req.url === "/records") return res.writeHead(503, { "retry-after": "3600" }).end();
  res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>bench</title>");
});
// 127.0.0.1 is a secure context: WebCrypto and crypto.randomUUID exist.
const origin = server.url;
const browser = await launchBrowser();
let result;
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(origin + "/");
  result = await page.evaluate(
    async ({ n, warmup, endpoint }) => {
      const m = await import("/assent-decide.js");
      const { history } = await import("/assent-history.js");
      const { evaluate } = await import("/rules.js");
      // The configuration core writes (four categories, three services).
      const cfg = {
        policy: "bench",
        revision: 1,
        "consent-revision": 1,
        "lifetime-days": 182,
        records: endpoint,
        hash: "sha256:" + "2b".repeat(32),
        controller: { name: "Bench SAS", contact: "privacy@bench.example" },
        jurisdiction: "FR",
        texts: { en: "sha256:" + "51".repeat(32) },
        "widget-version": "0.1.0",
        categories: [
          { id: "necessary", basis: "legitimate-interest", services: [{ id: "session" }] },
          { id: "analytics", basis: "consent", services: [{ id: "audience" }] },
          { id: "marketing", basis: "consent", services: [{ id: "youtube" }, { id: "ads" }] },
          { id: "personalization", basis: "consent", services: [] },
        ],
      };
      const times = [];
      for (let i = 0; i < warmup + n; i++) {
        // Alternating grants and refusals, so states change record to record.
        const stored = `v2.a${i % 2}m${(i >> 1) % 2}p0.preferences.${Date.now()}.1.0.+youtube`;
        // The verdict as the loader hands it over (main.js `ev`).
        const verdict = { ...evaluate(stored, cfg, Date.now(), false), stored };
        const t = performance.now();
        await m.record(cfg, verdict, "en");
        if (i >= warmup) times.push(performance.now() - t);
      }
      const h = await history(cfg);
      return { times, queued: h.records.length, alg: JSON.parse(atob(h.records[0].jws.split(".")[0].replace(/-/g, "+").replace(/_/g, "/"))).alg };
    },
    { n: N, warmup: WARMUP, endpoint: origin + "/records" },
  );
} finally {
  await browser.close();
  await server.close();
}

// Every record must have been enqueued, or the numbers measure a failure.
if (result.queued !== WARMUP + N) {
  console.error(`expected ${WARMUP + N} records in the outbox, found ${result.queued}`);
  process.exit(2);
}
const sorted = result.times.sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const p50 = at(0.5);
const p99 = at(0.99);
const alg = { EdDSA: "Ed25519", ES256: "ECDSA P-256" }[result.alg] ?? result.alg;
const within = p50 <= BUDGET_MS;
console.log(
  `browser: sign + enqueue one record: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms over ${sorted.length} (${alg}); budget ${BUDGET_MS} ms p50: ${within ? "within" : "OVER"} budget`,
);
process.exit(within ? 0 : 1);
