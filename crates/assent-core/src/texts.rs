//! The words of the consent UI, in English, French and German here, Danish
//! and Slovak in `texts_da.rs` and `texts_sk.rs`.
//!
//! The category names and descriptions here are defaults: a page's policy
//! (`embed::config`) replaces them with the site's own, per language.

use crate::Category;

/// Every fixed string the consent UI shows, in one language. Serialised (kebab-case
/// keys) into the UI texts hash of consent records (`docs/records.md`).
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Texts {
    /// BCP 47 primary language tag.
    pub lang: &'static str,
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
    /// Saves the preferences as switched.
    pub save: &'static str,
    /// Accessible name of the dialog's close button.
    pub close: &'static str,
    /// Shown next to the strictly necessary switch and its services.
    pub always_on: &'static str,
    /// Label of a service's provider in the preferences.
    pub provider: &'static str,
    /// Summary of a service's cookies and storage keys, shown on request.
    pub cookies: &'static str,
    /// Shown when the browser sends Global Privacy Control.
    pub gpc_note: &'static str,
    /// Heading of the list of material policy changes.
    pub changes_title: &'static str,
    /// Why the banner shows again after a material policy change.
    pub changes_body: &'static str,
    /// Prefix of a new or changed consent purpose.
    pub new_purpose: &'static str,
    /// Prefix of a new recipient or changed transfer.
    pub new_recipient: &'static str,
    /// Accessible name of the language switcher.
    pub language: &'static str,
    /// Downloads the visitor's signed consent records and receipts (GDPR Art
    /// 7(1), 15: the proof the site keeps is theirs to see).
    pub history: &'static str,
    /// Default name and description of each category, in [`Category::ALL`] order.
    pub categories: [(&'static str, &'static str); 4],
}

impl Texts {
    /// English.
    pub const EN: Texts = Texts {
        lang: "en",
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
        provider: "Provider",
        cookies: "Cookies and storage",
        gpc_note: "Your browser sent a Global Privacy Control signal: advertising and \
            the sale or sharing of your data stay off unless you switch them on here.",
        changes_title: "What changed",
        changes_body: "Our privacy policy changed since your last choice, so we ask again.",
        new_purpose: "New use of your data",
        new_recipient: "New recipient",
        language: "Language",
        history: "Download my consent records",
        categories: [
            (
                "Strictly necessary",
                "Sign-in, language preference and security (anti-CSRF). \
                 The site cannot work without them, so they need no consent.",
            ),
            (
                "Analytics",
                "Audience measurement: which pages are visited and how the site performs.",
            ),
            (
                "Marketing",
                "Advertising and measuring the effect of our campaigns on other sites.",
            ),
            (
                "Personalization",
                "Content and recommendations based on how you use the site.",
            ),
        ],
    };

    /// French.
    pub const FR: Texts = Texts {
        lang: "fr",
        banner_title: "Votre vie privée compte",
        banner_body: "Nous utilisons des cookies et technologies similaires strictement \
            nécessaires au fonctionnement du site. Avec votre accord, nous souhaitons aussi \
            mesurer l’audience, afficher des publicités pertinentes et personnaliser le \
            contenu. Vous pouvez changer d’avis à tout moment depuis « Paramètres de \
            confidentialité ».",
        policy_link: "Politique de confidentialité",
        accept_all: "Tout accepter",
        reject_all: "Tout refuser",
        customize: "Personnaliser",
        preferences_title: "Préférences de confidentialité",
        preferences_body: "Choisissez les cookies et technologies facultatifs que vous \
            autorisez. Rien de facultatif n’est activé tant que vous ne l’activez pas.",
        save: "Enregistrer mes choix",
        close: "Fermer",
        always_on: "Toujours actifs",
        provider: "Fournisseur",
        cookies: "Cookies et stockage",
        gpc_note: "Votre navigateur a envoyé un signal Global Privacy Control : la \
            publicité et la vente ou le partage de vos données restent désactivés, sauf si \
            vous les activez ici.",
        changes_title: "Ce qui a changé",
        changes_body: "Notre politique de confidentialité a changé depuis votre dernier \
            choix : nous vous le redemandons.",
        new_purpose: "Nouvelle utilisation de vos données",
        new_recipient: "Nouveau destinataire",
        language: "Langue",
        history: "Télécharger mes preuves de consentement",
        categories: [
            (
                "Strictement nécessaires",
                "Connexion, langue et sécurité (anti-CSRF). Le site ne peut pas fonctionner \
                 sans eux ; ils ne demandent pas de consentement.",
            ),
            (
                "Mesure d’audience",
                "Pages consultées et performances du site.",
            ),
            (
                "Publicité",
                "Publicité et mesure de nos campagnes sur d’autres sites.",
            ),
            (
                "Personnalisation",
                "Contenus et recommandations selon votre utilisation du site.",
            ),
        ],
    };

