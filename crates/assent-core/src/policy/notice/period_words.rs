//! The names of periods in each language of the notice: `30 days` in the
//! policy file reads `30 jours` on a French page and `30 Tage` on a German
//! one. A unit has three forms, for 1, for 2 to 4 and for the rest (Slovak
//! says `1 deň`, `3 dni`, `30 dní`; the other languages repeat their plural);
//! a keyword has one phrase.

use serde::Serialize;

use crate::policy::period::{Keyword, Period, Unit};

/// The forms of a unit for 1, for 2 to 4 and for the rest (`("deň", "dni", "dní")`).
pub type Forms = (&'static str, &'static str, &'static str);

/// The words for periods in one language.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct PeriodWords {
    pub minute: Forms,
    pub hour: Forms,
    pub business_hour: Forms,
    pub day: Forms,
    pub business_day: Forms,
    pub week: Forms,
    pub month: Forms,
    pub year: Forms,
    pub session: &'static str,
    pub transaction: &'static str,
    pub until_deleted: &'static str,
    /// Before a period that is an upper bound (`at most 90 days`).
    pub at_most: &'static str,
}

impl PeriodWords {
    /// `text` (a period as the policy writes it) in these words; a period
    /// Assent cannot read is shown as written (the lint reports it).
    pub fn name(&self, text: &str) -> String {
        match Period::parse(text) {
            Some(period) => self.of(period),
            None => text.to_owned(),
        }
    }

    /// `text` as an upper bound when `at_most` (`at most 90 days`).
    pub fn bound(&self, text: &str, at_most: bool) -> String {
        let name = self.name(text);
        if at_most {
            format!("{} {name}", self.at_most)
        } else {
            name
        }
    }

    /// The name of `period`.
    pub fn of(&self, period: Period) -> String {
        match period {
            Period::Keyword(Keyword::Session) => self.session.to_owned(),
            Period::Keyword(Keyword::Transaction) => self.transaction.to_owned(),
            Period::Keyword(Keyword::UntilDeleted) => self.until_deleted.to_owned(),
            Period::Length(n, unit) => {
                let (one, few, many) = self.forms(unit);
                let form = match n {
                    1 => one,
                    2..=4 => few,
                    _ => many,
                };
                format!("{n} {form}")
            }
        }
    }

    fn forms(&self, unit: Unit) -> Forms {
        match unit {
            Unit::Minute => self.minute,
            Unit::Hour => self.hour,
            Unit::BusinessHour => self.business_hour,
            Unit::Day => self.day,
            Unit::BusinessDay => self.business_day,
            Unit::Week => self.week,
            Unit::Month => self.month,
            Unit::Year => self.year,
        }
    }

    /// The words of the language of BCP 47 tag `tag`; English when the
    /// notice does not speak it. (Only these words: the widget names cookie
    /// lifetimes without carrying every label of the notice.)
    pub fn for_language(tag: &str) -> &'static PeriodWords {
        match crate::language::primary_subtag(tag) {
            "fr" => &PeriodWords::FR,
            "de" => &PeriodWords::DE,
            "da" => &PeriodWords::DA,
            "sk" => &PeriodWords::SK,
            _ => &PeriodWords::EN,
        }
    }

    /// English.
    pub const EN: PeriodWords = PeriodWords {
        minute: ("minute", "minutes", "minutes"),
        hour: ("hour", "hours", "hours"),
        business_hour: ("business hour", "business hours", "business hours"),
        day: ("day", "days", "days"),
        business_day: ("business day", "business days", "business days"),
        week: ("week", "weeks", "weeks"),
        month: ("month", "months", "months"),
        year: ("year", "years", "years"),
        session: "the browsing session",
        transaction: "the time of the transaction",
        until_deleted: "until deleted",
        at_most: "at most",
    };

    /// French.
    pub const FR: PeriodWords = PeriodWords {
        minute: ("minute", "minutes", "minutes"),
        hour: ("heure", "heures", "heures"),
        business_hour: ("heure ouvrée", "heures ouvrées", "heures ouvrées"),
        day: ("jour", "jours", "jours"),
        business_day: ("jour ouvré", "jours ouvrés", "jours ouvrés"),
        week: ("semaine", "semaines", "semaines"),
        month: ("mois", "mois", "mois"),
        year: ("an", "ans", "ans"),
        session: "la session de navigation",
        transaction: "le temps de la transaction",
        until_deleted: "jusqu’à suppression",
        at_most: "au plus",
    };

    /// German.
    pub const DE: PeriodWords = PeriodWords {
        minute: ("Minute", "Minuten", "Minuten"),
        hour: ("Stunde", "Stunden", "Stunden"),
        business_hour: ("Arbeitsstunde", "Arbeitsstunden", "Arbeitsstunden"),
        day: ("Tag", "Tage", "Tage"),
        business_day: ("Werktag", "Werktage", "Werktage"),
        week: ("Woche", "Wochen", "Wochen"),
        month: ("Monat", "Monate", "Monate"),
        year: ("Jahr", "Jahre", "Jahre"),
        session: "die Browsersitzung",
        transaction: "die Dauer der Transaktion",
        until_deleted: "bis zur Löschung",
        at_most: "höchstens",
    };
}

