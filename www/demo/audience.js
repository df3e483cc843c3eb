// Demo audience-measurement tag (category: analytics). Sets a first-party
// measurement cookie like a real analytics tag would.
document.cookie = "_p2c_audience=demo; Max-Age=33955200; Path=/; SameSite=Lax";
window.assentPreview.ran("audience-src", "analytics");
