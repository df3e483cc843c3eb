// The consent records' JCS canonicaliser (www/loader/jcs.js, RFC 8785)
// on the values a consent record holds (strings, integers, booleans, null,
// arrays, objects): every case of the shared vectors tests/vectors/jcs.json
// (written by assent-core with serde_jcs, replayed by the ledger's jcs.rs
// too), byte for byte, and against the npm reference implementation
// `canonicalize` on those, on fixed cases that each exercise one rule, then on
// seeded random trees. A record whose payload is not the JCS form of itself is
// refused by the ledger (`not-canonical`), so they must all agree.
import { test } from "node:test";
import assert from "node:assert/strict";
import canonicalize from "canonicalize";
import { jcs } from "../../www/loader/jcs.js";
import { loadVectors } from "./vectors.mjs";

const utf8 = (s) => Buffer.from(s, "utf8");

for (const c of loadVectors("jcs.json").cases)
  test(`jcs vector: ${c.name}`, () => {
    const value = JSON.parse(c.json);
    assert.deepEqual(utf8(jcs(value)), utf8(c.canonical), "jcs.js");
    assert.deepEqual(utf8(canonicalize(value)), utf8(c.canonical), "canonicalize (the npm reference) agrees with the vector");
  });

const CASES = {
  "keys sort by UTF-16 code units, not code points (U+10000 before U+FFFD)": { "\u{10000}": 1, "\ufffd": 2, a: 3, B: 4, "": 5 },
  "nested objects and arrays keep array order": { z: [3, { b: 1, a: [null, true, false] }, []], a: {} },
  "strings: quotes, backslash, control characters, U+2028, non-ASCII as is": ["\"\\\b\f\n\r\t\u0000\u001f\u007f\u2028é€😀"],
  "integers: zero, negative zero, the largest safe ones, large exponents": [0, -0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 1e21, 1763906400000],
  "a consent record": {
    schema: "assent-record/1",
    seq: 2,
    previous: null,
    purposes: [{ id: "necessary", kind: "category", state: "not-required", basis: "legitimate-interest" }],
    "valid-until": 1779631200000,
    controller: { name: "QR Communication", contact: "contact@qrcommunication.com" },
  },
  "undefined members are left out": { a: undefined, b: 1 },
};

for (const [name, value] of Object.entries(CASES))
  test(`jcs: ${name}`, () => assert.equal(jcs(value), canonicalize(value)));

// I-JSON, which JCS requires: a string with an unpaired surrogate (as a value
// or a key), NaN and Infinity are refused by both, never written.
test("jcs: refuses what canonicalize refuses (lone surrogates, NaN, Infinity)", () => {
  for (const bad of [["\ud800"], { k: "a\udfffb" }, { "\udc00": 1 }, "x\ud83d", NaN, [Infinity]]) {
    assert.throws(() => canonicalize(bad), JSON.stringify(bad));
    assert.throws(() => jcs(bad), JSON.stringify(bad));
  }
  assert.equal(jcs("\ud83d\ude00"), canonicalize("\ud83d\ude00"));
});

// The outcome of `f`: its value, or "throws".
const outcome = (f) => {
  try {
    return f();
  } catch {
    return "throws";
  }
};

// A small seeded PRNG (mulberry32), so a failure names a reproducible seed.
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const CODE_UNITS = [0x0, 0x1f, 0x22, 0x2f, 0x41, 0x5c, 0x7f, 0xe9, 0x2028, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff, 0xffff];
const randomString = (r) =>
  Array.from({ length: Math.floor(r() * 6) }, () =>
    String.fromCharCode(r() < 0.5 ? CODE_UNITS[Math.floor(r() * CODE_UNITS.length)] : Math.floor(r() * 0x10000)),
  ).join("");
const randomValue = (r, depth) => {
  const k = Math.floor(r() * (depth > 3 ? 4 : 6));
  if (k == 0) return randomString(r);
  if (k == 1) return Math.floor((r() - 0.5) * 2 ** (r() * 54));
  if (k == 2) return r() < 0.5;
  if (k == 3) return null;
  if (k == 4) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(r() * 5) }, () => [randomString(r), randomValue(r, depth + 1)]));
};

test("jcs: 2000 random trees of strings, integers, booleans, null, arrays and objects match canonicalize", () => {
  let refused = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const value = randomValue(prng(seed), 0);
    const want = outcome(() => canonicalize(value));
    refused += want == "throws";
    assert.equal(outcome(() => jcs(value)), want, `seed ${seed}: ${JSON.stringify(value)}`);
  }
  // Both branches were exercised: most trees are written, some refused.
  assert.ok(refused > 100 && refused < 1500, `${refused} refused`);
});
