//! The words of the consent UI.
//!
//! English only in this slice; per-language texts from the policy file replace
//! this table when the policy format lands.

use assent_core::Category;

/// Every string the consent UI shows.
#[derive(Debug)]
pub struct Texts {
    /// Banner heading.
    pub banner_title: &'static str,
    /// Banner body.
    pub banner_body: &'static str,
    /// Link to the host's privacy policy.
    pub policy_link: &'static str,
    /// "Accept all" (same weight as [`Texts::reject_all`], EDPB practices A, C, D, E).
    pub accept_all: &'static str,
    /// "Reject all".
    pub reject_all: &'static str,
    /// Opens the preferences dialog.
    pub customize: &'static str,
    /// Preferences dialog heading.
    pub preferences_title: &'static str,
    /// Preferences dialog introduction.
    pub preferences_body: &'static str,
    /// Saves the preferences as ticked.
    pub save: &'static str,
    /// Accessible name of the dialog's close button.
    pub close: &'static str,
    /// Shown next to the strictly necessary switch.
    pub always_on: &'static str,
}

impl Texts {
    /// English.
    pub const EN: Texts = Texts {
        banner_title: "We value your privacy",
        banner_body: "We use cookies and similar technologies that are strictly necessary \
            to run this site. With your consent we would also like to measure audience, \
            show relevant advertising and personalise content. You can change your mind \
            at any time from “Privacy settings”.",
        policy_link: "Privacy policy",
        accept_all: "Accept all",
        reject_all: "Reject all",
        customize: "Customize",
        preferences_title: "Privacy preferences",
        preferences_body: "Choose which optional cookies and technologies you allow. \
            Nothing optional is on until you switch it on.",
        save: "Save choices",
        close: "Close",
        always_on: "Always on",
    };

    /// The name and description of a category.
    pub fn category(&self, category: Category) -> (&'static str, &'static str) {
        match category {
            Category::Necessary => (
                "Strictly necessary",
                "Sign-in, language preference and security (anti-CSRF). \
                 The site cannot work without them, so they need no consent.",
            ),
            Category::Analytics => (
                "Analytics",
                "Audience measurement: which pages are visited and how the site performs.",
            ),
            Category::Marketing => (
                "Marketing",
                "Advertising and measuring the effect of our campaigns on other sites.",
            ),
            Category::Personalization => (
                "Personalization",
                "Content and recommendations based on how you use the site.",
            ),
        }
    }
}
