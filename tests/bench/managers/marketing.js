// The bench's marketing tag (docs/bench.md): each consent manager holds it back
// until marketing is granted. It notes when it ran, in the page's clock
// (milliseconds since navigation start), for the return-visit measure.
window.__ranMarketing = performance.now();
