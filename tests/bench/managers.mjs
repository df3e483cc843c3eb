// Benchmark: Assent beside three JavaScript consent managers (vanilla-cookieconsent,
// klaro, tarteaucitron), each on the same host page gating the same two tags
// (docs/bench.md, files in managers/). `cargo xtask bench` runs it after making
// sure the release site and the ledger are built; by hand:
//
//   ASSENT_SITE_DIR=pkg/site ASSENT_LEDGER_BIN=target/debug/assent-ledger node tests/bench/managers.mjs [--runs N] [--smoke]
//
// One headless Chromium; every visit in a fresh context; runs interleaved
// (each run visits every candidate under each network profile, in a rotating
// order). Prints one table of medians, then Assent's budgets with their
// verdicts. Exit status: 0, 2 when Assent misses a budget, 1 when the bench
// itself fails (a candidate that shows no banner, ignores Reject all…).
// `--smoke`: one run on loopback, every visit checked, budgets not judged.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, SITE_DIR, launchBrowser } from "../e2e/support.mjs";
import { ledgerStore, startLedger } from "../e2e/ledger.mjs";
import { judge, verdictLines } from "./managers/budgets.mjs";
import { CANDIDATES, MANAGERS_DIR, POLICIES_DIR, RECORDS_ENDPOINT, hostPage, vendorMounts } from "./managers/candidates.mjs";
import { acceptAll, accessibility, customize, firstVisit, returnVisit } from "./managers/phases.mjs";
import { Samples, table } from "./managers/report.mjs";
import { startBenchServer } from "./managers/server.mjs";
import { sizes } from "./managers/visit.mjs";

