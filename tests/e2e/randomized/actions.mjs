// What a visitor of the randomized end-to-end run does on a page view, each
// followed in the model of its stream (`VisitorStream`, visitor.mjs): decide
// from the banner, reopen the preferences (floating button, the site's link,
// the API) and switch at random, Assent.show() and Assent.reset(), embed
// placeholders ("Load this once", "Always allow"), and gated elements inserted
// after load as a single-page app does. `earlyAct` does one of them the moment
// the page commits, before the widget (or even the loader) is there.
import { pageUntil } from "../../support/harness.mjs";
import { storedValues } from "../support.mjs";
import { OPTIONAL, acceptAll, allows, outcome, rejectAll, shownServices } from "./oracle.mjs";

const widget = (s) => s.page.locator("assent-widget");
const bannerButton = (s, name) => widget(s).locator("section.banner").getByRole("button", { name, exact: true });
const dialogButton = (s, name) => widget(s).locator("[role=dialog]").getByRole("button", { name, exact: true });
const switchId = (kind, id) => `#assent-${kind === "category" ? "switch" : "service"}-${id}`;

/** In the open preferences: check what they show, switch at random, then save, accept, reject or close. */
async function preferences(s, how) {
  const { page, model } = s;
  await s.waitWidget("[role=dialog]");
  s.view.widgetAsked = true;
  const e = s.eff();
  const ids = [...model.categories.map((c) => ["category", c]), ...Object.keys(model.services).map((id) => ["service", id])];
  // A category the policy leaves out has no switch; the draft keeps what it was.
  const absent = OPTIONAL.filter((c) => !model.categories.includes(c)).map((c) => ["category", c]);
  const read = (list) =>
    page.evaluate(
      ([list, ids]) => {
        const root = document.querySelector("assent-widget").shadowRoot;
        return Object.fromEntries(list.map(([kind, id], i) => [id, root.querySelector(ids[i])?.checked]));
      },
      [list, list.map(([kind, id]) => switchId(kind, id))],
    );
  const shown = await read([...ids, ...absent]);
  const truth = outcome(model, e);
  for (const [, id] of ids) {
    if (shown[id] !== truth[id]) {
      s.violate("preferences misstate the choice", `${how}: ${id} shown ${shown[id] ? "on" : "off"} but ${truth[id] ? "allowed" : "held"}`);
    }
  }
  for (const [, id] of absent) {
    if (shown[id] !== undefined) s.violate("a switch for a category the policy leaves out", `${how}: ${id}`);
    shown[id] = truth[id];
  }
  // The draft, as shown; a category switch carries its services along.
  const draft = { ...shown };
  for (let i = ids.length ? Math.floor(s.random() * 5) : 0; i > 0; i--) {
    const [kind, id] = s.pick(ids);
    await page.locator(`assent-widget ${switchId(kind, id)}`).click();
    draft[id] = !draft[id];
    if (kind === "category") for (const [svc, c] of Object.entries(model.services)) if (c === id) draft[svc] = draft[id];
  }
  const now = await read(ids);
  for (const [, id] of absent) now[id] = draft[id];
  if (ids.some(([, id]) => now[id] !== draft[id])) {
    s.violate("switches do not follow clicks", `${how}: expected ${JSON.stringify(draft)}, shown ${JSON.stringify(now)}`);
  }
  const end = s.weighted([["save", 6], ["accept", 1.5], ["reject", 1.5], ["close", 1]]);
  s.count("actions", `prefs-${end}`);
  const before = await s.decisionMark();
  if (end === "close") {
    if (s.chance(0.5)) await page.keyboard.press("Escape");
    else await widget(s).locator("[role=dialog]").getByRole("button", { name: "Close", exact: true }).click();
    await pageUntil(page, "the preferences dialog to close", () =>
      !document.querySelector("assent-widget").shadowRoot.querySelector("[role=dialog]").checkVisibility(),
    );
  } else if (end === "save") {
    await dialogButton(s, "Save choices").click();
    const services = {};
    for (const [svc, c] of Object.entries(model.services)) if (now[svc] !== now[c]) services[svc] = now[svc];
    const categories = Object.fromEntries(OPTIONAL.map((c) => [c, now[c]]));
    await s.decided({ categories, services, gpc: s.view.gpc, method: "preferences" }, before, `${how}, save`);
  } else if (end === "accept") {
    await dialogButton(s, "Accept all").click();
    await s.decided(acceptAll(s.view.gpc), before, `${how}, accept all`);
  } else {
    await dialogButton(s, "Reject all").click();
    await s.decided(rejectAll(s.view.gpc), before, `${how}, reject all`);
  }
}

