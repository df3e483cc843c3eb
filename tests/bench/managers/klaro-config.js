// Klaro 0.7.22 on the bench page (docs/bench.md), installed as its
// documentation shows: this file defines `klaroConfig`, then `klaro.js`
// (its stylesheet and translations built in) reads it, named by the script
// tag's `data-config`. Purposes: analytics, marketing; one service each, plus
// a required one for what is strictly necessary. Gated scripts are
// `type="text/plain" data-type="text/javascript" data-name="<service>"` tags.
// The texts are Assent's English ones, so every banner says the same.
var klaroConfig = {
  version: 1,
  elementID: "klaro",
  storageMethod: "cookie",
  cookieName: "klaro",
  cookieExpiresAfterDays: 182,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  hideLearnMore: false,
  noticeAsModal: false,
  showNoticeTitle: true,
  groupByPurpose: true,
  privacyPolicy: "/managers/privacy.html",
  translations: {
    en: {
      privacyPolicyUrl: "/managers/privacy.html",
      consentNotice: {
        title: "We value your privacy",
        description:
          "We use cookies and similar technologies that are strictly necessary to run this site. " +
          "With your consent we would also like to measure audience and show relevant advertising. " +
          "You can change your mind at any time from “Privacy settings”.",
        learnMore: "Customize",
      },
      consentModal: {
        title: "Privacy preferences",
        description:
          "Choose which optional cookies and technologies you allow. Nothing optional is on until you switch it on.",
      },
      ok: "Accept all",
      decline: "Reject all",
      acceptAll: "Accept all",
      acceptSelected: "Save choices",
      purposes: {
        necessary: "Strictly necessary",
        analytics: "Analytics",
        marketing: "Marketing",
      },
      consent: { description: "Remembers your choices." },
      audience: { description: "Counts visits to improve the site, with your consent." },
      ads: { description: "Shows and measures ads, with your consent." },
    },
  },
  services: [
    { name: "consent", title: "Your choices", purposes: ["necessary"], required: true },
    { name: "audience", title: "Bench Audience", purposes: ["analytics"], cookies: ["_bench_audience"] },
    { name: "ads", title: "Bench Ads", purposes: ["marketing"], cookies: ["_bench_ads"] },
  ],
};
