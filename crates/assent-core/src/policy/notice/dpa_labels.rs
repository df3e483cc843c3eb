//! Every fixed string of a data processing agreement's annex, per language
//! (English, French, German, as the notice's labels).

/// The annex's labels in one language.
#[derive(Debug)]
pub struct DpaLabels {
    /// BCP 47 primary language tag.
    pub lang: &'static str,
    /// Title of the annex.
    pub title: &'static str,
    /// Heading: the description of the processing (Art 28(3)).
    pub description: &'static str,
    /// Label: who the controller is.
    pub customer: &'static str,
    /// Label: the nature and purpose of the processing.
    pub nature: &'static str,
    /// Label: the categories of data subjects.
    pub subjects: &'static str,
    /// Label: the categories of personal data.
    pub data: &'static str,
    /// Heading: the processor's commitments.
    pub commitments: &'static str,
    /// Heading: personal-data breaches (Art 33).
    pub breach: &'static str,
    /// Label: how soon the customer is told of a breach.
    pub breach_within: &'static str,
    /// Label: how the customer is told.
    pub channel: &'static str,
    /// Heading: new or replaced sub-processors (Art 28(2)).
    pub changes: &'static str,
    /// Label: notice before a change.
    pub change_notice: &'static str,
    /// Label: how long the customer has to object.
    pub objection_window: &'static str,
    /// Label: what happens on an objection.
    pub on_objection: &'static str,
    /// Heading: help with data subjects' requests (Art 28(3)(e)).
    pub assistance: &'static str,
    /// Label: how fast.
    pub response_time: &'static str,
    /// Label: details.
    pub note: &'static str,
    /// Heading: audits (Art 28(3)(h)).
    pub audits: &'static str,
    /// Label: notice before an audit.
    pub audit_notice: &'static str,
    /// Label: how often.
    pub frequency: &'static str,
    /// Heading: the end of the contract (Art 28(3)(g)).
    pub end_of_contract: &'static str,
    /// Label: returned or deleted within.
    pub deadline: &'static str,
    /// Label: return on request.
    pub return_offered: &'static str,
    /// Label: the format of returned data.
    pub format: &'static str,
    /// Label: deletion certified in writing.
    pub certificate: &'static str,
    /// Label: how long the customer has to choose between return and deletion.
    pub choice_window: &'static str,
    /// Label: what the processor may keep after the end (a statutory duty).
    pub legal_hold: &'static str,
    /// Heading: the security measures (Art 32).
    pub security: &'static str,
    /// Heading: the sub-processors.
    pub subprocessors: &'static str,
    /// Title of the sub-processor page.
    pub subprocessor_page: &'static str,
    /// Heading: the sub-processors in use now.
    pub current: &'static str,
    /// Heading: the changes, newest first.
    pub change_history: &'static str,
    /// When there has been no change.
    pub no_changes: &'static str,
    /// Column: what happened.
    pub change: &'static str,
    /// A new sub-processor.
    pub added: &'static str,
    /// One no longer used.
    pub removed: &'static str,
    /// Other countries or safeguards.
    pub changed: &'static str,
    /// Column: the day customers were told.
    pub announced: &'static str,
    /// Column: the day it takes effect.
    pub takes_effect: &'static str,
    /// Column: the last day to object.
    pub objection_deadline: &'static str,
    /// The link to the Atom feed of changes.
    pub feed: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,
}

impl DpaLabels {
    /// English.
    pub const EN: DpaLabels = DpaLabels {
        lang: "en",
        title: "Data processing agreement: annex",
        subprocessor_page: "Sub-processors",
        current: "Current sub-processors",
        change_history: "Changes",
        no_changes: "No change since the first revision.",
        change: "Change",
        added: "Added",
        removed: "Removed",
        changed: "Changed",
        announced: "Announced",
        takes_effect: "Takes effect",
        objection_deadline: "Objections until",
        feed: "Subscribe to changes (Atom)",
        description: "Description of the processing",
        customer: "Controller",
        nature: "Nature and purpose",
        subjects: "Categories of data subjects",
        data: "Categories of personal data",
        commitments: "The processor's commitments",
        breach: "Personal data breaches (GDPR Art. 33)",
        breach_within: "The controller is told within",
        channel: "How",
        changes: "New or replaced sub-processors (GDPR Art. 28(2))",
        change_notice: "Notice before the change",
        objection_window: "Objection within",
        on_objection: "On objection",
        assistance: "Help with data subjects' requests (GDPR Art. 28(3)(e))",
        response_time: "Response time",
        note: "Details",
        audits: "Audits (GDPR Art. 28(3)(h))",
        audit_notice: "Notice before an audit",
        frequency: "Frequency",
        end_of_contract: "End of the contract (GDPR Art. 28(3)(g))",
        deadline: "Data returned or deleted within",
        return_offered: "Return on request",
        format: "Format",
        certificate: "Deletion certified in writing",
        choice_window: "The controller chooses return or deletion within",
        legal_hold: "Kept after the end",
        security: "Security measures (GDPR Art. 32)",
        subprocessors: "Sub-processors",
        yes: "yes",
        no: "no",
    };

