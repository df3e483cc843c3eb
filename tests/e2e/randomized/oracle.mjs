// The oracle of the randomized end-to-end run: the rules of
// docs/consent-manager.md, written here independently of the loader's and
// core's code, over a policy model read from the page's configuration.
//
// A policy model is { categories: the optional categories the policy declares
// (the preferences have a switch for each), services: { id: its category } of
// those categories' services,
// providers: { id: provider }, lifetimeDays }. Gating reads the category
// vocabulary, not the policy: an element of an optional category the policy
// leaves out still runs when the decision grants that category.

/** The optional categories of the vocabulary, in stored-value order. */
export const OPTIONAL = ["analytics", "marketing", "personalization"];
const KNOWN = ["necessary", ...OPTIONAL];

/** The policy model of a page configuration (`#assent-config`). */
export function policyModel(config) {
  const model = { categories: [], services: {}, providers: {}, lifetimeDays: config["lifetime-days"] };
  for (const category of config.categories ?? []) {
    if (!OPTIONAL.includes(category.id)) continue; // necessary: no switch, always on
    model.categories.push(category.id);
    for (const service of category.services ?? []) {
      model.services[service.id] = category.id;
      model.providers[service.id] = service.provider;
    }
  }
  return model;
}

/** What a decision allows on a page view with or without GPC. */
export function effective(decision, gpcNow) {
  if (!decision) return null;
  const gpcRefused = gpcNow && !decision.gpc;
  return {
    categories: { ...decision.categories, ...(gpcRefused && { marketing: false }) },
    services: { ...decision.services },
    gpcRefused,
  };
}

/** Whether an element with these data-category / data-service runs (docs/consent-manager.md). */
export function allows(eff, categories, service) {
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
export function shownServices(model, eff) {
  if (!eff) return {};
  const applies = ([service, granted]) =>
    !eff.gpcRefused || !granted || (Object.hasOwn(model.services, service) && model.services[service] !== "marketing");
  return Object.fromEntries(Object.entries(eff.services).filter(applies));
}

/**
 * A snapshot of what a decision allows: each category of the vocabulary, each
 * service of the policy, and a service no policy declares.
 */
export function outcome(model, eff) {
  const o = {};
  for (const c of OPTIONAL) o[c] = allows(eff, c);
  for (const [s, c] of Object.entries(model.services)) o[s] = allows(eff, c, s);
  o.undeclared = allows(eff, "marketing", "widgetco-undeclared");
  return o;
}

/** The decisions of the first layer's and the preferences' two buttons. */
export const acceptAll = (gpc) => ({
  categories: { analytics: true, marketing: !gpc, personalization: true },
  services: {},
  gpc,
  method: "accept-all",
});
export const rejectAll = (gpc) => ({
  categories: { analytics: false, marketing: false, personalization: false },
  services: {},
  gpc,
  method: "reject-all",
});

/**
 * What `Assent.getConsent()` says a decision allows, as an `outcome` of the
 * categories and the policy's services (a visitor whose storage is blocked has
 * no stored value to read).
 */
export function reportedOutcome(model, consent) {
  const o = {};
  for (const c of OPTIONAL) o[c] = consent.categories?.[c] === "given";
  for (const s of Object.keys(model.services)) o[s] = consent.services?.[s] === "given";
  return o;
}

/** The shop page's own gated elements (tests/e2e/fixtures/shop.html). */
export const STATIC = [
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
