// The visits the bench measures (docs/bench.md), each in a fresh browser
// context: a first visit through Reject all, a return visit after an earlier
// Accept all, Customize on a first visit, and the accessibility check. A
// candidate that does not do what it is configured to (no banner, a gated tag
// running after Reject all, the banner again on a return visit) fails the
// bench: its numbers would mean nothing.
import { axeViolations } from "../../e2e/support.mjs";
import { locatorOf } from "./candidates.mjs";
import { WAIT_MS, openVisit } from "./visit.mjs";

/**
 * Clicks a candidate's control once the page has settled (load event, quiet
 * network): a banner can show before its buttons listen (tarteaucitron's
 * do not, at first), and a visitor reads it before clicking anyway. The
 * times measured after a click start at the click.
 */
async function click(visit, candidate, control) {
  await visit.settle();
  return visit.page
    .locator(locatorOf(candidate[control]))
    .click({ timeout: WAIT_MS })
    .catch((e) => {
      throw new Error(`${candidate.name}: cannot click its ${control} control (${e.message})`);
    });
}

/**
 * First visit, banner, Reject all: `{ bannerMs, rejectMs, bytes, tbt,
 * layoutShift, peakHeap }`.
 */
export async function firstVisit(env, candidate, profile) {
  const visit = await openVisit(env, candidate, profile);
  try {
    await visit.open();
    await visit.until("bannerAt", "the banner");
    await click(visit, candidate, "reject");
    await visit.until("rejectedAt", "Reject all (banner hidden and refusal stored)");
    const found = await visit.finish();
    if (found.ranAnalytics !== null || found.ranMarketing !== null) {
      throw new Error(`${candidate.name}: a gated tag ran after Reject all`);
    }
    return { ...found, bannerMs: found.bannerAt, rejectMs: found.rejectedAt - found.clickAt };
  } finally {
    await visit.close();
  }
}

/**
 * A visit that clicks Accept all and returns its cookies and storage
 * (Playwright's storage state) for the return visits.
 */
export async function acceptAll(env, candidate, profile) {
  const visit = await openVisit(env, candidate, profile);
  try {
    await visit.open();
    await visit.until("bannerAt", "the banner");
    await click(visit, candidate, "accept");
    await visit.page
      .waitForFunction(() => window.__bench.storedAs("accepted"), null, { timeout: WAIT_MS })
      .catch((e) => {
        throw new Error(`${candidate.name}: Accept all stored no consent (${e.message})`);
      });
    await visit.finish();
    return await visit.context.storageState();
  } finally {
    await visit.close();
  }
}

/**
 * Return visit with consent given: `{ gatedMs, bytes, tbt, layoutShift,
 * peakHeap }`; `gatedMs`: until both gated tags have run.
 */
export async function returnVisit(env, candidate, profile, storageState) {
  const visit = await openVisit(env, candidate, profile, storageState);
  try {
    await visit.open();
    await visit.page
      .waitForFunction(() => window.__ranAnalytics !== undefined && window.__ranMarketing !== undefined, null, {
        timeout: WAIT_MS,
      })
      .catch((e) => {
        throw new Error(`${candidate.name}: the gated tags did not run on a return visit (${e.message})`);
      });
    const found = await visit.finish();
    if (found.bannerAt !== null) throw new Error(`${candidate.name}: the banner showed again on a return visit`);
    return { ...found, gatedMs: Math.max(found.ranAnalytics, found.ranMarketing) };
  } finally {
    await visit.close();
  }
}

/**
 * First visit, banner, Customize: `{ dialogMs, wasm }`, from the click to the
 * dialog shown, and whether the visit fetched a `.wasm`.
 */
export async function customize(env, candidate, profile) {
  const visit = await openVisit(env, candidate, profile);
  try {
    await visit.open();
    await visit.until("bannerAt", "the banner");
    await click(visit, candidate, "customize");
    await visit.until("dialogAt", "the preferences dialog");
    const found = await visit.probe();
    return { dialogMs: found.dialogAt - found.clickAt, wasm: visit.fetchedWasm() };
  } finally {
    await visit.close();
  }
}

/** axe-core's violations on a first visit with the banner shown: `[{ id, impact, nodes }]`. */
export async function accessibility(env, candidate, profile) {
  const visit = await openVisit(env, candidate, profile);
  try {
    await visit.open();
    await visit.until("bannerAt", "the banner");
    await visit.finish();
    // The banner's entrance animation over, so colours are read as they end up.
    await visit.page.waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
      null,
      { timeout: WAIT_MS },
    );
    return await axeViolations(visit.page);
  } finally {
    await visit.close();
  }
}
