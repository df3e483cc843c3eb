// End-to-end, randomized: hundreds of page loads and choices on the fixture shop
// page (tests/e2e/fixtures/shop.html), driven by a seeded PRNG: first visits and
// return visits (one browser context is one visitor, reused across loads), Accept
// all / Reject all / Customize with category and per-service switches, reopening
// from the floating button (on pages without their own settings link), the
// footer link or the API and changing the choice, Assent.show(), Assent.reset(),
// embed placeholders ("Load this once", "Always allow"), Global Privacy Control
// on or off per load, gated scripts and iframes inserted after load as a
// single-page app does, and visitors who arrive holding a stored value: valid,
// expired, outdated or tampered.
//
// The rule it proves: no gated script or iframe ever runs or is even requested
// before consent to its category and service, and every allowed one runs exactly
// once per page view. Also checked on the way: a return visit with a valid choice
// does not load the widget, the banner shows exactly when there is no valid
// choice, the preferences show what actually applies, and the stored value says
// what was chosen. The oracle is the rules of docs/consent-manager.md, written
// here independently of the loader's and core's code.
//
// ASSENT_E2E_SEED=<n> replays a run; ASSENT_E2E_LOADS=<n> changes the number of
// page loads (default 200). Every violation is collected and reported at the end
// with the seed, the load and the step that showed it.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  SEND_GPC_WHEN_ASKED,
  bannerShown,
  dialogShown,
  gatedRuns,
  isWidgetFile,
  openPage,
  parseStored,
  storedValues,
  useSiteAndBrowser,
} from "./support.mjs";
import { pageUntil } from "../support/harness.mjs";
import { prng } from "../support/random.mjs";

const site = useSiteAndBrowser();

