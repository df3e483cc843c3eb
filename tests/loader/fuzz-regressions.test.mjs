// The loader's JavaScript twins replay every fuzz regression input of the
// targets that have a twin (`stored-value`: rules.js and choice.js; `jcs`:
// jcs.js): tests/fuzz/regressions/twins.json holds core's answers on each
// file of tests/fuzz/regressions/ (written by `cargo xtask fuzz`, kept
// current by crates/assent-fuzz/tests/regressions.rs), and tests/fuzz/twins.mjs
// compares the twins' answers as the shared vector tests do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { checkCase } from "../fuzz/twins.mjs";

const { cases } = JSON.parse(readFileSync(new URL("../fuzz/regressions/twins.json", import.meta.url), "utf8"));

test("the fuzz regression cases cover every twin", () => {
  for (const kind of ["consent", "decisions", "jcs"]) {
    assert.ok(cases.some((c) => c.kind === kind), `no ${kind} case`);
  }
});

for (const c of cases) test(`fuzz regression: ${c.name}`, () => assert.deepEqual(checkCase(c), []));