/** The banner is up (or about to be): decide from it, or go to the preferences. */
async function fromBanner(s, how) {
  await s.waitWidget("section.banner");
  s.view.widgetAsked = true;
  const before = await s.decisionMark();
  const choice = s.weighted([["accept", 3], ["reject", 2], ["customize", 3]]);
  s.count("actions", `banner-${choice}`);
  if (choice === "accept") {
    await bannerButton(s, "Accept all").click();
    await s.decided(acceptAll(s.view.gpc), before, `${how}, accept all`);
  } else if (choice === "reject") {
    await bannerButton(s, "Reject all").click();
    await s.decided(rejectAll(s.view.gpc), before, `${how}, reject all`);
  } else {
    await bannerButton(s, "Customize").click();
    await preferences(s, `${how}, customize`);
  }
}

/** Held embeds that have a placeholder now. */
function heldEmbeds(s) {
  const e = s.eff();
  return [...s.view.elements.values()].filter(
    (el) => el.embed && !s.view.allowedEver.has(el.id) && !allows(e, el.categories, el.service),
  );
}

async function placeholderButton(s, el, name) {
  // Mark the embed's placeholder (inserted just before it) to find it.
  const found = await s.page.evaluate((title) => {
    const frame = [...document.querySelectorAll("iframe")].find((f) => f.title === title);
    const p = frame?.previousElementSibling;
    if (p?.localName !== "assent-placeholder") return false;
    p.setAttribute("data-test-for", title);
    return true;
  }, el.title);
  if (!found) {
    s.violate("held embed has no placeholder", el.id);
    return null;
  }
  return s.page.locator(`assent-placeholder[data-test-for="${el.title}"]`).getByRole("button", { name, exact: true });
}

/** Gated scripts and iframes inserted after load, as a single-page app does. */
async function spaInsert(s) {
  const items = [];
  const policyServices = Object.entries(s.model.services);
  for (let i = 1 + Math.floor(s.random() * 3); i > 0; i--) {
    const id = `spa-${++s.spaCounter}`;
    const kind = s.pick(["inline", "src", "iframe"]);
    const categories = s.pick([
      "analytics", "marketing", "personalization", "necessary", "analytics marketing", "marketing, personalization",
      "necessary analytics", "statistics", "",
    ]);
    let service;
    if (OPTIONAL.includes(categories) && s.chance(0.6)) {
      service = s.pick([...policyServices.filter(([, c]) => c === categories).map(([svc]) => svc), "widgetco", "ads"]);
    }
    const url = kind === "src" ? `/fixtures/tags/tag.js?id=${id}` : kind === "iframe" ? `/fixtures/embed.html?id=${id}` : undefined;
    const el = { id, categories, service, url, embed: kind === "iframe", title: `Embed ${id}`, spa: true, kind };
    s.view.elements.set(id, el);
    items.push(el);
  }
  s.stats.spaElements += items.length;
  await s.page.evaluate((items) => {
    for (const it of items) {
      const e = document.createElement(it.kind === "iframe" ? "iframe" : "script");
      e.setAttribute("data-category", it.categories);
      if (it.service) e.setAttribute("data-service", it.service);
      if (it.kind === "iframe") {
        e.setAttribute("data-src", it.url);
        e.title = it.title;
        e.width = 200;
        e.height = 100;
        document.querySelector("main").append(e);
      } else {
        e.type = "text/plain";
        if (it.kind === "src") e.setAttribute("src", it.url);
        else e.text = `window.assentPreview.ran(${JSON.stringify(it.id)}, "spa")`;
        document.body.append(e);
      }
    }
  }, items);
  s.grantNow();
}

