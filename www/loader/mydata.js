// mydata.js: the "GDPR & my data" panel's embedding, bundled by `cargo xtask
// loader` into the ES module `assent-mydata.js`. The loader imports it once,
// when the page has an `<assent-my-data>` element (its scan also sees the ones
// a single-page app inserts later) or calls `Assent.mountMyData`. It imports
// the panel itself, `assent-panel.js` + `assent-panel_bg.wasm` (the
// `assent-panel` crate, built by wasm-bindgen `--target web`), from beside
// itself, so the banner's pages never download it.
//
// `define(I)` receives the loader's internals `I` (main.js): `consent()` (the
// state the API reports), `open(what)` (the widget) and `subs()` (the
// `Assent.onChange` callbacks). It defines `<assent-my-data>` and returns
// `mount(element, options)`, which is `Assent.mountMyData`.
//
// Nothing here throws into the host page: failures are `[assent] ` console
// warnings, and a mount that fails resolves to `undefined`.
import { warn } from "./util.js";

const TAG = "assent-my-data";

// --- The panel module, imported and initialised once per page; again on the
// next mount after a failure (a flaky network on one SPA route change should
// not leave the panel broken for the whole visit).
const PANEL_URL = new URL("assent-panel.js", import.meta.url);
let panelReady = null;

const loadPanel = () =>
  (panelReady ||= import(PANEL_URL)
    .then(async (panel) => {
      await panel.default();
      return panel;
    })
    .catch((error) => {
      panelReady = null;
      throw error;
    }));

// Mounts the panel into `element` once it is loaded; resolves to the
// panel's handle, or `undefined` after a warning. `stillWanted()` is asked
// after the wait: an element removed meanwhile is not mounted at all.
const mountPanel = async (element, options, stillWanted = () => true) => {
  let panel;
  try {
    panel = await loadPanel();
  } catch (error) {
    warn("GDPR & my data panel: " + PANEL_URL + " could not load: " + error);
    return undefined;
  }
  if (!stillWanted()) return undefined;
  try {
    return panel.mount(element, options) || undefined;
  } catch (error) {
    warn("GDPR & my data panel: " + error);
    return undefined;
  }
};

// A handle whose `unmount()` is safe to call any number of times.
const onceUnmounted = (panelHandle) => ({
  unmount() {
    const handle = panelHandle;
    panelHandle = null;
    try {
      handle?.unmount();
    } catch (error) {
      warn("GDPR & my data panel: " + error);
    }
  },
});

// --- The panel's view of the visitor's cookie consent (`options.consent`):
// the loader's state, its preferences dialog, and its change callbacks. One
// callback joins the loader's list, once; the panel's own listeners are kept
// here, so unsubscribing never edits the loader's list while it is being
// called.
const consentBridge = (I) => {
  const listeners = new Set();
  let subscribed = false;
  const notify = (detail) => {
    for (const listener of [...listeners]) {
      try {
        listener(detail);
      } catch (error) {
        warn(error);
      }
    }
  };
  return {
    get: () => I.consent(),
    open: () => I.open("preferences"),
    onChange(listener) {
      if (!subscribed) I.subs().push(notify), (subscribed = true);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

// The value of cookie `name` now ("" when it is not set).
const readCookie = (name) => {
  for (const pair of document.cookie.split(/; */)) {
    const equals = pair.indexOf("=");
    if (pair.slice(0, equals) == name) {
      try {
        return decodeURIComponent(pair.slice(equals + 1));
      } catch {
        return pair.slice(equals + 1);
      }
    }
  }
  return "";
};

// --- `<assent-my-data api="…" lang="…" csrf-cookie="…">`: connected, it
// mounts the panel; disconnected, it unmounts it. A single-page app inserts
// and removes it on every visit to its settings route, so each connection is
// an attempt of its own: only the newest one may mount, and only while the
// element is still connected when the panel has loaded. An attempt
// overtaken (removed, or removed and inserted again, before the panel
// loaded) mounts nothing, so the element never holds two panels and a
// removed one never holds any.
//
// The host may set two properties before inserting it: `csrf` (a string or a
// function returning one) and `token` (a function returning the bearer token,
// or a promise of it). They are read again at each call, as the cookie named
// by `csrf-cookie` is. A change of `api`, `lang` or `csrf-cookie` while
// connected mounts the panel again with the new values; so does a change of
// `<html lang>` for an element without its own `lang`.
const defineElement = (consent) => {
  const connected = new Set();

  class AssentMyData extends HTMLElement {
    static observedAttributes = ["api", "lang", "csrf-cookie"];
    #attempt = null;
    #handle = null;

    connectedCallback() {
      connected.add(this);
      this.#mount();
    }

    disconnectedCallback() {
      connected.delete(this);
      this.#unmount();
    }

    attributeChangedCallback(name, before, after) {
      if (before !== after && this.#attempt) this.#remount();
    }

    // `<html lang>` changes: the elements that follow it mount again.
    static {
      new MutationObserver(() => {
        for (const element of connected) if (!element.hasAttribute("lang")) element.#remount();
      }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
    }

    // Unmounts, and mounts again with the current attributes.
    #remount() {
      this.#unmount();
      if (this.isConnected) this.#mount();
    }

    async #mount() {
      const attempt = {};
      this.#attempt = attempt;
      const current = () => this.#attempt === attempt && this.isConnected;
      const handle = await mountPanel(this, this.#options(), current);
      if (!handle) return;
      // The panel's own events may have made the host remove the element
      // while it mounted: then it is unmounted at once.
      if (current()) this.#handle = onceUnmounted(handle);
      else onceUnmounted(handle).unmount();
    }

    #unmount() {
      this.#attempt = null;
      this.#handle?.unmount();
      this.#handle = null;
    }

    // The panel's options from the attributes and properties.
    #options() {
      const options = { consent };
      const api = this.getAttribute("api");
      const lang = this.getAttribute("lang");
      if (api) options.api = api;
      if (lang) options.lang = lang;
      if (this.csrf != null || this.hasAttribute("csrf-cookie")) options.csrf = () => this.#csrf();
      if (typeof this.token == "function") options.token = () => this.token();
      return options;
    }

    #csrf() {
      const csrf = this.csrf;
      if (typeof csrf == "function") return csrf();
      if (csrf != null) return String(csrf);
      return readCookie(this.getAttribute("csrf-cookie"));
    }
  }

  // Properties the host set before the element was defined are own data
  // properties of the element; they are read as they are (no accessor hides
  // them), so nothing needs upgrading.
  if (!customElements.get(TAG)) customElements.define(TAG, AssentMyData);
};

// Defines `<assent-my-data>` and returns `Assent.mountMyData(element,
// options)`: a promise of a handle `{unmount()}`, or of `undefined` after a
// warning. The host's `options` go to the panel as they are; `consent`
// defaults to the loader's.
export const define = (I) => {
  const consent = consentBridge(I);
  try {
    defineElement(consent);
  } catch (error) {
    warn("<" + TAG + ">: " + error);
  }
  return async (element, options) => {
    if (!(element instanceof Element)) {
      warn("mountMyData: expected an element, got " + element);
      return undefined;
    }
    const handle = await mountPanel(element, { ...options, consent: options?.consent || consent });
    return handle && onceUnmounted(handle);
  };
};
