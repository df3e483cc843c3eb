// One stream of visitors of the randomized end-to-end run: a browser context is
// one visitor, reused across page loads, replaced at random by a new one. A
// visitor browses one site (one of the run's policies), may arrive holding a
// stored value, may have storage blocked, and sends GPC on some loads. The
// stream keeps the model of the visitor's decision and of each page view,
// checks the page against it at every checkpoint, and reports what differs as
// violations. Its actions are in actions.mjs.
import {
  BLOCK_STORAGE,
  SEND_GPC_WHEN_ASKED,
  bannerShown,
  dialogShown,
  gatedRuns,
  isWidgetFile,
  openPage,
  parseStored,
  storedValues,
} from "../support.mjs";
import { pageUntil } from "../../support/harness.mjs";
import { prng, weighted } from "../../support/random.mjs";
import { STATIC, allows, effective, outcome, reportedOutcome } from "./oracle.mjs";
import { act, earlyAct } from "./actions.mjs";

const HOUR = 3600e3;

/**
 * What a new visitor's browser already holds: nothing, a valid decision, or
 * one that grants nothing (docs/consent-manager.md): expired (older than the
 * policy's lifetime), outdated (made under a later revision than the page's)
 * or tampered (not the stored form).
 */
const HELD = [["nothing", 5], ["valid", 2], ["expired", 1], ["outdated", 1], ["tampered", 1]];

export class VisitorStream {
  /**
   * `site` has the server and browser; `policies` are [{ name, model }];
   * `stats` and `violations` are shared by every stream of the run.
   */
  constructor({ site, seed, policies, stats, violations }) {
    this.site = site;
    this.random = prng(seed);
    this.policies = policies;
    this.stats = stats;
    this.violations = violations;
    this.session = null; // { context, page, inflight, errors, blocked, policy }
    this.decision = null; // the model's stored decision
    this.view = null; // the current page view
    this.where = "";
    this.spaCounter = 0;
  }

  pick(xs) {
    return xs[Math.floor(this.random() * xs.length)];
  }

  chance(p) {
    return this.random() < p;
  }

  /** One of `options` ([value, weight]) by weight. */
  weighted(options) {
    return weighted(this.random, options);
  }

  count(group, key) {
    this.stats[group][key] = (this.stats[group][key] ?? 0) + 1;
  }

  violate(kind, detail) {
    this.violations.push({ kind, at: this.where, detail });
  }

  get page() {
    return this.session.page;
  }

  get model() {
    return this.session.policy.model;
  }

  /** What the model's decision allows on this page view. */
  eff() {
    return effective(this.decision, this.view.gpc);
  }

  heldValue(kind) {
    const flags = ["a", "m", "p"].map((c) => c + (this.chance(0.5) ? 1 : 0)).join("");
    const services = this.pick(["", "", "+ads", "-audience", "+video~-recommendations", "+widgetco"]);
    const expiredAt = Date.now() - (this.model.lifetimeDays + 10) * 24 * HOUR;
    if (kind === "valid") return `v2.${flags}.preferences.${Date.now() - HOUR}.1.0.${services}`;
    if (kind === "expired") return `v2.${flags}.preferences.${expiredAt}.1.0.${services}`;
    if (kind === "outdated") return `v2.${flags}.preferences.${Date.now() - HOUR}.9.0.${services}`;
    return this.pick([`v2.${flags}.preferences.soon.1.0.`, `v2.${flags}.preferences.${Date.now()}.1.0.+ads~+ads`, "v1.all", "%00"]);
  }

  async newVisitor() {
    await this.session?.context.close().catch(() => {});
    const blocked = this.chance(0.1);
    const session = await openPage(this.site.browser, { initScript: SEND_GPC_WHEN_ASKED });
    if (blocked) await session.context.addInitScript(BLOCK_STORAGE);
    session.blocked = blocked;
    session.policy = this.pick(this.policies);
    this.session = session;
    const held = blocked ? "blocked storage" : this.weighted(HELD);
    this.count("held", held);
    this.count("policies", session.policy.name);
    const value = held === "nothing" || blocked ? null : this.heldValue(held);
    if (value) await session.context.addCookies([{ name: "assent_consent", value, url: this.site.server.url }]);
    session.inflight = new Set();
    session.page.on("request", (r) => {
      const u = new URL(r.url());
      this.view?.requests.push(u.pathname + u.search);
      session.inflight.add(r);
    });
    for (const done of ["requestfinished", "requestfailed"]) session.page.on(done, (r) => session.inflight.delete(r));
    this.decision = held === "valid" ? parseStored(value) : null;
    this.stats.visitors += 1;
  }

