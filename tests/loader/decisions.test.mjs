// The loader's decisions (www/loader/choice.js) replay every case of
// tests/vectors/decisions.json, which assent-core writes from `Action::decide`
// and `Decision::encode`: Accept all and Reject all (a one-click withdrawal is
// Reject all over the previous decision) on every kind of previous decision,
// with and without GPC, under several revisions give the same decision, the
// same stored value, and withdraw the same categories and services, so the
// first layer may decide without the widget. Every stored value of the shared
// vectors also reads back and writes again unchanged (rules.js `decode`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, encode } from "../../www/loader/choice.js";
import { decode, evaluate, gate, OPTIONAL } from "../../www/loader/rules.js";
import { decisionJson, loadVectors } from "./vectors.mjs";

const { services, cases } = loadVectors("decisions.json");

// What the decision withdrew, as decide.js lists it in `assent:change`: the
// optional categories, then the services, that ran under the previous
// verdict's effective choice and are held under the new one (core
// `rules::withdrawn`).
const withdrawn = (before, after) => [
  ...OPTIONAL.filter((k) => gate(before, k) && !gate(after, k)),
  ...services.filter((s) => gate(before, s.category, s.id) && !gate(after, s.category, s.id)).map((s) => s.id),
];

test("the vector file has both actions, withdrawals and every previous status", () => {
  assert.ok(cases.length >= 90, `only ${cases.length} cases`);
  for (const action of ["accept-all", "reject-all"]) assert.ok(cases.some((c) => c.action === action), action);
  for (const status of ["none", "valid", "expired", "outdated"])
    assert.ok(cases.some((c) => c["previous-status"] === status), status);
  assert.ok(cases.some((c) => c.withdrawn.length > 0), "a withdrawal");
  assert.ok(cases.some((c) => c.context.gpc && c.action === "accept-all"), "accept all under GPC");
});

for (const c of cases) {
  test(`decision: ${c.name}`, () => {
    const previous = c.previous === null ? null : decode(c.previous);
    assert.equal(previous === null, c.previous === null, "the previous decision reads");
    const made = decide(c.action, c.context, previous);
    assert.deepEqual(decisionJson(made), c.decision, "decision");
    assert.equal(encode(made), c.stored, "stored");
    assert.deepEqual(decisionJson(decode(c.stored)), c.decision, "decode(stored)");
    const { now, gpc } = c.context;
    const before = evaluate(c.previous, c.rules, now, gpc);
    assert.equal(before.status, c["previous-status"], "previous status");
    const after = evaluate(encode(made), c.rules, now, gpc);
    assert.equal(after.status, "valid", "a decision holds on the page it was made on");
    assert.deepEqual(withdrawn(before.effective, after.effective), c.withdrawn, "withdrawn");
  });
}

test("decide: an action the loader does not make decides nothing", () => {
  const context = { now: 1, revision: 1, gpc: false };
  for (const action of ["preferences", "allow-service", "save", "", undefined]) {
    assert.equal(decide(action, context, null), null, String(action));
  }
});

test("decide: services have no prototype (an id like `constructor` never reads as granted)", () => {
  const d = decide("accept-all", { now: 1, revision: 0, gpc: false }, null);
  assert.equal(Object.getPrototypeOf(d.services), null);
  assert.equal(gate({ ...d, gpcRefused: false }, "marketing", "constructor"), true, "its category decides");
  assert.equal("constructor" in d.services, false);
});

test("encode: decode(encode(x)) is x, and encode(decode(s)) is s, for every stored value of the shared vectors", () => {
  const stored = [
    ...cases.flatMap((c) => [c.previous, c.stored]),
    ...loadVectors("consent.json").cases.map((c) => c.stored),
    ...loadVectors("records.json").cases.map((c) => c.stored),
  ].filter((s) => s !== null && decode(s) !== null);
  assert.ok(stored.length > 200, `${stored.length} values`);
  for (const s of stored) {
    const d = decode(s);
    assert.equal(encode(d), s.trim(), s);
    assert.deepEqual(decisionJson(decode(encode(d))), decisionJson(d), s);
  }
});

test("encode: service exceptions in id order; an id the stored form cannot hold is left out (core `Decision::encode`)", () => {
  const d = decide("reject-all", { now: 7, revision: 3, gpc: true }, null);
  Object.assign(d.services, { youtube: true, ads: false, "a b": true, "": true, ["x".repeat(65)]: true, B_2: false });
  assert.equal(encode(d), "v2.a0m0p0.reject-all.7.3.1.-B_2~-ads~+youtube");
});
