// End-to-end: the policy preview. Every file in www/policies/ has a page per
// language whose tables match the file (as parsed, /policies/<name>.json), and a
// broken policy shows its lint errors with file, line and column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { SITE_DIR, bannerShown, openPage, visit, useSiteAndBrowser, waitForDialog, widgetButton } from "./support.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const POLICY_FILES = readdirSync(join(ROOT, "www/policies")).filter((f) => /\.(toml|json)$/.test(f));

const site = useSiteAndBrowser();

/** The cell texts of every body row of `table[data-table=name]`. */
function rows(page, name) {
  return page.$$eval(`table[data-table="${name}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
}

/** One value or a list, as a policy may write a country or a transfer. */
const list = (value) => (value == null ? [] : [value].flat());

test("the index lists every policy file", async () => {
  assert.ok(["pix2clip.toml", "pix2clip-dpa.toml", "quantixai.toml"].every((f) => POLICY_FILES.includes(f)));
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + "/policies/");
  const listed = await s.page.$$eval("tr[data-policy]", (trs) => trs.map((t) => t.dataset.policy));
  assert.deepEqual(listed.sort(), POLICY_FILES.map((f) => f.replace(/\.(toml|json)$/, "")).sort());
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

/**
 * The banner runs on the preview page and speaks its language; the
 * preferences offer the policy's own categories, with the policy's names in
 * that language, and one entry per service, named by the service's own name
 * (its provider when it has none).
 */
async function consentManagerOffersThePolicy(page, policy, lang, text) {
  assert.equal(await bannerShown(page), true, "the banner runs on the preview page");
  const reject = { en: "Reject all", fr: "Tout refuser", de: "Alle ablehnen" }[lang];
  await widgetButton(page, reject).waitFor();
  // The preferences come with the widget (the banner is its first layer).
  await widgetButton(page, { en: "Customize", fr: "Personnaliser", de: "Anpassen" }[lang]).click();
  await waitForDialog(page);
  const offered = await page.evaluate(() => {
    const dialog = document.querySelector("assent-widget").shadowRoot.querySelector("[role=dialog]");
    const labels = (prefix) =>
      [...dialog.querySelectorAll(`[id^="${prefix}"][data-name]`)].map((l) => [l.id.slice(prefix.length), l.textContent]);
    return {
      categories: [...dialog.querySelectorAll('label[for^="assent-switch-"]')].map((l) => l.textContent),
      services: labels("assent-service-name-"),
    };
  });
  assert.deepEqual(offered.categories.sort(), policy.categories.map((c) => text(c.name)).sort());
  assert.deepEqual(
    offered.services.sort(),
    policy.categories.flatMap((c) => c.services.map((sv) => [sv.id, sv.name ? text(sv.name) : sv.provider])).sort(),
  );
}

for (const file of POLICY_FILES) {
  const stem = file.replace(/\.(toml|json)$/, "");
  test(`${file}: every language's notice matches the file`, async () => {
    const policy = await (await fetch(`${site.server.url}/policies/${stem}.json`)).json();
    const s = await openPage(site.browser);
    for (const lang of policy.languages) {
      const text = (t) => t[lang] ?? t[policy.languages[0]];
      const categories = policy.categories ?? [];
      const url = `${site.server.url}/policies/${stem}.${lang}.html`;
      if (categories.length > 0) await visit(s.page, url);
      else await s.page.goto(url);
      assert.equal(await s.page.getAttribute("html", "lang"), lang);
      if (categories.length > 0) await consentManagerOffersThePolicy(s.page, policy, lang, text);
      else {
        // A policy with no cookie categories (a data processing agreement)
        // has nothing to ask a visitor: no consent manager on its pages.
        assert.equal(await s.page.$("assent-widget, script[src='/assent-loader.js']"), null);
      }

      const purposes = await rows(s.page, "purposes");

      assert.deepEqual(purposes.map((r) => r[0]), policy.purposes.map((p) => text(p.name)));
      // Basis names are translated; the article they cite is the same in every language.
      const article = { consent: "6(1)(a)", contract: "6(1)(b)", "legal-obligation": "6(1)(c)",
        "vital-interests": "6(1)(d)", "public-task": "6(1)(e)", "legitimate-interest": "6(1)(f)",
        "explicit-consent": "9(2)(a)" };
      purposes.forEach((r, i) => {
        for (const basis of policy.purposes[i].basis) {
          assert.ok(r[1].includes(article[basis]), `${lang} ${r[0]}: ${r[1]} cites ${basis}`);
        }
      });

      const data = await rows(s.page, "data");
      assert.deepEqual(data.map((r) => r[0]), policy.data.map((d) => text(d.name)));
      assert.deepEqual(data.map((r) => r[1] !== ""), policy.data.map((d) => d.special != null));

      // Periods are named in the page's language: the same number, and in
      // English the words of the file ("at most" for an upper bound).
      const retention = await rows(s.page, "retention");
      retention.forEach((r, i) => {
        const rule = policy.retention[i];
        const number = rule.period.match(/^\d+/)?.[0];
        if (!number) return; // session, transaction, until-deleted: a phrase of the language
        if (lang === "en") assert.ok(r[1].startsWith((rule["at-most"] ? "at most " : "") + rule.period), `${r[1]}`);
        else assert.ok(r[1].includes(number) && !r[1].includes(rule.period), `${lang}: ${r[1]}`);
      });

      const subs = await rows(s.page, "subprocessors");
      assert.deepEqual(subs.map((r) => r[0]), policy.subprocessors.map((p) => p.name));
      subs.forEach((r, i) => {
        const sp = policy.subprocessors[i];
        assert.ok(r[2].startsWith(list(sp.country).join(", ")), `${sp.name} country ${r[2]}`);
        // What every language's mechanism name shares: the decision or article it rests on.
        const mechanism = { scc: "2021/914", dpf: "Data Privacy Framework",
          adequacy: "45)", bcr: "47)", derogation: "49)" };
        const transfers = list(sp.transfer);
        for (const t of transfers) assert.ok(r[3].includes(mechanism[t.mechanism]), `${sp.name}: ${r[3]}`);
        if (transfers.length === 0) assert.match(r[3], /^(EE[AE]|.*45\))$/, `${sp.name}: ${r[3]}`);
      });

      const cookies = await rows(s.page, "cookies");
      const services = (policy.categories ?? []).flatMap((c) => c.services.map((sv) => (sv.name ? text(sv.name) : sv.id)));
      assert.deepEqual(cookies.map((r) => r[1]), services);

      const rights = await rows(s.page, "rights");
      assert.equal(rights.length, policy.rights.offered.length);

      const complaint = await s.page.textContent("section[data-section=complaint]");
      const authority = policy.controller.authority;
      if (authority === "not-stated") assert.ok(complaint.includes({ en: "not stated", fr: "non précisé", de: "nicht angegeben" }[lang]));
      else assert.ok(complaint.includes(authority.name) && complaint.includes(authority.address));
    }
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test("a broken policy shows its errors with file, line and column", async () => {
  const out = join(SITE_DIR, "policies-broken");
  execFileSync("cargo", ["xtask", "preview", "--policies", join(ROOT, "tests/policies/lint"), "--out", out], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const s = await openPage(site.browser);
  await visit(s.page, site.server.url + "/policies-broken/syntax.html");
  const findings = await s.page.$$eval("[data-findings] li", (li) => li.map((l) => l.textContent));
  assert.deepEqual(findings, [
    'tests/policies/lint/syntax.toml:4:12: syntax: invalid type: string "one", expected u32',
  ]);
  await visit(s.page, site.server.url + "/policies-broken/unknown-field.html");
  const unknown = await s.page.textContent("[data-findings]");
  assert.match(unknown, /unknown-field.toml:4:1: unknown-field: unknown field `revison`; did you mean `revision`\?/);
  await visit(s.page, site.server.url + "/policies-broken/");
  assert.match(await s.page.textContent("tr[data-policy=syntax]"), /1 problem/);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
