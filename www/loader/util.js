// util.js: the few helpers every part of the loader uses, bundled into each
// file that imports them. Nothing here touches a browser global at import
// time (node tests import modules that import it).

/** A console warning with Assent's prefix: how every failure is reported. */
export const warn = (message) => console.warn("[assent] " + message);

/** Runs `action`; an exception becomes a warning (never a throw into the page). */
export const attempt = (action) => {
  try {
    return action();
  } catch (error) {
    warn(error);
  }
};

/** `value` if it is an array, else an empty one (a configuration read leniently). */
export const list = (value) => (Array.isArray(value) ? value : []);
