// What the bench observes from inside the page (docs/bench.md). `watchPage` is
// installed with `context.addInitScript`, so it runs before any of the page's
// own scripts, and keeps its findings in `window.__bench`, every time in the
// page's clock (milliseconds since navigation start):
//
// - `bannerAt`: the first animation frame in which the banner is shown: it
//   exists, `checkVisibility` passes with `visibility` and `opacity`
//   considered (so a banner fading in counts from its first frame that is not
//   fully transparent, and one fading out until it is), and its box is not
//   empty. An animation frame is when the page would paint, so this is when
//   the visitor could first see it; its resolution is one frame (~17 ms at 60 Hz).
// - `clickAt`: the time stamp of the first trusted click (capture phase on the
//   window, so also clicks inside shadow roots).
// - `rejectedAt`: after that click, the first frame in which the banner is no
//   longer shown AND the stored choice reads as "rejected".
// - `dialogAt`: after that click, the first frame in which the preferences
//   dialog is shown.
// - `longTasks` ([start, duration]) and `layoutShift` (the sum of layout-shift
//   values without recent input), from buffered PerformanceObservers.
//
// It runs in the page, so it uses no import: Playwright sends its source.

/**
 * Installs the observers. `spec`: `{ banner, dialog, stored: { cookie, local,
 * rejected, accepted } }` (selectors with `>>>` entering open shadow roots).
 */
export function watchPage(spec) {
  const bench = {
    bannerAt: null,
    clickAt: null,
    rejectedAt: null,
    dialogAt: null,
    longTasks: [],
    layoutShift: 0,
  };
  window.__bench = bench;

  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
    } catch {
      bench[`no-${type}`] = true;
    }
  };
  observe("longtask", (e) => bench.longTasks.push([e.startTime, e.duration]));
  observe("layout-shift", (e) => {
    if (!e.hadRecentInput) bench.layoutShift += e.value;
  });

  /** The element a `>>>` selector names, or null. */
  const find = (selector) => {
    let scope = document;
    for (const part of selector.split(">>>")) {
      const el = scope?.querySelector(part.trim());
      if (!el) return null;
      scope = el.shadowRoot ?? el;
    }
    return scope.host ?? scope;
  };
  const shown = (selector) => {
    const el = find(selector);
    if (!el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const storedValue = () => {
    const { cookie, local } = spec.stored;
    const pair = document.cookie.split(/; */).find((c) => c.startsWith(cookie + "="));
    if (pair) {
      const raw = pair.slice(cookie.length + 1);
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
    try {
      return local ? localStorage.getItem(local) : null;
    } catch {
      return null;
    }
  };
  bench.storedAs = (decision) => new RegExp(spec.stored[decision]).test(storedValue() ?? "");

  addEventListener(
    "click",
    (e) => {
      if (e.isTrusted && bench.clickAt === null) bench.clickAt = e.timeStamp;
    },
    true,
  );

  const frame = () => {
    const now = performance.now();
    const banner = shown(spec.banner);
    if (banner && bench.bannerAt === null) bench.bannerAt = now;
    if (bench.clickAt !== null) {
      if (bench.rejectedAt === null && !banner && bench.storedAs("rejected")) bench.rejectedAt = now;
      if (bench.dialogAt === null && shown(spec.dialog)) bench.dialogAt = now;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
