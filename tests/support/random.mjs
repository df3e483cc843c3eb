// The seeded randomness of the randomized suites (tests/e2e/randomized.test.mjs,
// tests/soak/): a run prints its seed, and the same seed replays it.

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `options` ([value, weight]) by weight, drawn with `random`. */
export function weighted(random, options) {
  const live = options.filter(([, w]) => w > 0);
  let r = random() * live.reduce((n, [, w]) => n + w, 0);
  for (const [value, w] of live) if ((r -= w) < 0) return value;
  return live.at(-1)[0];
}
