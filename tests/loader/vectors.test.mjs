// The loader's rules (www/loader/rules.js) replay every shared test vector that
// assent-core writes (`cargo xtask vectors` -> tests/vectors/consent.json): same
// status, decoded decision, expiry, effective choice, gate outcome, reason and
// states, case by case, so the loader and the widget can never disagree on a
// stored decision.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, evaluate, expiresAt, gate, pick, reason, state } from "../../www/loader/rules.js";
import { STATE_PROBES, decisionJson, effectiveJson, loadVectors } from "./vectors.mjs";

const cases = loadVectors("consent.json").cases;

test("the vector file has cases of every status, reason and state", () => {
  assert.ok(cases.length >= 50, `only ${cases.length} cases`);
  for (const status of ["none", "expired", "outdated", "valid"]) {
    assert.ok(cases.some((c) => c.status === status), status);
  }
  for (const r of ["accept-all", "reject-all", "custom", "gpc", "expiry", "policy-change", "none"]) {
    assert.ok(cases.some((c) => c.reason === r), r);
  }
  for (const s of ["given", "refused", "expired"]) {
    assert.ok(cases.some((c) => Object.values(c.states).includes(s)), s);
  }
});

for (const c of cases) {
  test(`vector: ${c.name}`, () => {
    const v = evaluate(c.stored, c, c.now, c.gpc);
    assert.equal(v.status, c.status, "status");
    assert.deepEqual(decisionJson(v.decision), c.decision, "decision");
    assert.equal(v.decision ? expiresAt(v.decision, c) : null, c["expires-at"], "expires-at");
    assert.deepEqual(effectiveJson(v.effective), c.effective, "effective");
    assert.equal(v.effective !== null, v.status === "valid", "effective only when valid");
    // A broken value is reported (problem) and never decoded.
    if (c.stored !== null && c.stored.trim() && c.decision === null) {
      assert.ok(v.problem, "a broken value has a problem");
      assert.equal(decode(c.stored), null, "decode");
    }
    if (c.decision) assert.deepEqual(decisionJson(decode(c.stored)), c.decision, "decode");
    assert.ok(c.gates.length > 0, "gates");
    for (const g of c.gates) {
      assert.equal(
        gate(v.effective, g.category, g.service),
        g.run,
        `gate(${JSON.stringify(g.category)}, ${JSON.stringify(g.service)})`,
      );
    }
    assert.equal(reason(v), c.reason, "reason");
    // Every state core exports, no more, no less.
    assert.deepEqual(Object.keys(c.states).sort(), Object.keys(STATE_PROBES).sort(), "states keys");
    for (const [key, [categories, service]] of Object.entries(STATE_PROBES)) {
      assert.equal(state(v, categories, service), c.states[key], `state ${key}`);
    }
    // Picking among this value, nothing and a broken value gives this value's reading.
    const none = evaluate(null, c, c.now, c.gpc);
    const broken = evaluate("junk", c, c.now, c.gpc);
    const picked = pick([none, v, broken]);
    assert.equal(picked.status, c.status, "pick status");
    assert.deepEqual(decisionJson(picked.decision), c.decision, "pick decision");
    assert.equal(reason(picked), c.reason, "pick reason");
  });
}

test("pick: the newest valid value wins, then the newest decoded one (core rules::pick)", () => {
  const rules = { revision: 0, "consent-revision": 0, "lifetime-days": 182 };
  const now = 400 * 864e5;
  const ev = (s) => evaluate(s, rules, now, false);
  const old = ev(`v2.a1m1p1.accept-all.${now - 10}.0.0.`);
  const recent = ev(`v2.a0m0p0.reject-all.${now - 5}.0.0.`);
  const broken = ev("junk");
  const expired = ev("v2.a1m1p1.accept-all.0.0.0.");
  assert.equal(pick([old, broken, recent]), recent);
  assert.equal(pick([recent, old]), recent);
  assert.equal(pick([broken, expired]), expired);
  assert.equal(pick([expired, old]), old);
  assert.equal(pick([]).status, "none");
  // On a tie the later one wins, like Rust's max_by_key.
  const twin = ev(`v2.a1m1p1.accept-all.${now - 5}.0.0.`);
  assert.equal(pick([recent, twin]), twin);
  assert.equal(pick([twin, recent]), recent);
});

test("gate: a service id that names an Object.prototype member never grants", () => {
  const e = evaluate("v2.a0m0p0.reject-all.1.0.0.", {}, 2, false).effective;
  for (const id of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    assert.equal(gate(e, "marketing", id), false, id);
  }
  const d = decode("v2.a0m0p0.preferences.1.0.0.+__proto__");
  assert.equal(d.services.__proto__, true);
});