impl PeriodWords {
    /// Danish.
    pub const DA: PeriodWords = PeriodWords {
        minute: ("minut", "minutter", "minutter"),
        hour: ("time", "timer", "timer"),
        business_hour: ("arbejdstime", "arbejdstimer", "arbejdstimer"),
        day: ("dag", "dage", "dage"),
        business_day: ("arbejdsdag", "arbejdsdage", "arbejdsdage"),
        week: ("uge", "uger", "uger"),
        month: ("måned", "måneder", "måneder"),
        year: ("år", "år", "år"),
        session: "browsersessionen",
        transaction: "transaktionens varighed",
        until_deleted: "indtil sletning",
        at_most: "højst",
    };

    /// Slovak.
    pub const SK: PeriodWords = PeriodWords {
        minute: ("minúta", "minúty", "minút"),
        hour: ("hodina", "hodiny", "hodín"),
        business_hour: ("pracovná hodina", "pracovné hodiny", "pracovných hodín"),
        day: ("deň", "dni", "dní"),
        business_day: ("pracovný deň", "pracovné dni", "pracovných dní"),
        week: ("týždeň", "týždne", "týždňov"),
        month: ("mesiac", "mesiace", "mesiacov"),
        year: ("rok", "roky", "rokov"),
        session: "relácia prehliadača",
        transaction: "trvanie transakcie",
        until_deleted: "do vymazania",
        at_most: "najviac",
    };
}

#[cfg(test)]
mod tests {
    use super::PeriodWords;

    #[test]
    fn periods_are_named_in_the_language_with_singular_and_plural() {
        let cases = [
            (&PeriodWords::EN, "1 month", "1 month"),
            (&PeriodWords::EN, "10 business days", "10 business days"),
            (&PeriodWords::FR, "3 years", "3 ans"),
            (&PeriodWords::FR, "1 year", "1 an"),
            (&PeriodWords::FR, "2 months", "2 mois"),
            (&PeriodWords::FR, "until-deleted", "jusqu’à suppression"),
            (&PeriodWords::DE, "30 days", "30 Tage"),
            (&PeriodWords::DE, "1 day", "1 Tag"),
            (&PeriodWords::DE, "soon", "soon"),
            (&PeriodWords::SK, "1 day", "1 deň"),
            (&PeriodWords::SK, "3 days", "3 dni"),
            (&PeriodWords::SK, "30 days", "30 dní"),
            (&PeriodWords::DA, "2 years", "2 år"),
        ];
        for (words, text, name) in cases {
            assert_eq!(words.name(text), name, "{text}");
        }
        assert_eq!(PeriodWords::FR.bound("90 days", true), "au plus 90 jours");
        assert_eq!(PeriodWords::EN.bound("90 days", false), "90 days");
    }
}