    /// French.
    pub const FR: DpaLabels = DpaLabels {
        lang: "fr",
        subprocessor_page: "Sous-traitants ultérieurs",
        current: "Sous-traitants ultérieurs actuels",
        change_history: "Modifications",
        no_changes: "Aucune modification depuis la première révision.",
        change: "Modification",
        added: "Ajout",
        removed: "Retrait",
        changed: "Changement",
        announced: "Annoncée le",
        takes_effect: "Prend effet le",
        objection_deadline: "Objections jusqu’au",
        feed: "S’abonner aux modifications (Atom)",
        title: "Accord de traitement des données : annexe",
        description: "Description du traitement",
        customer: "Responsable du traitement",
        nature: "Nature et finalité",
        subjects: "Catégories de personnes concernées",
        data: "Catégories de données personnelles",
        commitments: "Engagements du sous-traitant",
        breach: "Violations de données personnelles (RGPD art. 33)",
        breach_within: "Le responsable du traitement est informé dans un délai de",
        channel: "Moyen",
        changes: "Sous-traitants ultérieurs ajoutés ou remplacés (RGPD art. 28(2))",
        change_notice: "Préavis avant le changement",
        objection_window: "Objection dans un délai de",
        on_objection: "En cas d'objection",
        assistance: "Aide aux demandes des personnes concernées (RGPD art. 28(3)(e))",
        response_time: "Délai de réponse",
        note: "Précisions",
        audits: "Audits (RGPD art. 28(3)(h))",
        audit_notice: "Préavis avant un audit",
        frequency: "Fréquence",
        end_of_contract: "Fin du contrat (RGPD art. 28(3)(g))",
        deadline: "Données restituées ou supprimées dans un délai de",
        return_offered: "Restitution sur demande",
        format: "Format",
        certificate: "Suppression attestée par écrit",
        choice_window:
            "Le responsable du traitement choisit la restitution ou la suppression dans un délai de",
        legal_hold: "Conservé après la fin du contrat",
        security: "Mesures de sécurité (RGPD art. 32)",
        subprocessors: "Sous-traitants ultérieurs",
        yes: "oui",
        no: "non",
    };

    /// German.
    pub const DE: DpaLabels = DpaLabels {
        lang: "de",
        subprocessor_page: "Unterauftragsverarbeiter",
        current: "Aktuelle Unterauftragsverarbeiter",
        change_history: "Änderungen",
        no_changes: "Keine Änderung seit der ersten Fassung.",
        change: "Änderung",
        added: "Hinzugefügt",
        removed: "Entfernt",
        changed: "Geändert",
        announced: "Angekündigt am",
        takes_effect: "Wirksam ab",
        objection_deadline: "Widerspruch bis",
        feed: "Änderungen abonnieren (Atom)",
        title: "Auftragsverarbeitungsvertrag: Anhang",
        description: "Beschreibung der Verarbeitung",
        customer: "Verantwortlicher",
        nature: "Art und Zweck",
        subjects: "Kategorien betroffener Personen",
        data: "Kategorien personenbezogener Daten",
        commitments: "Pflichten des Auftragsverarbeiters",
        breach: "Verletzungen des Schutzes personenbezogener Daten (Art. 33 DSGVO)",
        breach_within: "Der Verantwortliche wird informiert innerhalb von",
        channel: "Weg",
        changes: "Neue oder ersetzte Unterauftragsverarbeiter (Art. 28 Abs. 2 DSGVO)",
        change_notice: "Vorankündigung der Änderung",
        objection_window: "Einspruch innerhalb von",
        on_objection: "Bei Einspruch",
        assistance: "Unterstützung bei Anträgen betroffener Personen (Art. 28 Abs. 3 lit. e DSGVO)",
        response_time: "Antwortzeit",
        note: "Einzelheiten",
        audits: "Überprüfungen (Art. 28 Abs. 3 lit. h DSGVO)",
        audit_notice: "Vorankündigung einer Überprüfung",
        frequency: "Häufigkeit",
        end_of_contract: "Vertragsende (Art. 28 Abs. 3 lit. g DSGVO)",
        deadline: "Daten zurückgegeben oder gelöscht innerhalb von",
        return_offered: "Rückgabe auf Verlangen",
        format: "Format",
        certificate: "Schriftliche Löschbestätigung",
        choice_window: "Der Verantwortliche wählt Rückgabe oder Löschung innerhalb von",
        legal_hold: "Nach Vertragsende aufbewahrt",
        security: "Sicherheitsmaßnahmen (Art. 32 DSGVO)",
        subprocessors: "Unterauftragsverarbeiter",
        yes: "ja",
        no: "nein",
    };

    /// Every language of the annex.
    pub const ALL: [&'static DpaLabels; 5] = [
        &DpaLabels::EN,
        &DpaLabels::FR,
        &DpaLabels::DE,
        &DpaLabels::DA,
        &DpaLabels::SK,
    ];
}

/// The annex's labels for a BCP 47 tag; English when it does not speak the language.
pub fn dpa_labels(lang: &str) -> &'static DpaLabels {
    let primary = crate::language::primary_subtag(lang);
    DpaLabels::ALL
        .into_iter()
        .find(|l| l.lang.eq_ignore_ascii_case(primary))
        .unwrap_or(&DpaLabels::EN)
}
