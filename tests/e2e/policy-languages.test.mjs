// End-to-end: a French page of each policy speaks French. Every page the
// preview writes in French (the notice, and for a processor its DPA annex and
// its sub-processor page), its banner included, contains no English word once
// the proper names the policy declares (legal names, addresses, providers,
// sub-processors, cookie names, e-mail addresses and web addresses) are taken
// out. The words looked for are English words that are not also French.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pageUntil } from "../support/harness.mjs";
import { ROOT, openPage, useSiteAndBrowser } from "./support.mjs";

const site = useSiteAndBrowser();

const POLICIES = readdirSync(join(ROOT, "www/policies"))
  .filter((f) => f.endsWith(".toml"))
  .map((f) => f.replace(/\.toml$/, ""));

/** English words a French page must not show (none of them is also French). */
const ENGLISH = new Set(
  `the and of to for with from this that these your you our we are is be been by at it its not all any
   data day days month months year years hour hours business week weeks minute minutes users user people
   processing personal controller processor policy policies privacy settings preview notice customer
   customers stated deleted kept until within rights right access erasure transfer transfers recipient
   recipients purpose purposes legal basis consent none yes added removed changed announced
   takes effect subscribe changes current annex agreement breach security measures encryption
   always provider storage browsing time retention category categories name role country how details
   response complaint authority officer special sub-processors strictly necessary analytics
   advertising accept reject customize save`.split(/\s+/),
);

/** Everything the policy names as a proper name, longest first. */
function properNames(policy) {
  const c = policy.controller;
  // The language switcher names each language in itself (English, Deutsch),
  // and a framework or a signal keeps its own name.
  const names = [c["legal-name"], c.form, c.registration, c.address, "Data Privacy Framework",
    "Global Privacy Control", "English", "Deutsch"];
  if (typeof c.authority === "object") names.push(c.authority.name, c.authority.address);
  for (const sp of [...(policy.subprocessors ?? []), ...(policy.recipients ?? [])]) names.push(sp.name, sp.region);
  for (const category of policy.categories ?? []) {
    for (const service of category.services) {
      names.push(service.provider, ...(service.cookies ?? []).map((k) => k.name));
    }
  }
  return names.filter(Boolean).sort((a, b) => b.length - a.length);
}

/** The English words of `text` once proper names, addresses and links are out. */
function englishWords(text, names) {
  let rest = text.replace(/[\w.+-]+@[\w.-]+/g, " ").replace(/\b(?:https?:\/\/|www\.)\S+/g, " ");
  for (const name of names) rest = rest.split(name).join(" ");
  const words = rest.toLowerCase().match(/[a-z][a-z-]*/g) ?? [];
  return [...new Set(words.filter((w) => ENGLISH.has(w)))];
}

for (const stem of POLICIES) {
  test(`${stem}: its French pages contain no English words`, async (t) => {
    const policy = await (await fetch(`${site.server.url}/policies/${stem}.json`)).json();
    if (!policy.languages.includes("fr")) return t.skip("no French");
    const pages = [`${stem}.fr.html`];
    if (policy.processor) pages.push(`${stem}.dpa.fr.html`, `${stem}.subprocessors.fr.html`);
    const names = properNames(policy);
    const s = await openPage(site.browser);
    for (const name of pages) {
      await s.page.goto(`${site.server.url}/policies/${name}`);
      if ((policy.categories ?? []).length > 0) {
        await pageUntil(s.page, "the widget to render", () =>
          document.querySelector("assent-widget")?.shadowRoot?.textContent,
        );
      }
      // What is rendered, as read: hidden elements (a GPC note without the
      // signal) are not part of the page.
      const text = await s.page.evaluate(() => {
        const shadow = document.querySelector("assent-widget")?.shadowRoot;
        const banner = shadow ? [...shadow.children].map((e) => e.innerText ?? "").join("\n") : "";
        return `${document.title}\n${document.body.innerText}\n${banner}`;
      });
      assert.deepEqual(englishWords(text, names), [], `${name} shows English words`);
    }
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}
