// tarteaucitron 1.34.0 on the bench page (docs/bench.md), installed as its
// documentation shows: `tarteaucitron.min.js` (which loads its stylesheet,
// its English texts and its services file from beside itself), then this
// file: `tarteaucitron.init` and two custom services, one per category
// (tarteaucitron's types `analytic` and `ads`), each loading its tag with
// `tarteaucitron.addScript` once allowed, queued with `tarteaucitron.job`.
// The page has its own "Privacy settings" link, so no floating icon. The
// texts are Assent's English ones (tarteaucitronCustomText, read by init).
var tarteaucitronCustomText = {
  middleBarHead: "We value your privacy",
  alertBigPrivacy:
    "We use cookies and similar technologies that are strictly necessary to run this site. " +
    "With your consent we would also like to measure audience and show relevant advertising. " +
    "You can change your mind at any time from “Privacy settings”.",
  acceptAll: "Accept all",
  denyAll: "Reject all",
  personalize: "Customize",
};

tarteaucitron.services.benchanalytics = {
  key: "benchanalytics",
  type: "analytic",
  name: "Bench Audience",
  uri: "/managers/privacy.html",
  needConsent: true,
  cookies: ["_bench_audience"],
  js: function () {
    "use strict";
    tarteaucitron.addScript("/managers/analytics.js");
  },
};

tarteaucitron.services.benchmarketing = {
  key: "benchmarketing",
  type: "ads",
  name: "Bench Ads",
  uri: "/managers/privacy.html",
  needConsent: true,
  cookies: ["_bench_ads"],
  js: function () {
    "use strict";
    tarteaucitron.addScript("/managers/marketing.js");
  },
};

tarteaucitron.init({
  privacyUrl: "/managers/privacy.html",
  hashtag: "#tarteaucitron",
  cookieName: "tarteaucitron",
  orientation: "bottom",
  showAlertSmall: false,
  showTitleBanner: true,
  showIcon: false,
  DenyAllCta: true,
  AcceptAllCta: true,
  highPrivacy: true,
  handleBrowserDNTRequest: false,
  removeCredit: false,
  moreInfoLink: true,
  useExternalCss: false,
  useExternalJs: false,
  mandatory: true,
  googleConsentMode: false,
  bingConsentMode: false,
  pianoConsentMode: false,
});

(tarteaucitron.job = tarteaucitron.job || []).push("benchanalytics", "benchmarketing");
