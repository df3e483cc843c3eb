// The loader's JavaScript twins held to core on fuzzed inputs: `rules.js`
// (decode, evaluate, gate, state, reason, pick), `choice.js` (decide,
// encode) and `jcs.js` (jcs). assent-fuzz (`cargo xtask fuzz`,
// crates/assent-fuzz/src/twins.rs) writes each input with core's answers in
// the shapes of tests/vectors/ (consent.json, decisions.json, jcs.json),
// plus `kind`, `target` and `input`; `checkCase` lists every answer of the
// twins that differs, as the vector tests compare them (tests/loader/).
//
//   node tests/fuzz/twins.mjs --stream   cases as JSON lines on stdin; one JSON
//                                        line out per case the twins answer otherwise
//   node tests/fuzz/twins.mjs FILE       a document {cases: [...]}; prints every
//                                        disagreement, exits 1 if there is one
//
// tests/loader/fuzz-regressions.test.mjs replays the regression cases
// (tests/fuzz/regressions/twins.json) with `checkCase`.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { decide, encode } from "../../www/loader/choice.js";
import { jcs } from "../../www/loader/jcs.js";
import { decode, evaluate, expiresAt, gate, pick, reason, state } from "../../www/loader/rules.js";
import { STATE_PROBES, decisionJson, effectiveJson } from "../loader/vectors.mjs";

// A recorder of differences: `same(what, twin, core)`.
const differences = () => {
  const problems = [];
  const same = (what, got, want) => {
    if (!isDeepStrictEqual(got, want))
      problems.push(`${what}: twin ${JSON.stringify(got)}, core ${JSON.stringify(want)}`);
  };
  return { problems, same };
};

// rules.js and choice.js `encode` on a case of the consent.json shape.
function consent(c) {
  const { problems, same } = differences();
  const v = evaluate(c.stored, c, c.now, c.gpc);
  same("status", v.status, c.status);
  same("decision", decisionJson(v.decision), c.decision);
  same("expires-at", v.decision ? expiresAt(v.decision, c) : null, c["expires-at"]);
  same("effective", effectiveJson(v.effective), c.effective);
  const decoded = c.stored === null ? null : decode(c.stored);
  if (c.encoded !== null) same("encode(decode(stored))", decoded && encode(decoded), c.encoded);
  for (const g of c.gates)
    same(`gate(${JSON.stringify(g.category)}, ${JSON.stringify(g.service)})`, gate(v.effective, g.category, g.service), g.run);
  same("reason", reason(v), c.reason);
  for (const [key, [categories, service]] of Object.entries(STATE_PROBES))
    same(`state ${key}`, state(v, categories, service), c.states[key]);
  const picked = pick([evaluate(null, c, c.now, c.gpc), v, evaluate("junk", c, c.now, c.gpc)]);
  same("pick status", picked.status, c.status);
  return problems;
}

// choice.js `decide` and `encode` on a case of the decisions.json shape.
function decisions(c) {
  const { problems, same } = differences();
  const previous = c.previous === null ? null : decode(c.previous);
  same("decode(previous)", decisionJson(previous), c["previous-decision"]);
  const made = decide(c.action, c.context, previous);
  same("decision", decisionJson(made), c.decision);
  same("stored", encode(made), c.stored);
  same("decode(stored)", decisionJson(decode(c.stored)), c.decision);
  const { now, gpc } = c.context;
  const before = evaluate(c.previous, c.rules, now, gpc);
  const after = evaluate(encode(made), c.rules, now, gpc);
  same("previous status", before.status, c["previous-status"]);
  same("status after", after.status, c["after-status"]);
  const withdrawn = [
    ...["analytics", "marketing", "personalization"].filter((k) => gate(before.effective, k) && !gate(after.effective, k)),
    ...c.services
      .filter((s) => gate(before.effective, s.category, s.id) && !gate(after.effective, s.category, s.id))
      .map((s) => s.id),
  ];
  same("withdrawn", withdrawn, c.withdrawn);
  return problems;
}

// jcs.js on a case of the jcs.json shape.
function canonical(c) {
  const { problems, same } = differences();
  let value;
  try {
    value = JSON.parse(c.json);
  } catch (e) {
    return [`JSON.parse refuses a text serde_json reads: ${e.message}`];
  }
  let got;
  try {
    got = jcs(value);
  } catch (e) {
    got = `throws ${e.message}`;
  }
  same("jcs", got, c.canonical);
  return problems;
}

const CHECKS = { consent, decisions, jcs: canonical };

/** Every answer of the twins that differs from core's on case `c` (none: []). */
export function checkCase(c) {
  const check = CHECKS[c.kind];
  if (!check) return [`unknown kind ${JSON.stringify(c.kind)}`];
  try {
    return check(c);
  } catch (e) {
    return [`the twin throws: ${e.stack ?? e}`];
  }
}

async function stream() {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const c = JSON.parse(line);
    const problems = checkCase(c);
    if (problems.length)
      console.log(JSON.stringify({ target: c.target, kind: c.kind, name: c.name, input: c.input, problems }));
  }
}

function file(path) {
  const { cases } = JSON.parse(readFileSync(path, "utf8"));
  let disagreements = 0;
  for (const c of cases) {
    const problems = checkCase(c);
    if (!problems.length) continue;
    disagreements++;
    console.log(`${c.name}:\n  ${problems.join("\n  ")}`);
  }
  console.log(`${cases.length} cases, ${disagreements} disagreements`);
  process.exitCode = disagreements ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  if (arg === "--stream") await stream();
  else if (arg) file(arg);
  else {
    console.error("usage: node tests/fuzz/twins.mjs --stream | FILE");
    process.exitCode = 2;
  }
}
