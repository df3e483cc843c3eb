// choice.js: the decisions the loader makes without the widget, as pure
// functions (no DOM, no clock): the JavaScript twin of assent-core's
// `choice.rs` (`Action::decide` for Accept all and Reject all) and
// `stored.rs` (`Decision::encode`). Core is the spec; the shared test vectors
// (`tests/vectors/decisions.json`, replayed by
// `tests/loader/decisions.test.mjs`) prove that the two agree on every case.
//
// Shapes: a decision is rules.js's (`decode`'s) { categories: {analytics,
// marketing, personalization: bool}, services: {id: bool} (no prototype),
// method, decidedAt, revision, gpc }; a context is { now (Unix ms), revision
// (the page's policy revision, 0 without one), gpc (the browser's Global
// Privacy Control signal) }.
import { OPTIONAL } from "./rules.js";

// The categories a GPC signal refuses (core `GPC_REFUSES`): selling and
// sharing for advertising.
const GPC_REFUSES = ["marketing"];

// A service id the stored form can hold (core `is_service_id`): 1 to 64 ASCII
// letters, digits, `_` or `-`.
const SERVICE_ID = /^[\w-]{1,64}$/;

// The decision `action` makes in `context` on top of `previous` (a decision,
// or null), or null for an action the loader does not make:
// - "accept-all" grants every optional category but those a GPC signal
//   refuses (the signal holds until the user switches them on in the
//   preferences, which only the widget offers);
// - "reject-all" refuses every optional category. A one-click withdrawal
//   (`data-assent-open="reject"`, GDPR Art 7(3)) is Reject all whatever the
//   previous decision was.
// Either way the decision has no service exceptions: `previous` does not
// change what these two actions decide (core `Action::decide`).
export function decide(action, context, previous) {
  if (action != "accept-all" && action != "reject-all") return null;
  const gpc = context.gpc === true;
  const categories = {};
  for (const category of OPTIONAL)
    categories[category] = action == "accept-all" && !(gpc && GPC_REFUSES.includes(category));
  return {
    categories,
    services: Object.create(null),
    method: action,
    decidedAt: context.now,
    revision: context.revision,
    gpc,
  };
}

// The stored form of `decision` (core `Decision::encode`), the value written
// to the `assent_consent` cookie and `localStorage`:
// `v2.a?m?p?.<method>.<decided-at-ms>.<revision>.<gpc 0|1>.<services>`, the
// services in id order, `+id` granted alone or `-id` refused alone, joined by
// `~`; an id the form cannot hold is left out. rules.js `decode` reads it back.
export function encode(decision) {
  const flag = (category) => category[0] + (decision.categories[category] ? 1 : 0);
  const services = Object.keys(decision.services)
    .filter((id) => SERVICE_ID.test(id))
    .sort()
    .map((id) => (decision.services[id] ? "+" : "-") + id);
  return [
    "v2",
    OPTIONAL.map(flag).join(""),
    decision.method,
    decision.decidedAt,
    decision.revision,
    decision.gpc ? 1 : 0,
    services.join("~"),
  ].join(".");
}
