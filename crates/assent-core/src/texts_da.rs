//! The consent UI in Danish (the texts of [`Texts`], `src/texts.rs`).

use crate::texts::Texts;

impl Texts {
    /// Danish.
    pub const DA: Texts = Texts {
        lang: "da",
        banner_title: "Vi værner om dit privatliv",
        banner_body: "Vi bruger cookies og lignende teknologier, som er strengt nødvendige \
            for at drive dette websted. Med dit samtykke vil vi også gerne måle trafikken, \
            vise relevante annoncer og tilpasse indholdet. Du kan til enhver tid ændre dit \
            valg under „Privatlivsindstillinger“.",
        policy_link: "Privatlivspolitik",
        accept_all: "Accepter alle",
        reject_all: "Afvis alle",
        customize: "Tilpas",
        preferences_title: "Privatlivspræferencer",
        preferences_body: "Vælg, hvilke valgfrie cookies og teknologier du tillader. \
            Intet valgfrit er slået til, før du selv slår det til.",
        save: "Gem valg",
        close: "Luk",
        always_on: "Altid aktive",
        provider: "Udbyder",
        cookies: "Cookies og lagring",
        gpc_note: "Din browser har sendt et Global Privacy Control-signal: annoncering og \
            salg eller deling af dine oplysninger forbliver slået fra, medmindre du slår dem \
            til her.",
        changes_title: "Hvad er ændret",
        changes_body: "Vores privatlivspolitik er ændret siden dit sidste valg, så vi \
            spørger igen.",
        new_purpose: "Ny brug af dine oplysninger",
        new_recipient: "Ny modtager",
        language: "Sprog",
        history: "Download mine samtykkeregistreringer",
        categories: [
            (
                "Strengt nødvendige",
                "Log-in, sprogvalg og sikkerhed (anti-CSRF). Webstedet kan ikke fungere \
                 uden dem, så de kræver ikke samtykke.",
            ),
            (
                "Statistik",
                "Trafikmåling: hvilke sider der besøges, og hvordan webstedet klarer sig.",
            ),
            (
                "Marketing",
                "Annoncering og måling af vores kampagners effekt på andre websteder.",
            ),
            (
                "Personalisering",
                "Indhold og anbefalinger baseret på, hvordan du bruger webstedet.",
            ),
        ],
    };
}
