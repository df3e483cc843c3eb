// Where the widget's wasm bytes are: code size per crate and the largest
// functions, read from a module that kept its names.
//
//   wasm-bindgen --target web --no-typescript --out-dir OUT target/wasm32-unknown-unknown/release/assent.wasm
//   wasm-opt -Oz -g <the flags of www/index.html> OUT/assent_bg.wasm -o named.wasm
//   node tests/bench/wasm-size.mjs named.wasm [top]
//
// `-g` keeps the names wasm-opt otherwise drops; the code is the same as the
// shipped module's. A function is counted under the crate its demangled path
// starts with (for `<T as Trait>::f`, the crate of `T`); wasm-bindgen's and
// wasm-opt's own helpers have no crate. Sizes are raw bytes of function bodies:
// gzip shrinks them all by about the same ratio, so shares hold.

import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node tests/bench/wasm-size.mjs MODULE.wasm [top]");
  process.exit(2);
}
const top = Number(topArg || 30);
const bytes = readFileSync(file);

let at = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
};
const name = () => {
  const n = leb();
  const s = bytes.subarray(at, at + n).toString("utf8");
  at += n;
  return s;
};

const sections = [];
let importedFunctions = 0;
let bodies = [];
const names = new Map();
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  let label = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"][id];
  if (id === 0) label = "custom " + name();
  if (id === 2) {
    for (let i = leb(); i > 0; i--) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) {
        importedFunctions++;
        leb();
      } else break; // function imports come first in wasm-bindgen's output
    }
  }
  if (id === 10) {
    const count = leb();
    for (let i = 0; i < count; i++) {
      const len = leb();
      bodies.push({ index: importedFunctions + i, size: len });
      at += len;
    }
  }
  if (label === "custom name") {
    while (at < end) {
      const sub = bytes[at++];
      const len = leb();
      const subEnd = at + len;
      if (sub === 1) {
        for (let i = leb(); i > 0; i--) {
          const index = leb();
          names.set(index, name());
        }
      }
      at = subEnd;
    }
  }
  sections.push({ label, size });
  at = end;
}

// Rust's legacy mangling: _ZN <len><ident>… 17h<hash> E, with $LT$ and friends.
const demangle = (s) => {
  if (!s.startsWith("_ZN")) return s;
  let i = 3;
  const parts = [];
  while (i < s.length && s[i] !== "E") {
    let j = i;
    while (s[j] >= "0" && s[j] <= "9") j++;
    const n = Number(s.slice(i, j));
    if (!n) break;
    parts.push(s.slice(j, j + n));
    i = j + n;
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  const codes = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };
  return parts
    .map((p) =>
      p
        .replace(/^_\$/, "$")
        .replace(/\$([A-Z]{1,2}|u[0-9a-f]+)\$/g, (_, c) =>
          c[0] === "u" ? String.fromCodePoint(parseInt(c.slice(1), 16)) : codes[c] ?? c,
        )
        .replace(/\.\./g, "::"),
    )
    .join("::");
};
const crateOf = (path) => {
  path = path.replace(/\[[0-9a-f]{16}\]/g, "");
  const m =
    path.match(/^<+&?(?:mut |dyn )?([A-Za-z_][A-Za-z0-9_]*)::/) ||
    path.match(/^<[^<>]* as <?([A-Za-z_][A-Za-z0-9_]*)::/) ||
    path.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
  return m ? m[1] : "(no crate: " + path.replace(/[0-9_]+$/, "").slice(0, 40) + ")";
};

const fns = bodies.map((b) => {
  const path = demangle(names.get(b.index) ?? `#${b.index}`);
  return { ...b, path, crate: crateOf(path) };
});
const code = fns.reduce((a, f) => a + f.size, 0);
const pct = (n) => ((100 * n) / code).toFixed(1).padStart(5) + " %";

console.log(`${file}: ${bytes.length} B`);
for (const s of sections) if (s.size > 256) console.log(`  section ${s.label.padEnd(24)} ${String(s.size).padStart(8)} B`);
console.log(`\ncode by crate (${fns.length} functions, ${code} B):`);
const byCrate = new Map();
for (const f of fns) {
  const c = byCrate.get(f.crate) ?? { size: 0, count: 0 };
  c.size += f.size;
  c.count++;
  byCrate.set(f.crate, c);
}
for (const [crate, c] of [...byCrate].sort((a, b) => b[1].size - a[1].size).slice(0, top))
  console.log(`  ${String(c.size).padStart(8)} B ${pct(c.size)}  ${String(c.count).padStart(5)} fns  ${crate}`);
console.log(`\nlargest functions:`);
for (const f of [...fns].sort((a, b) => b.size - a.size).slice(0, top))
  console.log(`  ${String(f.size).padStart(8)} B ${pct(f.size)}  ${f.path.slice(0, 150)}`);