  /** Adds what the model allows now to what this page view may run. */
  grantNow() {
    const e = this.eff();
    for (const el of this.view.elements.values()) if (allows(e, el.categories, el.service)) this.view.allowedEver.add(el.id);
  }

  /** Waits until no request has been in flight for a moment (at most 5 s). */
  async quiet() {
    const until = Date.now() + 5000;
    let calm = 0;
    while (calm < 2 && Date.now() < until) {
      await this.page.waitForTimeout(20);
      calm = this.session.inflight.size === 0 ? calm + 1 : 0;
    }
  }

  place(step) {
    const v = this.view;
    const notes = [v.gpc ? "GPC" : "no GPC", v.noLink && "no settings link", this.session.blocked && "storage blocked",
      this.session.policy.name];
    this.where = `load ${v.load} (${notes.filter(Boolean).join(", ")}), ${step}`;
  }

  /** Settles, then compares runs and requests with what the model allowed. */
  async checkpoint(step) {
    this.place(step);
    this.stats.checkpoints += 1;
    const { page, view } = this;
    await this.quiet();
    const expected = {};
    for (const id of view.allowedEver) if (view.elements.has(id)) expected[id] = 1;
    // Patience for allowed elements to run, shorter once some never did (the
    // count of violations stays right; the run stays short).
    const missed = this.violations.filter((v) => / did not (load|run)$/.test(v.kind)).length;
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
      if (!el) this.violate("unknown run", `${id} ran ${count}×`);
      else if (!view.allowedEver.has(id)) this.violate("ran without consent", `${id} [${el.categories}/${el.service ?? "-"}] ran ${count}×`);
      else if (count > 1) this.violate("ran more than once", `${id} ran ${count}×`);
    }
    for (const id of Object.keys(expected)) {
      if (!runs[id]) {
        const el = view.elements.get(id);
        this.violate(
          el.embed ? "allowed embed did not load" : "allowed script did not run",
          `${id} [${el.categories}/${el.service ?? "-"}]${el.spa ? " (inserted after load)" : ""}` +
            (view.startedValid ? " on a page view that began with a valid stored choice" : ""),
        );
      }
    }
    for (const el of view.elements.values()) {
      if (!el.url) continue;
      const n = view.requests.filter((u) => u === el.url).length;
      if (n > 0 && !view.allowedEver.has(el.id)) this.violate("requested without consent", `${el.url} requested ${n}×`);
      if (n > 1) this.violate("requested more than once", `${el.url} requested ${n}×`);
    }
    if (!view.noLink && (await page.locator("assent-reopen").count()) > 0) {
      this.violate("floating button beside the site's own settings link", "");
    }
    if (view.startedValid && !view.widgetAsked && view.requests.some(isWidgetFile)) {
      this.violate("return visit loaded the widget", view.requests.filter(isWidgetFile).join(", "));
      view.widgetAsked = true; // once per page view
    }
  }

  /**
   * What marks the current decision: the stored value, or where storage is
   * blocked the time of the decision this page view holds.
   */
  async decisionMark() {
    if (this.session.blocked) return this.page.evaluate(() => Assent.getConsent().decidedAt);
    return (await storedValues(this.page)).cookie;
  }

  /** Waits until the decision's mark differs from `before`; false if it never does. */
  async markChanged(before) {
    const blocked = this.session.blocked;
    try {
      await pageUntil(
        this.page,
        blocked ? "the choice to apply" : "the choice to be stored",
        ([old, blocked]) =>
          (blocked
            ? Assent.getConsent().decidedAt
            : (/(?:^|; *)assent_consent=([^;]*)/.exec(document.cookie)?.[1] ?? null)) !== old,
        [before, blocked],
        5000,
      );
      return true;
    } catch {
      this.violate(blocked ? "choice not applied" : "choice not stored", `the mark stayed ${before}`);
      return false;
    }
  }

  /**
   * Records the user's decision: compares what was stored (or, with storage
   * blocked, what the page reports) with the model's, then follows it.
   */
  async decided(expected, before, how) {
    if (!(await this.markChanged(before))) return;
    const want = outcome(this.model, effective(expected, this.view.gpc));
    let decision;
    if (this.session.blocked) {
      const consent = await this.page.evaluate(() => Assent.getConsent());
      const got = reportedOutcome(this.model, consent);
      const wanted = Object.fromEntries(Object.keys(got).map((k) => [k, want[k]]));
      if (JSON.stringify(wanted) !== JSON.stringify(got)) {
        this.violate("choice applied differs from the choice made", `${how}: expected ${JSON.stringify(wanted)}, applied ${JSON.stringify(got)}`);
      }
      if (consent.method !== expected.method) this.violate("method wrong", `${how}: ${consent.method}, expected ${expected.method}`);
      decision = { ...expected, revision: 1 };
    } else {
      const stored = await storedValues(this.page);
      if (stored.cookie !== stored.local) this.violate("cookie and localStorage differ", JSON.stringify(stored));
      decision = parseStored(stored.cookie);
      if (!decision) return this.violate("stored value unreadable", stored.cookie);
      const got = outcome(this.model, effective(decision, this.view.gpc));
      if (JSON.stringify(want) !== JSON.stringify(got)) {
        this.violate("stored choice differs from the choice made", `${how}: expected ${JSON.stringify(want)}, stored ${JSON.stringify(got)} (${JSON.stringify(decision)})`);
      }
      if (decision.method !== expected.method) this.violate("stored method wrong", `${how}: ${decision.method}, expected ${expected.method}`);
    }
    if (decision.gpc !== this.view.gpc) this.violate("GPC flag wrong", `${how}: gpc ${decision.gpc} under GPC ${this.view.gpc}`);
    if (decision.revision !== 1) this.violate("stored revision wrong", `${decision.revision}`);
    this.decision = decision;
    this.view.bannerExpected = false;
    this.grantNow();
  }

  /** Waits (30 s at most) until `selector` shows in the widget. */
  async waitWidget(selector) {
    // A bound on liveness, not a speed budget (the bench measures speed): a
    // first visit fetches and compiles the wasm, which took over 10 s on a
    // fresh clone whose two cores were shared with other jobs.
    await pageUntil(
      this.page,
      `${selector} in the widget`,
      (sel) => !!document.querySelector("assent-widget")?.shadowRoot?.querySelector(sel)?.checkVisibility(),
      selector,
      30000,
    );
  }

  /**
   * One page load: at once, or (sometimes) acting the moment the page
   * commits, before the loader, the first layer or the widget is there.
   */
  async load(number) {
    if (!this.session || this.chance(0.2)) await this.newVisitor();
    if (this.session.blocked) this.decision = null; // nothing was kept
    const gpc = this.chance(0.3);
    if (gpc) this.stats.gpcLoads += 1;
    const noLink = this.chance(0.3); // a page without its own settings link
    const early = this.chance(0.15);
    this.view = {
      load: number,
      gpc,
      noLink,
      elements: new Map(STATIC.map((el) => [el.id, el])),
      allowedEver: new Set(),
      requests: [],
      startedValid: !!this.decision,
      widgetAsked: false,
      bannerExpected: !this.decision,
      floating: !!this.decision,
    };
    this.place("page load");
    const page = this.page;
    try {
      const query = new URLSearchParams({ policy: this.session.policy.name });
      if (gpc) query.set("gpc", "");
      if (noLink) query.set("no-settings-link", "");
      await page.goto(`${this.site.server.url}/fixtures/shop.html?${query}`, { waitUntil: early ? "commit" : "load" });
      this.grantNow();
      if (early) {
        this.stats.early += 1;
        await page.waitForTimeout(Math.floor(this.random() * 150));
        await earlyAct(this);
      } else {
        await pageUntil(page, "the loader's API", () => !!window.Assent?.getConsent);
        if (this.view.bannerExpected) {
          await this.waitWidget("section.banner").catch(() => this.violate("no banner without a valid choice", ""));
        }
        await this.checkpoint("page load");
        if (!this.view.bannerExpected && (await page.locator("assent-widget").count()) > 0 && (await bannerShown(page))) {
          this.violate("banner despite a valid choice", JSON.stringify(this.decision));
        }
      }
      for (let n = this.weighted([[0, 2], [1, 4], [2, 3], [3, 2]]); n > 0; n--) await act(this);
      if (await dialogShown(page).catch(() => false)) await page.keyboard.press("Escape");
    } catch (e) {
      this.violate("step failed", String(e?.message ?? e).split("\n")[0]);
      await this.newVisitor(); // start over with a new visitor
    }
    if (this.session.errors.length) {
      this.violate("page error", this.session.errors.join(" | "));
      this.session.errors.length = 0;
    }
  }

  /** Loads pages while `nextLoad()` gives a load number. */
  async run(nextLoad) {
    for (let n = nextLoad(); n !== null; n = nextLoad()) await this.load(n);
    await this.session?.context.close();
  }
}
