// history.js: the visitor's consent records and receipts (docs/records.md),
// bundled by `cargo xtask loader` into the ES module `assent-history.js`,
// which the loader imports only for `Assent.consentHistory()` and the
// preferences dialog's "Download my consent records": the first layer's
// chunk (`assent-decide.js`, which makes and sends records) stays small.
export { history } from "./records.js";
