// Demo advertising pixel (category: marketing). Sets a marketing cookie like a
// real ad tag would.
document.cookie = "_p2c_ads=demo; Max-Age=7776000; Path=/; SameSite=Lax";
window.assentPreview.ran("ads-pixel", "marketing");
