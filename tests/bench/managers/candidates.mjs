// The four consent managers of `cargo xtask bench` (docs/bench.md): how each is
// installed on the one host page (host.html), and how the bench finds its
// banner, its buttons, its preferences dialog and the choice it stored. Each
// gates the same two tags (analytics.js, marketing.js) with its own documented
// mechanism; the gating is the only markup that differs between the pages,
// with the settings link each manager documents.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const MANAGERS_DIR = import.meta.dirname;
/** The bench's policy, from which Assent's `#assent-config` is generated. */
export const POLICIES_DIR = join(MANAGERS_DIR, "policies");
/** Where the page posts Assent's consent records (proxied to the ledger). */
export const RECORDS_ENDPOINT = "/api/v1/consent-records";

/** The tags every manager holds back, and the path each is served at. */
export const GATED = { analytics: "/managers/analytics.js", marketing: "/managers/marketing.js" };

/**
 * A stored choice, read in the page: the cookie `cookie` (URL-decoded) or
 * else the localStorage item `local`, tested against `rejected` or
 * `accepted` (regular expression sources).
 */
const stored = (cookie, local, rejected, accepted) => ({ cookie, local, rejected, accepted });

/** Both categories refused, or both granted, in a JSON object of booleans (klaro). */
const both = (value) => `^(?=.*"audience":${value})(?=.*"ads":${value})`;

/**
 * Each candidate. Selectors are CSS, with `>>>` entering an open shadow root
 * (the bench's own notation, also understood by Playwright's locators once
 * turned into a descendant combinator: they pierce open shadow roots).
 * `settled`, when present, is one more condition before a visit counts as
 * finished, `{ what, test }` (Assent: its consent record delivered, the
 * outbox marker gone).
 */
export const CANDIDATES = [
  {
    id: "assent",
    name: "Assent",
    head: (config) =>
      `<link rel="privacy-policy" href="/managers/privacy.html">
  <script type="application/json" id="assent-config">${config}</script>
  <script src="/assent-loader.js"></script>`,
    settingsLink: `<a href="#" data-assent-open>Privacy settings</a>`,
    gated: `<script type="text/plain" data-category="analytics" src="${GATED.analytics}"></script>
  <script type="text/plain" data-category="marketing" src="${GATED.marketing}"></script>`,
    banner: "assent-widget >>> section.banner",
    reject: 'assent-widget >>> section.banner [data-action="reject-all"]',
    accept: 'assent-widget >>> section.banner [data-action="accept-all"]',
    customize: 'assent-widget >>> section.banner [data-action="customize"]',
    dialog: "assent-widget >>> [role=dialog]",
    stored: stored("assent_consent", "assent.consent", "\\.reject-all\\.", "\\.accept-all\\."),
    settled: {
      what: "its consent record was not delivered to the ledger",
      test: () => localStorage.getItem("assent.outbox") === null,
    },
  },
  {
    id: "cookieconsent",
    name: "cookieconsent",
    head: () =>
      `<link rel="stylesheet" href="/vendor/cookieconsent/cookieconsent.css">
  <script type="module" src="/managers/cookieconsent-config.js"></script>`,
    settingsLink: `<a href="#" data-cc="show-preferencesModal">Privacy settings</a>`,
    gated: `<script type="text/plain" data-category="analytics" src="${GATED.analytics}"></script>
  <script type="text/plain" data-category="marketing" src="${GATED.marketing}"></script>`,
    banner: "#cc-main .cm",
    reject: '#cc-main .cm [data-role="necessary"]',
    accept: '#cc-main .cm [data-role="all"]',
    customize: '#cc-main .cm [data-role="show"]',
    dialog: "#cc-main .pm",
    stored: stored("cc_cookie", null, '"categories":\\["necessary"\\]', '"categories":\\["necessary","analytics","marketing"\\]'),
  },
  {
    id: "klaro",
    name: "klaro",
    head: () =>
      `<script src="/managers/klaro-config.js"></script>
  <script defer data-config="klaroConfig" src="/vendor/klaro/klaro.js"></script>`,
    settingsLink: `<a href="#" onclick="klaro.show(); return false;">Privacy settings</a>`,
    gated: `<script type="text/plain" data-type="text/javascript" data-name="audience" data-src="${GATED.analytics}"></script>
  <script type="text/plain" data-type="text/javascript" data-name="ads" data-src="${GATED.marketing}"></script>`,
    banner: ".klaro .cookie-notice",
    reject: ".klaro .cookie-notice .cn-decline",
    accept: ".klaro .cookie-notice .cm-btn-success",
    customize: ".klaro .cookie-notice .cn-learn-more",
    dialog: ".klaro .cookie-modal",
    stored: stored("klaro", null, both(false), both(true)),
  },
  {
    id: "tarteaucitron",
    name: "tarteaucitron",
    head: () =>
      `<script src="/vendor/tarteaucitron/tarteaucitron.min.js"></script>
  <script src="/managers/tarteaucitron-config.js"></script>`,
    settingsLink: `<a href="#" onclick="tarteaucitron.userInterface.openPanel(); return false;">Privacy settings</a>`,
    gated: "",
    banner: "#tarteaucitronAlertBig",
    reject: "#tarteaucitronAllDenied2",
    accept: "#tarteaucitronPersonalize2",
    customize: "#tarteaucitronCloseAlert",
    dialog: "#tarteaucitron",
    stored: stored(
      "tarteaucitron",
      null,
      "^(?=.*!benchanalytics=false)(?=.*!benchmarketing=false)",
      "^(?=.*!benchanalytics=true)(?=.*!benchmarketing=true)",
    ),
  },
];

/** Where a candidate's files come from: URL prefix → directory (node_modules). */
export function vendorMounts(root) {
  const modules = join(root, "node_modules");
  return {
    "/vendor/cookieconsent/": join(modules, "vanilla-cookieconsent", "dist"),
    "/vendor/klaro/": join(modules, "klaro", "dist"),
    "/vendor/tarteaucitron/": join(modules, "tarteaucitronjs"),
  };
}

/** A candidate's host page: host.html with its head, settings link and gated tags. */
export async function hostPage(candidate, assentConfig) {
  const template = await readFile(join(MANAGERS_DIR, "host.html"), "utf8");
  return template
    .replace("<!-- consent manager: head -->", () => candidate.head(assentConfig))
    .replace("<!-- consent manager: settings link -->", () => candidate.settingsLink)
    .replace("<!-- consent manager: gated scripts -->", () => candidate.gated);
}

/** A selector in Playwright's form: `>>>` becomes a descendant combinator. */
export function locatorOf(selector) {
  return selector.replaceAll(">>>", " ");
}
