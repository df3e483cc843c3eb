// The bench's numbers (docs/bench.md): every sample of every visit, their
// medians, and the one table `cargo xtask bench` prints, a column per
// candidate and a row per measure (per network profile where the network
// matters).

/** The median of `values` (the mean of the middle two for an even count); null if empty. */
export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Samples by candidate, profile (`any` for bytes, which no profile changes) and measure. */
export class Samples {
  #values = new Map();

  /** Adds one sample (a number, or a boolean counted as 0/1). */
  add(candidate, profile, measure, value) {
    const key = `${candidate}|${profile}|${measure}`;
    if (!this.#values.has(key)) this.#values.set(key, []);
    this.#values.get(key).push(typeof value === "boolean" ? Number(value) : value);
  }

  /** Every sample of one cell. */
  all(candidate, profile, measure) {
    return this.#values.get(`${candidate}|${profile}|${measure}`) ?? [];
  }

  /** The median of one cell, or null without samples. */
  median(candidate, profile, measure) {
    return median(this.all(candidate, profile, measure));
  }

  /** Records what one visit of `kind` (`first`, `return`) measured. */
  addVisit(candidate, profile, kind, visit) {
    this.add(candidate, "any", `${kind}.raw`, visit.bytes.raw);
    this.add(candidate, "any", `${kind}.gzip`, visit.bytes.gzip);
    this.add(candidate, "any", `${kind}.brotli`, visit.bytes.brotli);
    this.add(candidate, "any", `${kind}.wasm`, visit.bytes.wasm);
    this.add(candidate, profile, `${kind}.tbt`, visit.tbt);
    this.add(candidate, profile, `${kind}.cls`, visit.layoutShift);
    this.add(candidate, profile, `${kind}.heap`, visit.peakHeap);
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => `${Math.round(value)} ms`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;
const cls = (value) => value.toFixed(3);
/** Yes/no from 0/1 samples; "k of n" when the visits disagreed. */
const fetched = (samples) => {
  const yes = samples.filter(Boolean).length;
  return yes === 0 ? "no" : yes === samples.length ? "yes" : `${yes} of ${samples.length}`;
};

/** Rows that do not depend on the network profile. */
const BYTE_ROWS = [
  ["first visit, Reject all: fetched, raw", "first.raw", kib],
  ["first visit, Reject all: gzip -9", "first.gzip", kib],
  ["first visit, Reject all: brotli 11", "first.brotli", kib],
  ["first visit, Reject all: .wasm fetched", "first.wasm", null],
  ["return visit, consent given: fetched, raw", "return.raw", kib],
  ["return visit, consent given: gzip -9", "return.gzip", kib],
  ["return visit, consent given: brotli 11", "return.brotli", kib],
  ["return visit, consent given: .wasm fetched", "return.wasm", null],
  ["Customize on a first visit: .wasm fetched", "customize.wasm", null],
];

/** Rows measured under each network profile. */
const TIMED_ROWS = [
  ["banner visible (from navigation)", "bannerMs", ms],
  ["Reject all click → banner gone, choice stored", "rejectMs", ms],
  ["return visit: both gated tags ran", "gatedMs", ms],
  ["Customize click → preferences shown", "dialogMs", ms],
  ["total blocking time, first visit", "first.tbt", ms],
  ["total blocking time, return visit", "return.tbt", ms],
  ["layout shift (CLS), first visit", "first.cls", cls],
  ["layout shift (CLS), return visit", "return.cls", cls],
  ["peak JS heap, first visit", "first.heap", mib],
  ["peak JS heap, return visit", "return.heap", mib],
];

/**
 * The table: medians over the runs. `axe`: candidate id → violations (or
 * undefined when not checked).
 */
export function table(samples, candidates, profiles, axe) {
  const rows = [["measure (median)", ...candidates.map((c) => c.name)]];
  const cell = (candidate, profile, measure, format) => {
    const values = samples.all(candidate.id, profile, measure);
    if (values.length === 0) return "–";
    return format ? format(median(values)) : fetched(values);
  };
  for (const [label, measure, format] of BYTE_ROWS) {
    rows.push([label, ...candidates.map((c) => cell(c, "any", measure, format))]);
  }
  for (const profile of profiles) {
    rows.push(null);
    for (const [label, measure, format] of TIMED_ROWS) {
      rows.push([`${profile.name}: ${label}`, ...candidates.map((c) => cell(c, profile.id, measure, format))]);
    }
  }
  rows.push(null);
  rows.push([
    "axe violations, banner shown (rules)",
    ...candidates.map((c) => (axe[c.id] ? String(axe[c.id].length) : "–")),
  ]);

  const widths = rows[0].map((_, i) => Math.max(...rows.filter(Boolean).map((r) => r[i].length)));
  const line = (r) => r.map((text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [line(rows[0]), rule];
  for (const r of rows.slice(1)) out.push(r ? line(r) : rule);
  for (const c of candidates) {
    if (axe[c.id]?.length) out.push(`axe, ${c.name}: ${axe[c.id].map((v) => `${v.id} (${v.nodes.length})`).join(", ")}`);
  }
  return out.join("\n");
}
