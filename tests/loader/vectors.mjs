// The shared test vectors that assent-core writes into tests/vectors/
// (`cargo xtask vectors`, crates/assent-core/src/vectors.rs), for the tests
// that hold the loader's JavaScript twins to core, and the shapes they share.
import { readFileSync } from "node:fs";

// The document `tests/vectors/<name>`. Fails loudly (not "0 tests passed")
// when the file is missing or has no cases.
export function loadVectors(name) {
  const file = new URL("../vectors/" + name, import.meta.url);
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read the shared test vectors ${file.pathname} (run \`cargo xtask vectors\`): ${e.message}`);
  }
  if (!Array.isArray(doc?.cases) || doc.cases.length === 0) {
    throw new Error(`${file.pathname} has no cases`);
  }
  return doc;
}

// A loader decision (rules.js `decode`, choice.js `decide`) in the vectors'
// kebab-case shape; null stays null.
export const decisionJson = (d) =>
  d && {
    categories: { ...d.categories },
    services: { ...d.services },
    method: d.method,
    "decided-at": d.decidedAt,
    revision: d.revision,
    gpc: d.gpc,
  };

// The loader's effective choice (rules.js `evaluate`) in the vectors'
// kebab-case shape; null stays null.
export const effectiveJson = (e) =>
  e && { categories: { ...e.categories }, services: { ...e.services }, "gpc-refused": e.gpcRefused };

// The `states` keys of a consent case: what `state(verdict, categories,
// service)` is asked (core's `STATE_PROBES` in
// crates/assent-core/src/vectors/consent.rs).
export const STATE_PROBES = {
  necessary: ["necessary"],
  analytics: ["analytics"],
  marketing: ["marketing"],
  personalization: ["personalization"],
  "service ads": ["marketing", "ads"],
  "service youtube": ["marketing", "youtube"],
  "service audience": ["analytics", "audience"],
};
