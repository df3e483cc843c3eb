// End-to-end, randomized: hundreds of page loads and choices on the fixture shop
// page (tests/e2e/fixtures/shop.html), driven by a seeded PRNG, under random
// policies (randomized/policies.mjs: categories and services left out, one more
// service, other lifetimes). Visitors (randomized/visitor.mjs) arrive with
// nothing stored or holding a valid, expired, outdated or tampered value, some
// with storage blocked, and browse with GPC on or off; they decide from the
// banner, the preferences (category and service switches), the floating button,
// the site's link or the API, use embed placeholders, reset, insert gated
// scripts and iframes as a single-page app does, and sometimes click the moment
// the page commits, before the widget is there (randomized/actions.mjs).
//
// The rule it proves: no gated script or iframe ever runs or is even requested
// before consent to its category and service, and every allowed one runs exactly
// once per page view. Also checked on the way: a return visit with a valid choice
// does not load the widget, the banner shows exactly when there is no valid
// choice, the preferences show what actually applies, and the stored value (or,
// with storage blocked, what the page reports) says what was chosen. The oracle
// (randomized/oracle.mjs) is the rules of docs/consent-manager.md, written
// independently of the loader's and core's code.
//
// ASSENT_E2E_SEED=<n> replays a run; ASSENT_E2E_LOADS=<n> changes the number of
// page loads (default 200); ASSENT_E2E_STREAMS=<n> runs n visitors at a time
// (default 1; `cargo xtask soak` runs several), each with its own PRNG drawn
// from the seed. Every violation is collected and reported at the end with the
// seed, the load and the step that showed it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { policyConfig, useSiteAndBrowser } from "./support.mjs";
import { prng } from "../support/random.mjs";
import { policyModel } from "./randomized/oracle.mjs";
import { randomPolicies } from "./randomized/policies.mjs";
import { VisitorStream } from "./randomized/visitor.mjs";

const SEED = Number(process.env.ASSENT_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
const LOADS = Number(process.env.ASSENT_E2E_LOADS ?? 200);
const STREAMS = Number(process.env.ASSENT_E2E_STREAMS ?? 1);

const seeds = prng(SEED);
const generated = randomPolicies(seeds, 6);
const site = useSiteAndBrowser({ policyDir: generated.dir });

/** Each kind of violation once, with how often, where first, and a few examples. */
function report(violations) {
  const kinds = new Map();
  for (const v of violations) {
    const k = kinds.get(v.kind) ?? { count: 0, first: v, examples: new Set() };
    k.count += 1;
    if (k.examples.size < 4) k.examples.add(v.detail.replace(/ on a page view .*/, "").slice(0, 200));
    kinds.set(v.kind, k);
  }
  return [...kinds].map(
    ([kind, { count, first, examples }]) =>
      `${kind} (${count}×), first at ${first.at}: ${first.detail}; examples: ${[...examples].join(" | ")}`,
  );
}

test(`randomized: no gated script or iframe loads before consent, every allowed one runs exactly once (${LOADS} loads)`, async (t) => {
  const banner = `randomized e2e: seed ${SEED} (replay with ASSENT_E2E_SEED=${SEED}), ${LOADS} page loads, ${STREAMS} at a time`;
  console.log(banner);
  t.diagnostic(banner);
  t.after(() => rmSync(generated.dir, { recursive: true, force: true }));

  // Each policy is built and linted once, by the build (a broken one fails here).
  const policies = [];
  for (const name of generated.names) {
    policies.push({ name, model: policyModel(await policyConfig(name, { dir: generated.dir })) });
  }
  const started = Date.now();
  const violations = [];
  const stats = { loads: 0, visitors: 0, gpcLoads: 0, early: 0, spaElements: 0, checkpoints: 0,
    held: {}, policies: {}, actions: {} };
  // A long run (the soak) says how it goes every 500 loads.
  const progress = () =>
    console.log(`randomized e2e: ${stats.loads} of ${LOADS} loads, ` +
      `${((stats.loads * 60) / ((Date.now() - started) / 1000)).toFixed(0)} loads/min, ${violations.length} violations so far`);
  const nextLoad = () => {
    if (stats.loads >= LOADS) return null;
    if (stats.loads % 500 === 0 && stats.loads > 0) progress();
    return ++stats.loads;
  };
  const streams = Array.from(
    { length: STREAMS },
    () => new VisitorStream({ site, seed: Math.floor(seeds() * 2 ** 31), policies, stats, violations }),
  );
  await Promise.all(streams.map((stream) => stream.run(nextLoad)));

  const seconds = (Date.now() - started) / 1000;
  const summary = `randomized e2e: seed ${SEED}: ${stats.loads} loads (${STREAMS} at a time), ${stats.visitors} visitors, ` +
    `${stats.gpcLoads} under GPC, ${stats.early} acting before the widget, ${stats.spaElements} elements inserted after load, ` +
    `${stats.checkpoints} checkpoints, ${seconds.toFixed(0)} s (${((stats.loads * 60) / seconds).toFixed(0)} loads/min), ` +
    `${violations.length} violations; policies ${JSON.stringify(stats.policies)}; visitors holding ` +
    `${JSON.stringify(stats.held)}; actions ${JSON.stringify(stats.actions)}`;
  console.log(summary);
  t.diagnostic(summary);
  const found = report(violations);
  assert.deepEqual(found, [], `seed ${SEED}: the rules were broken:\n  ${found.join("\n  ")}`);
});
