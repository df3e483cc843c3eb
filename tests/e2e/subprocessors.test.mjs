// End-to-end: a processor's sub-processor page and its Atom feed (GDPR Art
// 28(2)). The example processor (tests/policies/processor.toml, revision 2,
// with revision 1 in tests/policies/history/) adds Payments Ltd, announced on
// 2026-02-01 with the 30 days of notice its terms promise; the feed is read
// by a feed parser from the npm registry, not by matching strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseFeed } from "@rowanmanning/feed-parser";
import { ROOT, SITE_DIR, openPage, useSiteAndBrowser } from "./support.mjs";

const site = useSiteAndBrowser();

/** The cell texts of every body row of `table[data-table=name]`. */
function rows(page, name) {
  return page.$$eval(`table[data-table="${name}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
}

/** The day `days` days after `date` (YYYY-MM-DD), in UTC. */
function plusDays(date, days) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Fetches `path` from the site and parses it as a feed, checking what Atom requires. */
async function atom(path) {
  const response = await fetch(site.server.url + path);
  assert.equal(response.status, 200, path);
  const feed = parseFeed(await response.text());
  assert.deepEqual(feed.meta, { type: "atom", version: "1.0" }, path);
  assert.ok(feed.title && !Number.isNaN(Date.parse(feed.updated)), `${path}: feed title and updated`);
  assert.ok(feed.authors.length > 0, `${path}: an author`);
  for (const item of feed.items) {
    assert.ok(item.id && item.title && !Number.isNaN(Date.parse(item.updated)), `${path}: ${item.title}`);
  }
  return feed;
}

test("a sub-processor added between two revisions is in the feed and on the page, with its dates", async () => {
  const out = join(SITE_DIR, "policies-processor");
  execFileSync("cargo", ["xtask", "preview", "--policies", join(ROOT, "tests/policies"), "--out", out], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const feed = await atom("/policies-processor/processor.subprocessors.en.atom");
  assert.equal(feed.items.length, 1);
  const [added] = feed.items;
  assert.equal(added.title, "Added: Payments Ltd (GB)");
  // Announced on 2026-02-01 with the terms' 30 days of notice.
  const effective = plusDays("2026-02-01", 30);
  assert.equal(effective, "2026-03-03");
  assert.match(added.description, new RegExp(`Takes effect: ${effective}\\.`));
  assert.match(added.description, /Objections until: 2026-02-15\./, "the 14-day objection window");
  assert.equal(added.updated.toISOString(), "2026-02-01T00:00:00.000Z");

  const s = await openPage(site.browser);
  await s.page.goto(site.server.url + "/policies-processor/processor.subprocessors.en.html");
  assert.deepEqual(await rows(s.page, "changes"), [
    ["Added", "Payments Ltd", "GB", "2026-02-01", effective, "2026-02-15"],
  ]);
  assert.deepEqual((await rows(s.page, "subprocessors")).map((r) => r[0]), ["Hoster GmbH", "Payments Ltd"]);
  const link = await s.page.getAttribute('a[type="application/atom+xml"]', "href");
  assert.equal(link, "processor.subprocessors.en.atom");
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("every processor of www/policies has a sub-processor page and a valid feed per language", async () => {
  const processors = ["pix2clip-dpa", "quantixai"];
  for (const stem of processors) {
    const policy = await (await fetch(`${site.server.url}/policies/${stem}.json`)).json();
    for (const lang of policy.languages) {
      const feed = await atom(`/policies/${stem}.subprocessors.${lang}.atom`);
      assert.equal(feed.language, lang);
      const s = await openPage(site.browser);
      await s.page.goto(`${site.server.url}/policies/${stem}.subprocessors.${lang}.html`);
      const current = await rows(s.page, "subprocessors");
      assert.deepEqual(current.map((r) => r[0]), policy.subprocessors.map((sp) => sp.name));
      assert.equal((await rows(s.page, "changes")).length, feed.items.length, `${stem} ${lang}`);
      assert.deepEqual(s.errors, []);
      await s.context.close();
    }
  }
  // A controller's policy has none.
  const files = readdirSync(join(SITE_DIR, "policies"));
  assert.ok(!files.some((f) => f.startsWith("pix2clip.subprocessors")));
});
