//! The names of the special categories of personal data (GDPR Art 9(1)) in
//! each language of the notice, as the Regulation's own versions word them.

use serde::Serialize;

use crate::policy::model::SpecialCategory;

/// One name per [`SpecialCategory`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct SpecialWords {
    pub biometric: &'static str,
    pub health: &'static str,
    pub genetic: &'static str,
    pub racial_or_ethnic_origin: &'static str,
    pub political_opinions: &'static str,
    pub religious_beliefs: &'static str,
    pub trade_union: &'static str,
    pub sex_life: &'static str,
}

impl SpecialWords {
    /// The name of `category`.
    pub fn of(&self, category: SpecialCategory) -> &'static str {
        match category {
            SpecialCategory::Biometric => self.biometric,
            SpecialCategory::Health => self.health,
            SpecialCategory::Genetic => self.genetic,
            SpecialCategory::RacialOrEthnicOrigin => self.racial_or_ethnic_origin,
            SpecialCategory::PoliticalOpinions => self.political_opinions,
            SpecialCategory::ReligiousBeliefs => self.religious_beliefs,
            SpecialCategory::TradeUnion => self.trade_union,
            SpecialCategory::SexLife => self.sex_life,
        }
    }

    /// English.
    pub const EN: SpecialWords = SpecialWords {
        biometric: "biometric data",
        health: "data concerning health",
        genetic: "genetic data",
        racial_or_ethnic_origin: "racial or ethnic origin",
        political_opinions: "political opinions",
        religious_beliefs: "religious or philosophical beliefs",
        trade_union: "trade union membership",
        sex_life: "sex life or sexual orientation",
    };

    /// French.
    pub const FR: SpecialWords = SpecialWords {
        biometric: "données biométriques",
        health: "données concernant la santé",
        genetic: "données génétiques",
        racial_or_ethnic_origin: "origine raciale ou ethnique",
        political_opinions: "opinions politiques",
        religious_beliefs: "convictions religieuses ou philosophiques",
        trade_union: "appartenance syndicale",
        sex_life: "vie sexuelle ou orientation sexuelle",
    };

    /// German.
    pub const DE: SpecialWords = SpecialWords {
        biometric: "biometrische Daten",
        health: "Gesundheitsdaten",
        genetic: "genetische Daten",
        racial_or_ethnic_origin: "rassische oder ethnische Herkunft",
        political_opinions: "politische Meinungen",
        religious_beliefs: "religiöse oder weltanschauliche Überzeugungen",
        trade_union: "Gewerkschaftszugehörigkeit",
        sex_life: "Sexualleben oder sexuelle Orientierung",
    };

    /// Danish.
    pub const DA: SpecialWords = SpecialWords {
        biometric: "biometriske data",
        health: "helbredsoplysninger",
        genetic: "genetiske data",
        racial_or_ethnic_origin: "race eller etnisk oprindelse",
        political_opinions: "politisk overbevisning",
        religious_beliefs: "religiøs eller filosofisk overbevisning",
        trade_union: "fagforeningsmæssigt tilhørsforhold",
        sex_life: "seksuelle forhold eller seksuel orientering",
    };

    /// Slovak.
    pub const SK: SpecialWords = SpecialWords {
        biometric: "biometrické údaje",
        health: "údaje týkajúce sa zdravia",
        genetic: "genetické údaje",
        racial_or_ethnic_origin: "rasový alebo etnický pôvod",
        political_opinions: "politické názory",
        religious_beliefs: "náboženské alebo filozofické presvedčenie",
        trade_union: "členstvo v odborových organizáciách",
        sex_life: "sexuálny život alebo sexuálna orientácia",
    };
}