/** The network profiles: loopback as is, and Lighthouse's slow 4G (mobile). */
const PROFILES = [
  { id: "loopback", name: "loopback", throttle: null },
  {
    id: "slow-4g",
    name: "slow 4G",
    throttle: {
      offline: false,
      latency: 150,
      downloadThroughput: (1638.4 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    },
  },
];

/** `--runs N` (default 5, at least 1) and `--smoke`. */
function options(args) {
  const smoke = args.includes("--smoke");
  const at = args.indexOf("--runs");
  const runs = at >= 0 ? Number(args[at + 1]) : smoke ? 1 : 5;
  const known = new Set(["--smoke", "--runs", at >= 0 ? args[at + 1] : "--runs"]);
  const unknown = args.filter((a) => !known.has(a));
  if (!Number.isInteger(runs) || runs < 1 || unknown.length) {
    throw new Error(`usage: managers.mjs [--runs N] [--smoke] (got ${args.join(" ")})`);
  }
  return { smoke, runs, profiles: smoke ? PROFILES.slice(0, 1) : PROFILES };
}

/** Assent's `#assent-config` for the bench policy, with consent records on, as a page embeds it. */
async function assentConfig() {
  const policy = join(POLICIES_DIR, "bench.toml");
  const { stdout } = await promisify(execFile)(
    "cargo",
    ["xtask", "policy", "config", policy, "--records", RECORDS_ENDPOINT],
    { cwd: ROOT },
  );
  return JSON.stringify(JSON.parse(stdout)).replaceAll("<", "\\u003c");
}

/** Adds `extra` (sizes) to a visit's bytes. */
const withInline = (bytes, extra) => ({
  ...bytes,
  raw: bytes.raw + extra.raw,
  gzip: bytes.gzip + extra.gzip,
  brotli: bytes.brotli + extra.brotli,
  files: [...bytes.files, { path: "#assent-config (inline)", counted: true, ...extra }],
});

/** The candidates in run `run`'s order (rotated, so none is always first). */
const rotated = (run) => CANDIDATES.map((_, i) => CANDIDATES[(i + run) % CANDIDATES.length]);

/** A bench still running after this long is stuck (a run takes about a minute). */
const runLimitMs = (runs) => (5 + 5 * runs) * 60_000;

async function main() {
  const { smoke, runs, profiles } = options(process.argv.slice(2));
  const started = Date.now();
  setTimeout(() => {
    console.error(`bench: error: still running after ${runLimitMs(runs) / 60_000} min, giving up`);
    process.exit(1);
  }, runLimitMs(runs)).unref();
  const config = await assentConfig();
  const inline = sizes(Buffer.from(config));
  const pages = new Map();
  for (const c of CANDIDATES) pages.set(`/managers/${c.id}.html`, await hostPage(c, config));

  const store = await ledgerStore();
  const ledger = await startLedger(store, { policies: POLICIES_DIR });
  const server = await startBenchServer({
    pages,
    managersDir: MANAGERS_DIR,
    mounts: vendorMounts(ROOT),
    siteDir: SITE_DIR,
    ledger,
  });
  const browser = await launchBrowser();
  const env = { browser, server };
  const samples = new Samples();
  const firstFiles = {};
  const axe = {};
  try {
    console.log(`bench: ${runs} run(s), ${profiles.map((p) => p.name).join(" and ")}; Assent from ${SITE_DIR}`);
    const accepted = {};
    for (const c of CANDIDATES) accepted[c.id] = await acceptAll(env, c, PROFILES[0]);

    for (let run = 0; run < runs; run++) {
      for (const profile of profiles) {
        const runStarted = Date.now();
        for (const c of rotated(run)) {
          const first = await firstVisit(env, c, profile);
          if (c.id === "assent") first.bytes = withInline(first.bytes, inline);
          firstFiles[c.id] ??= first.bytes.files;
          samples.addVisit(c.id, profile.id, "first", first);
          samples.add(c.id, profile.id, "bannerMs", first.bannerMs);
          samples.add(c.id, profile.id, "rejectMs", first.rejectMs);

          // A return visit's budget is the loader's, as it always was
          // (docs/loader.md): the inline configuration is counted on the
          // first visit, and shown on its own.
          const back = await returnVisit(env, c, profile, accepted[c.id]);
          samples.addVisit(c.id, profile.id, "return", back);
          samples.add(c.id, profile.id, "gatedMs", back.gatedMs);

          const settings = await customize(env, c, profile);
          samples.add(c.id, profile.id, "dialogMs", settings.dialogMs);
          samples.add(c.id, "any", "customize.wasm", settings.wasm);
        }
        console.log(`bench: run ${run + 1}/${runs}, ${profile.name}: ${((Date.now() - runStarted) / 1000).toFixed(1)} s`);
      }
    }
    for (const c of CANDIDATES) axe[c.id] = await accessibility(env, c, PROFILES[0]);
  } finally {
    await browser.close();
    await server.close();
    await ledger.stop().catch((e) => console.error(`bench: ${e.message}`));
    await store.remove();
  }

  console.log(`\n${table(samples, CANDIDATES, profiles, axe)}\n`);
  console.log("fetched on a first visit through Reject all (gzip -9, each file on its own):");
  for (const c of CANDIDATES) {
    const list = firstFiles[c.id].map((f) => `${f.path} ${f.gzip} B${f.counted ? "" : " (the site's backend: not counted)"}`).join(", ");
    console.log(`  ${c.name}: ${list}`);
  }
  console.log(`  Assent's inline #assent-config alone: ${inline.gzip} B (counted on the first visit, not in the return visit's total)`);
  const wasm = sizes(await readFile(join(SITE_DIR, "assent_bg.wasm")));
  const glue = sizes(await readFile(join(SITE_DIR, "assent.js")));
  console.log(
    `Assent's widget (assent_bg.wasm + assent.js), gzip -9: ${((wasm.gzip + glue.gzip) / 1024).toFixed(1)} KiB` +
      ` (${wasm.gzip} + ${glue.gzip} B)`,
  );
  const took = `${((Date.now() - started) / 1000).toFixed(0)} s`;
  if (smoke) {
    console.log(`\nbench --smoke: every candidate showed its banner, honoured Reject all and Accept all, opened its preferences (${took}); budgets not judged`);
    return 0;
  }
  const verdicts = judge(samples, "assent", CANDIDATES.filter((c) => c.id !== "assent"), profiles);
  console.log(`\nAssent's budgets (medians of ${runs} runs):`);
  for (const line of verdictLines(verdicts)) console.log(`  ${line}`);
  const missed = verdicts.filter((v) => !v.ok).length;
  console.log(`\nbench: ${verdicts.length - missed} budgets met, ${missed} missed (${took})`);
  return missed ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`bench: error: ${e?.stack ?? e}`);
    process.exit(1);
  },
);
