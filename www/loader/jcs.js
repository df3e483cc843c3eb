// jcs.js: JCS (RFC 8785) for what a consent record holds: strings, integers,
// booleans, null, arrays and objects, held byte for byte to core's
// canonicaliser by tests/vectors/jcs.json (tests/loader/jcs.test.mjs).
//
// JSON.stringify already writes strings and numbers as JCS does (ECMAScript
// serialisation); keys sort by UTF-16 code units, which is what Array#sort
// compares. `undefined` members are left out, as JSON does. What I-JSON
// (RFC 7493, required by JCS) forbids throws: a lone surrogate (`\p{Cs}`
// matches only unpaired ones in a `u` regex), NaN, Infinity.

/** The canonical JSON text of `value`. */
export const jcs = (value) => {
  if (typeof value == "string" ? /\p{Cs}/u.test(value) : typeof value == "number" && !isFinite(value))
    throw Error("not I-JSON: " + JSON.stringify(value));
  if (!value || typeof value != "object") return JSON.stringify(value);
  if (Array.isArray(value)) return "[" + value.map(jcs) + "]";
  const keys = Object.keys(value)
    .sort()
    .filter((key) => value[key] !== undefined);
  return "{" + keys.map((key) => jcs(key) + ":" + jcs(value[key])) + "}";
};
