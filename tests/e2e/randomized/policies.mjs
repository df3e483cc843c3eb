// Random policies for the randomized end-to-end run: variants of the shop
// fixture policy (tests/e2e/fixtures/policies/shop.toml) that leave out
// optional categories (with their purposes) and services, may declare one more
// marketing service, and keep decisions 30 days, 6 months or 13 months. Each
// is written to a directory the test server serves policies from
// (`startServer({ policyDir })`), and checked by the build when a page asks
// for it (`cargo xtask policy config`, lint included).
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURES_DIR } from "../support.mjs";
import { weighted } from "../../support/random.mjs";
import { OPTIONAL } from "./oracle.mjs";

/** A service no fixture page names in its markup but SPA insertions do. */
const EXTRA_SERVICE = `
[[categories.services]]
id = "widgetco"
provider = "WidgetCo"
kind = "advertising"
purpose = { en = "Shows partner offers.", fr = "Affiche des offres.", de = "Zeigt Angebote.", da = "Viser tilbud.", sk = "Zobrazuje ponuky." }
cookies = [{ name = "_wco", lifetime = "3 months" }]
`;

/** The TOML blocks of a policy: each table or array-of-tables header with its lines. */
function blocks(toml) {
  const out = [{ header: "", text: "" }];
  for (const line of toml.split("\n")) {
    if (/^\[/.test(line)) out.push({ header: line.trim(), text: "" });
    out.at(-1).text += line + "\n";
  }
  return out;
}

/** The value of `key = "…"` in a block, if any. */
const field = (block, key) => new RegExp(`^${key} = "([^"]*)"`, "m").exec(block.text)?.[1];

/** One random variant of the shop policy (`shop`, its TOML) as TOML. */
function variant(random, shop) {
  const chance = (p) => random() < p;
  let kept = OPTIONAL.filter(() => chance(0.75));
  if (!kept.length) kept = [OPTIONAL[Math.floor(random() * OPTIONAL.length)]];
  const consentLifetime = weighted(random, [["30 days", 1], ["6 months", 2], ["13 months", 1]]);
  let category = null; // the category whose services follow
  let text = "";
  for (const block of blocks(shop)) {
    if (block.header === "[[purposes]]") {
      const of = field(block, "category");
      if (of && !kept.includes(of)) continue;
    } else if (block.header === "[[categories]]") {
      category = field(block, "id");
      if (category !== "necessary" && !kept.includes(category)) continue;
    } else if (block.header === "[[categories.services]]") {
      if (category !== "necessary" && (!kept.includes(category) || chance(0.3))) continue;
    } else if (block.header === "[[data]]" && field(block, "id") === "usage" && !kept.includes("personalization")) {
      continue; // only the personalisation purpose uses it
    } else if (block.header === "[[retention]]" && !kept.includes("personalization")) {
      block.text = block.text.replace('"identification", "usage"', '"identification"');
    } else if (block.header === "[[subprocessors]]" && !kept.includes("personalization")) {
      block.text = block.text.replace(', "usage"]', "]");
    } else if (block.header === "") {
      block.text = block.text.replace(/^effective = .*$/m, (line) => `${line}\nconsent-lifetime = "${consentLifetime}"`);
    }
    text += block.text;
  }
  if (kept.includes("marketing") && chance(0.4)) {
    // A marketing service declared after the category's others.
    text = text.replace(/(\[\[categories\]\]\nid = "personalization")|(\n\[\[data\]\])/, (m) => `${EXTRA_SERVICE}${m}`);
  }
  return text;
}

/**
 * Writes `count` random policies (`random-1` … `random-<count>`, plus the shop
 * policy as it is under `shop`) into a new directory; returns it and the names.
 */
export function randomPolicies(random, count) {
  const dir = mkdtempSync(join(tmpdir(), "assent-policies-"));
  const names = [];
  const shop = readFileSync(join(FIXTURES_DIR, "policies", "shop.toml"), "utf8");
  for (let i = 1; i <= count; i++) {
    writeFileSync(join(dir, `random-${i}.toml`), variant(random, shop));
    names.push(`random-${i}`);
  }
  return { dir, names: ["shop", ...names] };
}
