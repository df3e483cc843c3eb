//! The consent UI in Slovak (the texts of [`Texts`], `src/texts.rs`).

use crate::texts::Texts;

impl Texts {
    /// Slovak.
    pub const SK: Texts = Texts {
        lang: "sk",
        banner_title: "Záleží nám na vašom súkromí",
        banner_body: "Používame súbory cookie a podobné technológie, ktoré sú nevyhnutné na \
            prevádzku tejto stránky. S vaším súhlasom by sme chceli aj merať návštevnosť, \
            zobrazovať relevantnú reklamu a prispôsobovať obsah. Svoju voľbu môžete \
            kedykoľvek zmeniť v „Nastaveniach súkromia“.",
        policy_link: "Zásady ochrany osobných údajov",
        accept_all: "Prijať všetko",
        reject_all: "Odmietnuť všetko",
        customize: "Prispôsobiť",
        preferences_title: "Nastavenia súkromia",
        preferences_body: "Vyberte, ktoré voliteľné súbory cookie a technológie povolíte. \
            Nič voliteľné nie je zapnuté, kým to sami nezapnete.",
        save: "Uložiť voľbu",
        close: "Zavrieť",
        always_on: "Vždy aktívne",
        provider: "Poskytovateľ",
        cookies: "Súbory cookie a úložisko",
        gpc_note: "Váš prehliadač odoslal signál Global Privacy Control: reklama a predaj \
            alebo zdieľanie vašich údajov zostávajú vypnuté, kým ich tu nezapnete.",
        changes_title: "Čo sa zmenilo",
        changes_body: "Naše zásady ochrany osobných údajov sa od vašej poslednej voľby \
            zmenili, preto sa pýtame znova.",
        new_purpose: "Nové použitie vašich údajov",
        new_recipient: "Nový príjemca",
        language: "Jazyk",
        history: "Stiahnuť moje záznamy o súhlase",
        categories: [
            (
                "Nevyhnutné",
                "Prihlásenie, voľba jazyka a bezpečnosť (anti-CSRF). Bez nich stránka \
                 nefunguje, preto nevyžadujú súhlas.",
            ),
            (
                "Analytické",
                "Meranie návštevnosti: ktoré stránky sa navštevujú a ako stránka funguje.",
            ),
            (
                "Marketingové",
                "Reklama a meranie účinku našich kampaní na iných stránkach.",
            ),
            (
                "Personalizácia",
                "Obsah a odporúčania podľa toho, ako stránku používate.",
            ),
        ],
    };
}
