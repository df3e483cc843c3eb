// End-to-end: the processors' pages say what their agreements say. The facts
// below are transcribed from the seed documents (../shared/seeds/: 000, the
// Pix2Clip DPA of 1 May 2026; 003, the QuantixAI DPA v1.0), section by
// section, and compared with the tables and lists the preview renders from
// www/policies/ (English pages): the notice, the DPA annex and the
// sub-processor page. A fact the agreement does not state must read "not
// stated", never a value from elsewhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useSiteAndBrowser } from "./support.mjs";

const site = useSiteAndBrowser();

const SEEDS = {
  "pix2clip-dpa": {
    heading: "Processor", // 01: "acting as processor"
    facts: {
      // 02: description of the processing
      Controller: "The professional client using the Pix2Clip service",
      "Categories of personal data":
        "Identification data, Technical connection data, Textual and multimedia content submitted",
      // 05: "at the latest within seventy-two hours"
      "The controller is told within": "72 hours",
      // 03: "by email with thirty days' notice, providing the right to reasoned objection"
      "Notice before the change": "30 days",
      "Objection within": "not stated",
      // 06: "thirty days' notice … one audit per year, except in the event of a major incident"
      "Notice before an audit": "30 days",
      Frequency: "One audit per year, except in the event of a major incident",
      // 06: "within thirty days following termination … within a maximum period of ninety days"
      "Data returned or deleted within": "90 days",
      "The controller chooses return or deletion within": "30 days",
      "Return on request": "yes",
      "Deletion certified in writing": "yes",
    },
    security: 11, // 04: eleven measures
    subprocessors: [
      // 03
      ["Hetzner Online GmbH", "Application hosting", "DE", "EEA"],
      ["Scaleway SAS", "Object storage (S3)", "FR (fr-par)", "EEA"],
      ["Viva Payment Services SA", "Payment processing", "GR", "EEA"],
      [
        "MiniMax",
        "Generative AI models",
        "CN",
        "standard contractual clauses 2021/914, module: not stated — Encryption in transit, minimisation of transmitted data, no transfer of authentication data",
      ],
    ],
    contact: "not stated",
    responseTime: "not stated",
  },
  quantixai: {
    heading: "Processor",
    facts: {
      Controller: "The customer as identified in the agreement", // parties
      "The controller is told within": "48 hours", // 5.6
      "Notice before the change": "30 days", // 6.4
      "Objection within": "14 days", // 6.5
      "Response time": "10 business days", // 5.4
      "Notice before an audit": "30 days", // 9.1
      "Data returned or deleted within": "90 days", // 3.3
      "The controller chooses return or deletion within": "not stated",
      "Return on request": "yes",
      "Deletion certified in writing": "yes",
    },
    security: 12,
    subprocessors: [
      // 6.2, with Annex 3's SCC module 2 and 7.3's supplementary measures
      ["Auth0 Inc. (Okta)", "Authentication and identity management", "US", /^standard contractual clauses 2021\/914, module 2 — /],
      ["Paddle.com Market Ltd.", "Payment processing", "GB", "adequacy decision (Art. 45)"],
      ["Hetzner Online GmbH", "Cloud infrastructure", "DE", "EEA"],
      ["Scaleway", "Cloud infrastructure", "PL", "EEA"],
      ["SmartSelling a.s.", "E-mail notifications", "CZ", "EEA"],
      ["Google LLC (Google Analytics)", "Website analytics", "US", /^standard contractual clauses 2021\/914, module 2 — /],
    ],
    contact: "privacy@quantix-ai.eu", // 5.7
    responseTime: "not stated",
    // Annex 2: retention periods
    retention: ["30 days", "24 months", "12 months", "7 years", "12 months", "30 days", "at most 90 days"],
  },
};

/** The cell texts of every body row of `table[data-table=name]`. */
function rows(page, name) {
  return page.$$eval(`table[data-table="${name}"] tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
  );
}

/** Every fact of the DPA annex: its <dt> → <dd>. */
function facts(page) {
  return page.$$eval("dl", (lists) =>
    Object.fromEntries(lists.flatMap((dl) => [...dl.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))),
  );
}

function sameRows(actual, expected, what) {
  assert.equal(actual.length, expected.length, what);
  expected.forEach((row, i) =>
    row.forEach((cell, k) => {
      if (cell instanceof RegExp) assert.match(actual[i][k], cell, `${what} ${row[0]}`);
      else assert.equal(actual[i][k], cell, `${what} ${row[0]}`);
    }),
  );
}

for (const [stem, seed] of Object.entries(SEEDS)) {
  test(`${stem}: the notice, the DPA annex and the sub-processor page match the agreement`, async () => {
    const s = await openPage(site.browser);
    const url = (page) => `${site.server.url}/policies/${stem}.${page}`;

    await s.page.goto(url("dpa.en.html"));
    const annex = await facts(s.page);
    for (const [label, value] of Object.entries(seed.facts)) assert.equal(annex[label], value, `${stem}: ${label}`);
    assert.equal(await s.page.locator("section[data-section=security] li").count(), seed.security);
    sameRows(await rows(s.page, "subprocessors"), seed.subprocessors, `${stem} annex sub-processors`);

    await s.page.goto(url("en.html"));
    assert.equal(await s.page.textContent("section[data-section=controller] h2"), seed.heading);
    const controller = await s.page.textContent("section[data-section=controller]");
    assert.ok(controller.includes(seed.contact), `${stem}: contact ${seed.contact}`);
    const rights = await s.page.textContent("section[data-section=rights]");
    assert.ok(rights.includes(`Response time: ${seed.responseTime}`) || rights.includes(`: ${seed.responseTime}.`), rights);
    sameRows(await rows(s.page, "subprocessors"), seed.subprocessors, `${stem} notice sub-processors`);
    if (seed.retention) {
      const periods = (await rows(s.page, "retention")).map((r) => r[1].split(".")[0].split(",")[0]);
      assert.deepEqual(periods, seed.retention);
    }

    await s.page.goto(url("subprocessors.en.html"));
    sameRows(await rows(s.page, "subprocessors"), seed.subprocessors, `${stem} sub-processor page`);
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}
