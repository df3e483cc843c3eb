// Demo audience-measurement tag (category: analytics). Sets a first-party
// measurement cookie like a real analytics tag would.
try {
  document.cookie = "_p2c_audience=demo; Max-Age=33955200; Path=/; SameSite=Lax";
} catch (e) {
  // Cookies blocked: a real tag would lose its cookie too.
}
window.assentPreview.ran("audience-src", "analytics");
