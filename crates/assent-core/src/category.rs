//! Consent categories: the groups of cookies, storage and scripts a user can
//! grant or refuse one by one.
//!
//! ePrivacy Art 5(3) lets a site store or read on the device without consent only
//! what is strictly necessary for the service the user asked for (Pix2Clip:
//! authentication, language preference, anti-CSRF token). Everything else needs
//! prior consent, per category.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A consent category, as written in `data-category` on a gated element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Strictly necessary storage (ePrivacy Art 5(3) exemption): never asked, never refusable.
    Necessary,
    /// Audience measurement.
    Analytics,
    /// Advertising, retargeting, ad measurement.
    Marketing,
    /// Personalised content and recommendations.
    Personalization,
}

impl Category {
    /// Every category, strictly necessary first.
    pub const ALL: [Category; 4] = [
        Category::Necessary,
        Category::Analytics,
        Category::Marketing,
        Category::Personalization,
    ];

    /// The categories that need consent, in the order the UI lists them.
    pub const OPTIONAL: [Category; 3] = [
        Category::Analytics,
        Category::Marketing,
        Category::Personalization,
    ];

    /// The key used in `data-category` attributes and stored forms.
    pub fn key(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Analytics => "analytics",
            Category::Marketing => "marketing",
            Category::Personalization => "personalization",
        }
    }

    /// Parses a `data-category` value. Case and surrounding whitespace are
    /// ignored; anything else unknown is `None` (callers fail closed).
    pub fn from_key(key: &str) -> Option<Category> {
        let key = key.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(key))
    }

    /// Whether storing or running anything of this category needs prior consent.
    pub fn needs_consent(self) -> bool {
        self != Category::Necessary
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_key(c.key()), Some(c));
        }
    }

    #[test]
    fn from_key_ignores_case_and_whitespace() {
        assert_eq!(
            Category::from_key("  Analytics\n"),
            Some(Category::Analytics)
        );
        assert_eq!(Category::from_key("MARKETING"), Some(Category::Marketing));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        for k in ["", "ads", "analytics marketing", "necessary-ish"] {
            assert_eq!(Category::from_key(k), None, "{k:?}");
        }
    }

    #[test]
    fn eprivacy_5_3_only_necessary_is_exempt() {
        let exempt: Vec<_> = Category::ALL
            .into_iter()
            .filter(|c| !c.needs_consent())
            .collect();
        assert_eq!(exempt, vec![Category::Necessary]);
        assert!(Category::OPTIONAL.iter().all(|c| c.needs_consent()));
    }
}
