// Demo advertising pixel (category: marketing). Sets a marketing cookie like a
// real ad tag would.
try {
  document.cookie = "_p2c_ads=demo; Max-Age=7776000; Path=/; SameSite=Lax";
} catch (e) {
  // Cookies blocked: a real tag would lose its cookie too.
}
window.assentPreview.ran("ads-pixel", "marketing");
