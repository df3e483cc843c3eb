// choice.js: placeholder twin of core `Action::decide` and `Decision::encode`
// (replaced by the vector-tested version).
import { OPTIONAL } from "./rules.js";

export const decide = (action, context) => {
  const categories = {};
  for (const k of OPTIONAL) categories[k] = action == "accept-all" && !(context.gpc && k == "marketing");
  return { categories, services: Object.create(null), method: action, decidedAt: context.now, revision: context.revision, gpc: context.gpc };
};

export const encode = (d) =>
  "v2." + OPTIONAL.map((k) => k[0] + +d.categories[k]).join("") + "." + d.method + "." + d.decidedAt + "." + d.revision + "." + +d.gpc + ".";