const SEED = Number(process.env.ASSENT_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
const LOADS = Number(process.env.ASSENT_E2E_LOADS ?? 200);

// ---------------------------------------------------------------- the oracle

const OPTIONAL = ["analytics", "marketing", "personalization"];
const KNOWN = ["necessary", ...OPTIONAL];
/** The fixture policy's services (tests/e2e/fixtures/policies/shop.toml). */
const SERVICES = { audience: "analytics", ads: "marketing", video: "marketing", recommendations: "personalization" };
const PROVIDERS = {
  audience: "Pix2Clip Audience",
  ads: "Pix2Clip Ads",
  video: "ClipTube",
  recommendations: "Pix2Clip Recommendations",
};

/** What a decision allows on a page view with or without GPC. */
function effective(decision, gpcNow) {
  if (!decision) return null;
  const gpcRefused = gpcNow && !decision.gpc;
  return {
    categories: { ...decision.categories, ...(gpcRefused && { marketing: false }) },
    services: { ...decision.services },
    gpcRefused,
  };
}

/** Whether an element with these data-category / data-service runs (docs/consent-manager.md). */
function allows(eff, categories, service) {
  const keys = categories.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (!keys.length || keys.some((k) => !KNOWN.includes(k))) return false;
  const optional = keys.filter((k) => k !== "necessary");
  if (!optional.length) return true;
  if (!eff) return false;
  if (eff.gpcRefused && optional.includes("marketing")) return false;
  if (service && Object.hasOwn(eff.services, service)) return eff.services[service];
  return optional.every((k) => eff.categories[k]);
}

/**
 * The service exceptions the next decision builds on: the ones the preferences
 * show. Under a GPC refusal a grant in marketing, or in no declared category,
 * does not apply and is not shown, so a decision made under the signal does not
 * carry it over (docs/consent-manager.md, "Global Privacy Control": only an
 * explicit switch under the signal grants marketing).
 */
function shownServices(eff) {
  if (!eff) return {};
  const applies = ([service, granted]) =>
    !eff.gpcRefused || !granted || (Object.hasOwn(SERVICES, service) && SERVICES[service] !== "marketing");
  return Object.fromEntries(Object.entries(eff.services).filter(applies));
}

/** A category switch and service switch snapshot of what a decision allows. */
function outcome(eff) {
  const o = {};
  for (const c of OPTIONAL) o[c] = allows(eff, c);
  for (const [s, c] of Object.entries(SERVICES)) o[s] = allows(eff, c, s);
  o.undeclared = allows(eff, "marketing", "widgetco");
  return o;
}

/** The shop page's own gated elements. */
const STATIC = [
  { id: "audience-inline", categories: "analytics", service: "audience" },
  { id: "audience-src", categories: "analytics", service: "audience", url: "/fixtures/tags/audience.js" },
  { id: "ads-pixel", categories: "marketing", service: "ads", url: "/fixtures/tags/ads.js" },
  { id: "recommendations-src", categories: "personalization", service: "recommendations",
    url: "/fixtures/tags/recommendations.js" },
  { id: "recommendations-inline", categories: "personalization", service: "recommendations" },
  { id: "perso-generic", categories: "personalization" },
  { id: "combo", categories: "analytics marketing", url: "/fixtures/tags/tag.js?id=combo" },
  { id: "necessary-inline", categories: "necessary" },
  { id: "unknown-category", categories: "statistics" },
  { id: "video-embed", categories: "marketing", service: "video", url: "/fixtures/embed.html?id=video-embed",
    embed: true, title: "Product video" },
  { id: "map-embed", categories: "personalization", url: "/fixtures/embed.html?id=map-embed", embed: true,
    title: "Store map" },
];

test(`randomized: no gated script or iframe loads before consent, every allowed one runs exactly once (${LOADS} loads)`, async (t) => {
  const random = prng(SEED);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const chance = (p) => random() < p;
  /** One of `options` ([value, weight]) by weight. */
  const weighted = (options) => {
    const live = options.filter(([, w]) => w > 0);
    let r = random() * live.reduce((n, [, w]) => n + w, 0);
    for (const [value, w] of live) if ((r -= w) < 0) return value;
    return live.at(-1)[0];
  };
  const banner = `randomized e2e: seed ${SEED} (replay with ASSENT_E2E_SEED=${SEED}), ${LOADS} page loads`;
  console.log(banner);
  t.diagnostic(banner);

  const started = Date.now();
  const violations = [];
  const stats = { loads: 0, visitors: 0, gpcLoads: 0, actions: {}, spaElements: 0, checkpoints: 0, held: {} };
  let visitor = null; // { context, page }
  let decision = null; // the model's stored decision
  let view = null; // the current page view
  let where = "";
  let spaCounter = 0;

  const violate = (kind, detail) => violations.push({ kind, at: where, detail });

  // What a new visitor's browser already holds: nothing, a valid decision, or
  // one that grants nothing (docs/consent-manager.md): expired (older than
  // its 182 days), outdated (made under a later revision than the page's) or
  // tampered (not the stored form).
  const HELD = [["nothing", 5], ["valid", 2], ["expired", 1], ["outdated", 1], ["tampered", 1]];
  function heldValue(kind) {
    const hour = 3600e3;
    const flags = ["a", "m", "p"].map((c) => c + (chance(0.5) ? 1 : 0)).join("");
    const services = pick(["", "", "+ads", "-audience", "+video~-recommendations", "+widgetco"]);
    if (kind === "valid") return `v2.${flags}.preferences.${Date.now() - hour}.1.0.${services}`;
    if (kind === "expired") return `v2.${flags}.preferences.${Date.now() - 200 * 24 * hour}.1.0.${services}`;
    if (kind === "outdated") return `v2.${flags}.preferences.${Date.now() - hour}.9.0.${services}`;
    return pick([`v2.${flags}.preferences.soon.1.0.`, `v2.${flags}.preferences.${Date.now()}.1.0.+ads~+ads`, "v1.all", "%00"]);
  }

  async function newVisitor() {
    await visitor?.context.close().catch(() => {});
    const session = await openPage(site.browser, { initScript: SEND_GPC_WHEN_ASKED });
    const held = weighted(HELD);
    stats.held[held] = (stats.held[held] ?? 0) + 1;
    const value = held === "nothing" ? null : heldValue(held);
    if (value) await session.context.addCookies([{ name: "assent_consent", value, url: site.server.url }]);
    session.inflight = new Set();
    session.page.on("request", (r) => {
      const u = new URL(r.url());
      view?.requests.push(u.pathname + u.search);
      session.inflight.add(r);
    });
    for (const done of ["requestfinished", "requestfailed"]) session.page.on(done, (r) => session.inflight.delete(r));
    visitor = session;
    decision = held === "valid" ? parseStored(value) : null;
    stats.visitors += 1;
  }

  const eff = () => effective(decision, view.gpc);

  /** Adds what the model allows now to what this page view may run. */
  function grantNow() {
    const e = eff();
    for (const el of view.elements.values()) if (allows(e, el.categories, el.service)) view.allowedEver.add(el.id);
  }

  async function widgetShows(selector) {
    return visitor.page.evaluate(
      (sel) => !!document.querySelector("assent-widget")?.shadowRoot?.querySelector(sel)?.checkVisibility(),
      selector,
    );
  }

  /** Waits until no request has been in flight for a moment (at most 5 s). */
  async function quiet() {
    const until = Date.now() + 5000;
    let calm = 0;
    while (calm < 2 && Date.now() < until) {
      await visitor.page.waitForTimeout(20);
      calm = visitor.inflight.size === 0 ? calm + 1 : 0;
    }
  }

  /** Settles, then compares runs and requests with what the model allowed. */
  async function checkpoint(step) {
    where = `load ${stats.loads} (${view.gpc ? "GPC" : "no GPC"}${view.noLink ? ", no settings link" : ""}), ${step}`;
    stats.checkpoints += 1;
    const page = visitor.page;
    await quiet();
    const expected = {};
    for (const id of view.allowedEver) if (view.elements.has(id)) expected[id] = 1;
    // Patience for allowed elements to run, shorter once some never did (the
    // count of violations stays right; the run stays short).
    const missed = violations.filter((v) => / did not (load|run)$/.test(v.kind)).length;
    await pageUntil(
      page,
      "the allowed scripts to run",
      (want) => {
        const runs = window.assentPreview?.runs ?? {};
        return Object.keys(want).every((id) => runs[id]?.count >= 1);
      },
      expected,
      missed >= 3 ? 300 : 1000,
    ).catch(() => {});
    await page.waitForTimeout(50);
    const runs = await gatedRuns(page);
    for (const [id, count] of Object.entries(runs)) {
      const el = view.elements.get(id);
      if (!el) violate("unknown run", `${id} ran ${count}×`);
      else if (!view.allowedEver.has(id)) violate("ran without consent", `${id} [${el.categories}/${el.service ?? "-"}] ran ${count}×`);
      else if (count > 1) violate("ran more than once", `${id} ran ${count}×`);
    }
    for (const id of Object.keys(expected)) {
      if (!runs[id]) {
        const el = view.elements.get(id);
        violate(
          el.embed ? "allowed embed did not load" : "allowed script did not run",
          `${id} [${el.categories}/${el.service ?? "-"}]${el.spa ? " (inserted after load)" : ""}` +
            (view.startedValid ? " on a page view that began with a valid stored choice" : ""),
        );
      }
    }
    for (const el of view.elements.values()) {
      if (!el.url) continue;
      const n = view.requests.filter((u) => u === el.url).length;
      if (n > 0 && !view.allowedEver.has(el.id)) violate("requested without consent", `${el.url} requested ${n}×`);
      if (n > 1) violate("requested more than once", `${el.url} requested ${n}×`);
    }
    if (!view.noLink && (await page.locator("assent-reopen").count()) > 0) {
      violate("floating button beside the site's own settings link", "");
    }
    if (view.startedValid && !view.widgetAsked && view.requests.some(isWidgetFile)) {
      violate("return visit loaded the widget", view.requests.filter(isWidgetFile).join(", "));
      view.widgetAsked = true; // once per page view
    }
  }

  /** Waits until the stored value differs from `before` and returns it parsed. */
  async function newStored(before) {
    const page = visitor.page;
    try {
      await pageUntil(
        page,
        "the choice to be stored",
        (old) => (/(?:^|; *)assent_consent=([^;]*)/.exec(document.cookie)?.[1] ?? null) !== old,
        before,
        5000,
      );
    } catch {
      violate("choice not stored", `the stored value stayed ${before}`);
      return null;
    }
    const stored = await storedValues(page);
    if (stored.cookie !== stored.local) violate("cookie and localStorage differ", JSON.stringify(stored));
    const parsed = parseStored(stored.cookie);
    if (!parsed) violate("stored value unreadable", stored.cookie);
    return parsed;
  }

  /** Records the user's decision: compares what was stored with the model's, then follows what was stored. */
  async function decided(expected, before, how) {
    const stored = await newStored(before);
    if (!stored) return;
    const want = outcome(effective(expected, view.gpc));
    const got = outcome(effective(stored, view.gpc));
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      violate("stored choice differs from the choice made", `${how}: expected ${JSON.stringify(want)}, stored ${JSON.stringify(got)} (${JSON.stringify(stored)})`);
    }
    if (stored.gpc !== view.gpc) violate("stored GPC flag wrong", `${how}: gpc ${stored.gpc} under GPC ${view.gpc}`);
    if (stored.method !== expected.method) violate("stored method wrong", `${how}: ${stored.method}, expected ${expected.method}`);
    if (stored.revision !== 1) violate("stored revision wrong", `${stored.revision}`);
    decision = stored;
    view.bannerExpected = false;
    grantNow();
  }

  const currentStored = async () => (await storedValues(visitor.page)).cookie;
  const widget = () => visitor.page.locator("assent-widget");
  const bannerButton = (name) => widget().locator("section.banner").getByRole("button", { name, exact: true });
  const dialogButton = (name) => widget().locator("[role=dialog]").getByRole("button", { name, exact: true });

  // A bound on liveness, not a speed budget (the bench measures speed): a
  // first visit fetches and compiles the wasm, which took over 10 s on a
  // fresh clone whose two cores were shared with other jobs (load average 7),
  // and the banner then failed to show "in time" although it did show.
  async function waitWidget(selector) {
    await pageUntil(
      visitor.page,
      `${selector} in the widget`,
      (sel) => !!document.querySelector("assent-widget")?.shadowRoot?.querySelector(sel)?.checkVisibility(),
      selector,
      30000,
    );
  }

  /** In the open preferences: check what they show, switch at random, then save, accept, reject or close. */
  async function preferences(how) {
    const page = visitor.page;
    await waitWidget("[role=dialog]");
    view.widgetAsked = true;
    const e = eff();
    const ids = [...OPTIONAL.map((c) => ["category", c]), ...Object.keys(SERVICES).map((s) => ["service", s])];
    const read = () =>
      page.evaluate((ids) => {
        const root = document.querySelector("assent-widget").shadowRoot;
        return Object.fromEntries(
          ids.map(([kind, id]) => [id, root.querySelector(`#assent-${kind === "category" ? "switch" : "service"}-${id}`)?.checked]),
        );
      }, ids);
    const shown = await read();
    const truth = outcome(e);
    for (const [, id] of ids) {
      if (shown[id] !== truth[id]) {
        violate("preferences misstate the choice", `${how}: ${id} shown ${shown[id] ? "on" : "off"} but ${truth[id] ? "allowed" : "held"}`);
      }
    }
    // The draft, as shown; a category switch carries its services along.
    const draft = { ...shown };
    for (let i = Math.floor(random() * 5); i > 0; i--) {
      const [kind, id] = pick(ids);
      await page.locator(`assent-widget #assent-${kind === "category" ? "switch" : "service"}-${id}`).click();
      draft[id] = !draft[id];
      if (kind === "category") for (const [s, c] of Object.entries(SERVICES)) if (c === id) draft[s] = draft[id];
    }
    const now = await read();
    if (JSON.stringify(now) !== JSON.stringify(draft)) {
      violate("switches do not follow clicks", `${how}: expected ${JSON.stringify(draft)}, shown ${JSON.stringify(now)}`);
    }
    const end = weighted([["save", 6], ["accept", 1.5], ["reject", 1.5], ["close", 1]]);
    stats.actions[`prefs-${end}`] = (stats.actions[`prefs-${end}`] ?? 0) + 1;
    const before = await currentStored();
    if (end === "close") {
      if (chance(0.5)) await page.keyboard.press("Escape");
      else await widget().locator("[role=dialog]").getByRole("button", { name: "Close", exact: true }).click();
      await pageUntil(page, "the preferences dialog to close", () =>
        !document.querySelector("assent-widget").shadowRoot.querySelector("[role=dialog]").checkVisibility(),
      );
      return;
    }
    if (end === "save") {
      await dialogButton("Save choices").click();
      const services = {};
      for (const [s, c] of Object.entries(SERVICES)) if (now[s] !== now[c]) services[s] = now[s];
      const categories = Object.fromEntries(OPTIONAL.map((c) => [c, now[c]]));
      await decided({ categories, services, gpc: view.gpc, method: "preferences" }, before, `${how}, save`);
    } else if (end === "accept") {
      await dialogButton("Accept all").click();
      await decided(acceptAll(), before, `${how}, accept all`);
    } else {
      await dialogButton("Reject all").click();
      await decided(rejectAll(), before, `${how}, reject all`);
    }
  }

  const acceptAll = () => ({
    categories: { analytics: true, marketing: !view.gpc, personalization: true },
    services: {},
    gpc: view.gpc,
    method: "accept-all",
  });
  const rejectAll = () => ({
    categories: { analytics: false, marketing: false, personalization: false },
    services: {},
    gpc: view.gpc,
    method: "reject-all",
  });

  /** The banner is up: decide from it (or go to the preferences). */
  async function fromBanner(how) {
    await waitWidget("section.banner");
    view.widgetAsked = true;
    const before = await currentStored();
    const choice = weighted([["accept", 3], ["reject", 2], ["customize", 3]]);
    stats.actions[`banner-${choice}`] = (stats.actions[`banner-${choice}`] ?? 0) + 1;
    if (choice === "accept") {
      await bannerButton("Accept all").click();
      await decided(acceptAll(), before, `${how}, accept all`);
    } else if (choice === "reject") {
      await bannerButton("Reject all").click();
      await decided(rejectAll(), before, `${how}, reject all`);
    } else {
      await bannerButton("Customize").click();
      await preferences(`${how}, customize`);
    }
  }

  /** Held embeds that have a placeholder now. */
  function heldEmbeds() {
    const e = eff();
    return [...view.elements.values()].filter(
      (el) => el.embed && !view.allowedEver.has(el.id) && !allows(e, el.categories, el.service),
    );
  }

  async function placeholderButton(el, name) {
    // Mark the embed's placeholder (inserted just before it) to find it.
    const found = await visitor.page.evaluate((title) => {
      const frame = [...document.querySelectorAll("iframe")].find((f) => f.title === title);
      const p = frame?.previousElementSibling;
      if (p?.localName !== "assent-placeholder") return false;
      p.setAttribute("data-test-for", title);
      return true;
    }, el.title);
    if (!found) {
      violate("held embed has no placeholder", el.id);
      return null;
    }
    return visitor.page.locator(`assent-placeholder[data-test-for="${el.title}"]`).getByRole("button", { name, exact: true });
  }

  async function spaInsert() {
    const items = [];
    for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
      const id = `spa-${++spaCounter}`;
      const kind = pick(["inline", "src", "iframe"]);
      const categories = pick([
        "analytics", "marketing", "personalization", "necessary", "analytics marketing", "marketing, personalization",
        "necessary analytics", "statistics", "",
      ]);
      let service;
      if (KNOWN.includes(categories) && categories !== "necessary" && chance(0.6)) {
        service = pick([...Object.entries(SERVICES).filter(([, c]) => c === categories).map(([s]) => s), "widgetco"]);
      }
      const url = kind === "src" ? `/fixtures/tags/tag.js?id=${id}` : kind === "iframe" ? `/fixtures/embed.html?id=${id}` : undefined;
      const el = { id, categories, service, url, embed: kind === "iframe", title: `Embed ${id}`, spa: true, kind };
      view.elements.set(id, el);
      items.push(el);
    }
    stats.spaElements += items.length;
    await visitor.page.evaluate((items) => {
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
    grantNow();
  }

  async function act() {
    const page = visitor.page;
    const held = heldEmbeds();
    const action = weighted([
      ["banner", view.bannerExpected ? 8 : 0],
      ["reopen", decision ? 3 : 0.5],
      ["show", decision ? 0.6 : 0],
      ["spa", 3],
      ["once", held.length ? 1 : 0],
      ["always", held.some((el) => el.service) ? 1 : 0],
      ["reset", decision ? 0.7 : 0],
    ]);
    stats.actions[action] = (stats.actions[action] ?? 0) + 1;
    where = `load ${stats.loads} (${view.gpc ? "GPC" : "no GPC"}${view.noLink ? ", no settings link" : ""}), ${action}`;
    if (action === "banner") {
      await fromBanner("banner");
    } else if (action === "reopen") {
      // The floating button exists where the page has no settings link of its
      // own, once a choice exists (docs/loader.md, "Settings").
      const how = weighted([
        ["floating button", decision && view.floating && view.noLink ? 2 : 0],
        ["footer link", view.noLink ? 0 : 2],
        ["Assent.showPreferences()", 1],
      ]);
      if (how === "floating button") {
        const button = page.locator("assent-reopen").getByRole("button", { name: "Privacy settings", exact: true });
        try {
          await button.waitFor({ timeout: 5000 });
        } catch {
          violate("no floating button on a page without a settings link", `choice ${JSON.stringify(decision)}`);
          return;
        }
        await button.click();
      } else if (how === "footer link") await page.getByRole("link", { name: "Privacy settings" }).click();
      else await page.evaluate(() => Assent.showPreferences());
      await preferences(`reopened from the ${how}`);
    } else if (action === "show") {
      await page.evaluate(() => Assent.show());
      await fromBanner("Assent.show()");
    } else if (action === "spa") {
      await spaInsert();
    } else if (action === "once") {
      const el = pick(held);
      const button = await placeholderButton(el, "Load this once");
      if (!button) return;
      await button.click();
      view.allowedEver.add(el.id);
    } else if (action === "always") {
      const el = pick(held.filter((x) => x.service));
      // The service's provider from the policy; an undeclared service is named by its id.
      const button = await placeholderButton(el, `Always allow ${PROVIDERS[el.service] ?? el.service}`);
      if (!button) return;
      const before = await currentStored();
      await button.click();
      view.widgetAsked = true;
      const e = eff();
      await decided(
        {
          categories: e ? { ...e.categories } : { analytics: false, marketing: false, personalization: false },
          services: { ...shownServices(e), [el.service]: true },
          gpc: view.gpc,
          method: "preferences",
        },
        before,
        `"Always allow" on ${el.id}`,
      );
    } else if (action === "reset") {
      await page.evaluate(() => Assent.reset());
      view.widgetAsked = true;
      decision = null;
      view.bannerExpected = true;
      const stored = await storedValues(page);
      if (stored.cookie !== null || stored.local !== null) violate("reset kept the stored choice", JSON.stringify(stored));
      await waitWidget("section.banner").catch(() => violate("no banner after reset", ""));
    }
    view.floating ||= !!decision;
    await checkpoint(`after ${action}`);
  }

  while (stats.loads < LOADS) {
    if (!visitor || chance(0.2)) await newVisitor();
    stats.loads += 1;
    const gpc = chance(0.3);
    if (gpc) stats.gpcLoads += 1;
    const noLink = chance(0.3); // a page without its own settings link
    view = {
      gpc,
      noLink,
      elements: new Map(STATIC.map((el) => [el.id, el])),
      allowedEver: new Set(),
      requests: [],
      startedValid: !!decision,
      widgetAsked: false,
      bannerExpected: !decision,
      floating: !!decision,
    };
    where = `load ${stats.loads} (${gpc ? "GPC" : "no GPC"}), page load`;
    try {
      const query = [gpc && "gpc", noLink && "no-settings-link"].filter(Boolean).join("&");
      await visitor.page.goto(site.server.url + "/fixtures/shop.html" + (query ? `?${query}` : ""));
      await pageUntil(visitor.page, "the loader's API", () => !!window.Assent?.getConsent);
      grantNow();
      if (view.bannerExpected) {
        await waitWidget("section.banner").catch(() => violate("no banner without a valid choice", ""));
      }
      await checkpoint("page load");
      if (!view.bannerExpected && (await visitor.page.locator("assent-widget").count()) > 0 && (await bannerShown(visitor.page))) {
        violate("banner despite a valid choice", JSON.stringify(decision));
      }
      for (let n = weighted([[0, 2], [1, 4], [2, 3], [3, 2]]); n > 0; n--) await act();
      if (await dialogShown(visitor.page).catch(() => false)) await visitor.page.keyboard.press("Escape");
    } catch (e) {
      violate("step failed", String(e?.message ?? e).split("\n")[0]);
      await newVisitor(); // start over with a new visitor
    }
    if (visitor.errors.length) {
      violate("page error", visitor.errors.join(" | "));
      visitor.errors.length = 0;
    }
  }
  await visitor?.context.close();

  const seconds = (Date.now() - started) / 1000;
  const summary = `randomized e2e: seed ${SEED}: ${stats.loads} loads, ${stats.visitors} visitors, ${stats.gpcLoads} under GPC, ` +
    `${stats.spaElements} elements inserted after load, ${stats.checkpoints} checkpoints, ${seconds.toFixed(0)} s ` +
    `(${((stats.loads * 60) / seconds).toFixed(0)} loads/min), ${violations.length} violations; ` +
    `visitors holding ${JSON.stringify(stats.held)}; actions ${JSON.stringify(stats.actions)}`;
  console.log(summary);
  t.diagnostic(summary);

  // Each kind of violation once, with how often it happened, where first, and
  // a few different examples.
  const kinds = new Map();
  for (const v of violations) {
    const k = kinds.get(v.kind) ?? { count: 0, first: v, examples: new Set() };
    k.count += 1;
    if (k.examples.size < 4) k.examples.add(v.detail.replace(/ on a page view .*/, "").slice(0, 200));
    kinds.set(v.kind, k);
  }
  const report = [...kinds].map(
    ([kind, { count, first, examples }]) =>
      `${kind} (${count}×), first at ${first.at}: ${first.detail}; examples: ${[...examples].join(" | ")}`,
  );
  assert.deepEqual(report, [], `seed ${SEED}: the rules were broken:\n  ${report.join("\n  ")}`);
});