/** Reopens the preferences by `how`, then acts in them. */
async function reopen(s, how) {
  const page = s.page;
  if (how === "floating button") {
    const button = page.locator("assent-reopen").getByRole("button", { name: "Privacy settings", exact: true });
    try {
      await button.waitFor({ timeout: 5000 });
    } catch {
      s.violate("no floating button on a page without a settings link", `choice ${JSON.stringify(s.decision)}`);
      return;
    }
    await button.click();
  } else if (how === "footer link") await page.getByRole("link", { name: "Privacy settings" }).click();
  else if (how === "queued showPreferences") await page.evaluate(() => (window.Assent = window.Assent || []).push(["showPreferences"]));
  else await page.evaluate(() => Assent.showPreferences());
  await preferences(s, `reopened from the ${how}`);
}

/** "Always allow" on a held embed's placeholder: a decision granting its service. */
async function alwaysAllow(s, el) {
  const { model } = s;
  // The service's provider from the policy; an undeclared service is named by its id.
  const button = await placeholderButton(s, el, `Always allow ${model.providers[el.service] ?? el.service}`);
  if (!button) return;
  const before = await s.decisionMark();
  await button.click();
  s.view.widgetAsked = true;
  const e = s.eff();
  await s.decided(
    {
      categories: e ? { ...e.categories } : { analytics: false, marketing: false, personalization: false },
      services: { ...shownServices(model, e), [el.service]: true },
      gpc: s.view.gpc,
      method: "preferences",
    },
    before,
    `"Always allow" on ${el.id}`,
  );
}

async function reset(s) {
  await s.page.evaluate(() => Assent.reset());
  s.view.widgetAsked = true;
  s.decision = null;
  s.view.bannerExpected = true;
  if (!s.session.blocked) {
    const stored = await storedValues(s.page);
    if (stored.cookie !== null || stored.local !== null) s.violate("reset kept the stored choice", JSON.stringify(stored));
  }
  await s.waitWidget("section.banner").catch(() => s.violate("no banner after reset", ""));
}

/** One random action, then a checkpoint. */
export async function act(s) {
  const { view } = s;
  const held = heldEmbeds(s);
  const action = s.weighted([
    ["banner", view.bannerExpected ? 8 : 0],
    ["reopen", s.decision ? 3 : 0.5],
    ["show", s.decision ? 0.6 : 0],
    ["spa", 3],
    ["once", held.length ? 1 : 0],
    ["always", held.some((el) => el.service) ? 1 : 0],
    ["reset", s.decision ? 0.7 : 0],
  ]);
  s.count("actions", action);
  s.place(action);
  if (action === "banner") await fromBanner(s, "banner");
  else if (action === "reopen") {
    // The floating button exists where the page has no settings link of its
    // own, once a choice exists (docs/loader.md, "Settings").
    const how = s.weighted([
      ["floating button", s.decision && view.floating && view.noLink ? 2 : 0],
      ["footer link", view.noLink ? 0 : 2],
      ["Assent.showPreferences()", 1],
    ]);
    await reopen(s, how);
  } else if (action === "show") {
    await s.page.evaluate(() => Assent.show());
    await fromBanner(s, "Assent.show()");
  } else if (action === "spa") await spaInsert(s);
  else if (action === "once") {
    const el = s.pick(held);
    const button = await placeholderButton(s, el, "Load this once");
    if (!button) return;
    await button.click();
    view.allowedEver.add(el.id);
  } else if (action === "always") await alwaysAllow(s, s.pick(held.filter((x) => x.service)));
  else if (action === "reset") await reset(s);
  view.floating ||= !!s.decision;
  await s.checkpoint(`after ${action}`);
}

/**
 * Right after the page commits, before the loader has run or the widget is
 * there: the banner's buttons as soon as they show, the site's settings link,
 * or the API's queue form. Then a checkpoint.
 */
export async function earlyAct(s) {
  const { view } = s;
  const action = s.weighted([
    ["banner", view.bannerExpected ? 3 : 0],
    ["footer link", view.noLink ? 0 : 2],
    ["queued showPreferences", 1],
  ]);
  s.count("actions", `early-${action}`);
  s.place(`early ${action}`);
  if (action === "banner") await fromBanner(s, "banner, early");
  else await reopen(s, action);
  view.floating ||= !!s.decision;
  await s.checkpoint(`after early ${action}`);
}