    /// German.
    pub const DE: Texts = Texts {
        lang: "de",
        banner_title: "Ihre Privatsphäre ist uns wichtig",
        banner_body: "Wir verwenden Cookies und ähnliche Technologien, die für den Betrieb \
            dieser Website unbedingt erforderlich sind. Mit Ihrer Einwilligung möchten wir \
            außerdem die Reichweite messen, passende Werbung zeigen und Inhalte \
            personalisieren. Sie können Ihre Wahl jederzeit unter „Datenschutzeinstellungen“ \
            ändern.",
        policy_link: "Datenschutzerklärung",
        accept_all: "Alle akzeptieren",
        reject_all: "Alle ablehnen",
        customize: "Anpassen",
        preferences_title: "Datenschutzeinstellungen",
        preferences_body: "Wählen Sie, welche optionalen Cookies und Technologien Sie \
            erlauben. Nichts Optionales ist aktiv, bevor Sie es einschalten.",
        save: "Auswahl speichern",
        close: "Schließen",
        always_on: "Immer aktiv",
        provider: "Anbieter",
        cookies: "Cookies und Speicher",
        gpc_note: "Ihr Browser hat ein Global-Privacy-Control-Signal gesendet: Werbung \
            sowie Verkauf oder Weitergabe Ihrer Daten bleiben aus, solange Sie sie hier nicht \
            einschalten.",
        changes_title: "Was sich geändert hat",
        changes_body: "Unsere Datenschutzerklärung hat sich seit Ihrer letzten Wahl \
            geändert, daher fragen wir erneut.",
        new_purpose: "Neue Verwendung Ihrer Daten",
        new_recipient: "Neuer Empfänger",
        language: "Sprache",
        history: "Meine Einwilligungsnachweise herunterladen",
        categories: [
            (
                "Unbedingt erforderlich",
                "Anmeldung, Sprache und Sicherheit (Anti-CSRF). Ohne sie funktioniert die \
                 Website nicht; sie benötigen keine Einwilligung.",
            ),
            (
                "Statistik",
                "Reichweitenmessung: besuchte Seiten und Leistung der Website.",
            ),
            (
                "Marketing",
                "Werbung und Messung unserer Kampagnen auf anderen Websites.",
            ),
            (
                "Personalisierung",
                "Inhalte und Empfehlungen nach Ihrer Nutzung der Website.",
            ),
        ],
    };

    /// Every language of the UI.
    pub const ALL: [&'static Texts; 5] =
        [&Texts::EN, &Texts::FR, &Texts::DE, &Texts::DA, &Texts::SK];

    /// The texts for a BCP 47 tag (`fr-CA` → French), if the UI speaks it: its
    /// primary subtag (before `-` or `_`, any ASCII case, ASCII whitespace
    /// around the tag ignored as HTML does) is one of the UI's languages. The
    /// loader reads tags the same way (`www/loader/lang.js`).
    pub fn find(tag: &str) -> Option<&'static Texts> {
        let primary = crate::language::primary_subtag(tag);
        Texts::ALL
            .into_iter()
            .find(|t| t.lang.eq_ignore_ascii_case(primary))
    }

    /// The texts for a BCP 47 tag; English when the UI does not speak it.
    pub fn for_language(tag: &str) -> &'static Texts {
        Texts::find(tag).unwrap_or(&Texts::EN)
    }

    /// The native name of the language, for the switcher.
    pub fn native_name(&self) -> &'static str {
        match self.lang {
            "fr" => "Français",
            "de" => "Deutsch",
            "da" => "Dansk",
            "sk" => "Slovenčina",
            _ => "English",
        }
    }

    /// The default name and description of a category.
    pub fn category(&self, category: Category) -> (&'static str, &'static str) {
        let index = Category::ALL
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        self.categories[index]
    }
}
