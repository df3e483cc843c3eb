// What the loader's consent records say about their event
// (www/loader/records.js `event`) against every case of
// tests/vectors/records.json, which assent-core writes from `record::purposes`
// and `record::Method::of`: on several page configurations, each purpose's
// state (given, refused, withdrawn, expired, not-required) and basis, in
// order, and the record's method, so a record made without the widget says
// what one made with it says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { event } from "../../www/loader/records.js";
import { evaluate } from "../../www/loader/rules.js";
import { loadVectors } from "./vectors.mjs";

const { configurations, cases } = loadVectors("records.json");

// The chain's `last` (the states by kind initial and id) of a record whose
// purposes are `purposes`.
const last = (purposes) => Object.fromEntries(purposes.map((p) => [p.kind[0] + p.id, p.state]));

test("the vector file has every state, method and configuration", () => {
  const states = new Set(cases.flatMap((c) => c.purposes.map((p) => p.state)));
  for (const s of ["given", "refused", "withdrawn", "expired", "not-required"]) assert.ok(states.has(s), s);
  for (const m of ["accept-all", "reject-all", "preferences", "allow-service", "expiry"])
    assert.ok(cases.some((c) => c.method === m), m);
  for (const name of Object.keys(configurations)) assert.ok(cases.some((c) => c.configuration === name), name);
});

for (const c of cases) {
  test(`record: ${c.name}`, () => {
    const v = evaluate(c.stored, c.rules, c.now, c.gpc);
    assert.equal(v.status, c.status, "status");
    const e = event(configurations[c.configuration], v, c["asked-method"] ?? undefined, last(c.previous));
    assert.equal(e.method, c.method, "method");
    assert.deepEqual(e.purposes, c.purposes, "purposes");
    assert.deepEqual(e.last, last(c.purposes), "the states kept for the next record");
  });
}

test("event: a category without `basis` (a hand-written configuration) gets consent, necessary legitimate interest", () => {
  const v = evaluate("v2.a1m0p0.accept-all.1.0.0.", {}, 2, false);
  const categories = [{ id: "necessary" }, { id: "analytics", services: [{ id: "audience" }] }];
  assert.deepEqual(
    event(categories, v, undefined, {}).purposes.map((p) => p.basis),
    ["legitimate-interest", "consent", "consent"],
  );
});
