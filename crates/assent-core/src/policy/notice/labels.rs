//! The words of the privacy notice, in English, French and German (Danish
//! and Slovak in `labels_da.rs` and `labels_sk.rs`): headings,
//! column labels and the names of legal bases, transfer mechanisms, channels
//! and rights.
//!
//! Every label is a field and every name a match over its enum, so a label
//! cannot be missing in one language and a new variant does not compile until
//! each language names it. The texts of the policy itself (purpose names,
//! descriptions…) come from the policy file, not from here.

use serde::Serialize;

use crate::policy::model::{Channel, LegalBasis, Mechanism, RetentionEnd, Right};
use crate::policy::processor::Role;
use crate::policy::recipient::RecipientKind;

pub use super::period_words::PeriodWords;
pub use super::special_words::SpecialWords;

/// Every fixed string of the notice, in one language.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NoticeLabels {
    /// BCP 47 primary language tag.
    pub lang: &'static str,
    /// What goes between a label and its value (French sets a no-break space
    /// before the colon).
    pub colon: &'static str,
    /// Title of the notice.
    pub notice: &'static str,
    /// Accessible name of the language switcher.
    pub languages: &'static str,
    /// Heading of the controller's identity and contact (Art 13(1)(a)).
    pub controller: &'static str,
    /// The same heading for an organisation that is a processor only (Art 4(8), 28).
    pub processor: &'static str,
    /// The same heading for one that is a controller and a processor.
    pub controller_and_processor: &'static str,
    /// The legal basis of a purpose pursued for customers: theirs to determine (Art 28).
    pub basis_by_customer: &'static str,
    /// Label of an appointed data protection officer (Art 13(1)(b)).
    pub dpo: &'static str,
    /// Label of the contact point when no DPO is appointed.
    pub contact_point: &'static str,
    /// Heading of the purposes and their legal bases (Art 13(1)(c)).
    pub purposes: &'static str,
    /// Column: a purpose.
    pub purpose: &'static str,
    /// Column: its legal bases.
    pub basis: &'static str,
    /// Column: data categories.
    pub data: &'static str,
    /// Heading of the cookies section (ePrivacy Art 5(3)).
    pub cookies: &'static str,
    /// Column: cookie category.
    pub category: &'static str,
    /// Column: service.
    pub service: &'static str,
    /// Column: who provides the service.
    pub provider: &'static str,
    /// Column: the service's cookies and storage keys.
    pub items: &'static str,
    /// Heading of the data categories (Art 14(1)(d)).
    pub data_categories: &'static str,
    /// Column: special category of data (Art 9).
    pub special: &'static str,
    /// Heading of the retention periods (Art 13(2)(a)).
    pub retention: &'static str,
    /// Column: how long.
    pub period: &'static str,
    /// Column: the event a period counts from.
    pub after: &'static str,
    /// The event a period counts from when the policy names none.
    pub creation: &'static str,
    /// What the notice shows where the policy's source states no value (a
    /// DPO, an e-mail, a response time, an authority).
    pub not_stated: &'static str,
    /// Before the item whose life data is kept for (`for the life of`).
    pub for_the_life_of: &'static str,
    /// The end of a retention period: deleted, anonymised, or either.
    pub deleted: &'static str,
    #[allow(missing_docs)]
    pub anonymised: &'static str,
    #[allow(missing_docs)]
    pub deleted_or_anonymised: &'static str,
    /// Label of the circumstances in which data is kept longer (a legal hold).
    pub exception: &'static str,
    /// Heading of the recipients that are not processors (Art 13(1)(e)).
    pub other_recipients: &'static str,
    /// A recipient that decides its own purposes and means.
    pub independent_controller: &'static str,
    /// A recipient that decides them with the organisation (Art 26).
    pub joint_controller: &'static str,
    /// Label of the essence of a joint-controller arrangement (Art 26(2)).
    pub arrangement: &'static str,
    /// Label of the transfers a recipient makes in turn.
    pub onward: &'static str,
    /// Column: how a recipient stands to the data.
    pub kind: &'static str,
    /// The preview site's name, in its header.
    pub preview_site: &'static str,
    /// The preview site's link to the list of policies.
    pub all_policies: &'static str,
    /// The link that reopens the consent manager.
    pub privacy_settings: &'static str,
    /// Column: a purpose's or a data category's description.
    pub description: &'static str,
    /// Column: whose data it is (Art 14(1)(d)).
    pub subjects: &'static str,
    /// Column: where data not collected from the person comes from (Art 14(2)(f)).
    pub source: &'static str,
    /// Label of the privacy e-mail address, shown when it is not stated.
    pub email: &'static str,
    /// Beside a transfer safeguard kept only in case the data ever leaves the
    /// EEA or an adequate country.
    pub contingency: &'static str,
    /// Column: a retention rule's legal reference.
    pub reference: &'static str,
    /// Heading of the sub-processors and transfers (Art 13(1)(e), (f)).
    pub subprocessors: &'static str,
    /// Column: a sub-processor's name.
    pub name: &'static str,
    /// Column: what it does.
    pub role: &'static str,
    /// Column: where it processes data.
    pub country: &'static str,
    /// Column: the transfer safeguard.
    pub transfer: &'static str,
    /// "module" of standard contractual clauses (`module 2`).
    pub module: &'static str,
    /// No transfer: the data stays in the European Economic Area.
    pub eea: &'static str,
    /// Outside the EEA with no safeguard named (a lint error; never blank).
    pub no_safeguard: &'static str,
    /// Heading of the data-subject rights (Art 13(2)(b)–(d)).
    pub rights: &'static str,
    /// Column: a right.
    pub right: &'static str,
    /// Column: where it is exercised.
    pub how: &'static str,
    /// Column: details for users.
    pub note: &'static str,
    /// "Answer within" the response time (Art 12(3)).
    pub response: &'static str,
    /// "extendable by" the extension (Art 12(3)).
    pub extension: &'static str,
    /// Heading of processing under explicit consent (Art 9(2)(a)).
    pub special_processing: &'static str,
    /// What withdrawing consent does.
    pub withdrawal: &'static str,
    /// "Deletion within" the deadline after withdrawal.
    pub deletion: &'static str,
    /// Heading of the complaint authority (Art 13(2)(d)).
    pub complaint: &'static str,
    /// Sentence before the authority's name and address.
    pub complaint_body: &'static str,
    /// Names of the legal bases.
    pub basis_names: BasisWords,
    /// Articles of the legal bases, as cited in this language.
    pub basis_articles: BasisWords,
    /// Names of the transfer mechanisms.
    pub mechanism_names: MechanismWords,
    /// Names of the channels a right or a withdrawal is exercised through.
    pub channel_names: ChannelWords,
    /// Names of the rights.
    pub right_names: RightWords,
    /// Periods (`30 days`) in this language.
    pub periods: PeriodWords,
    /// The special categories of data (Art 9(1)) in this language.
    pub special_names: SpecialWords,
    /// Articles of the rights, as cited in this language.
    pub right_articles: RightWords,
}

/// One word per [`LegalBasis`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct BasisWords {
    pub consent: &'static str,
    pub contract: &'static str,
    pub legal_obligation: &'static str,
    pub vital_interests: &'static str,
    pub public_task: &'static str,
    pub legitimate_interest: &'static str,
    pub explicit_consent: &'static str,
}

impl BasisWords {
    /// The word for `basis`.
    pub fn of(&self, basis: LegalBasis) -> &'static str {
        match basis {
            LegalBasis::Consent => self.consent,
            LegalBasis::Contract => self.contract,
            LegalBasis::LegalObligation => self.legal_obligation,
            LegalBasis::VitalInterests => self.vital_interests,
            LegalBasis::PublicTask => self.public_task,
            LegalBasis::LegitimateInterest => self.legitimate_interest,
            LegalBasis::ExplicitConsent => self.explicit_consent,
        }
    }
}

/// One word per [`Mechanism`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct MechanismWords {
    pub adequacy: &'static str,
    pub dpf: &'static str,
    pub scc: &'static str,
    pub bcr: &'static str,
    pub derogation: &'static str,
}

impl MechanismWords {
    /// The word for `mechanism`.
    pub fn of(&self, mechanism: Mechanism) -> &'static str {
        match mechanism {
            Mechanism::Adequacy => self.adequacy,
            Mechanism::Dpf => self.dpf,
            Mechanism::Scc => self.scc,
            Mechanism::Bcr => self.bcr,
            Mechanism::Derogation => self.derogation,
        }
    }
}

/// One word per [`Channel`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct ChannelWords {
    pub consent_manager: &'static str,
    pub panel: &'static str,
    pub contact: &'static str,
    pub customer: &'static str,
}

impl ChannelWords {
    /// The word for `channel`.
    pub fn of(&self, channel: Channel) -> &'static str {
        match channel {
            Channel::ConsentManager => self.consent_manager,
            Channel::Panel => self.panel,
            Channel::Contact => self.contact,
            Channel::Customer => self.customer,
        }
    }
}

/// One word per [`Right`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub struct RightWords {
    pub access: &'static str,
    pub rectification: &'static str,
    pub erasure: &'static str,
    pub restriction: &'static str,
    pub portability: &'static str,
    pub objection: &'static str,
    pub automated_decisions: &'static str,
    pub withdraw_consent: &'static str,
    pub withdraw_special_consent: &'static str,
    pub post_mortem_directives: &'static str,
}

impl RightWords {
    /// The word for `right`.
    pub fn of(&self, right: Right) -> &'static str {
        match right {
            Right::Access => self.access,
            Right::Rectification => self.rectification,
            Right::Erasure => self.erasure,
            Right::Restriction => self.restriction,
            Right::Portability => self.portability,
            Right::Objection => self.objection,
            Right::AutomatedDecisions => self.automated_decisions,
            Right::WithdrawSpecialConsent => self.withdraw_special_consent,
            Right::WithdrawConsent => self.withdraw_consent,
            Right::PostMortemDirectives => self.post_mortem_directives,
        }
    }
}

impl NoticeLabels {
    /// English.
    pub const EN: NoticeLabels = NoticeLabels {
        lang: "en",
        colon: ": ",
        notice: "Privacy notice",
        languages: "Languages",
        controller: "Data controller",
        processor: "Processor",
        controller_and_processor: "Data controller and processor",
        basis_by_customer: "Determined by the customer, who is the controller (GDPR Art. 28)",
        dpo: "Data protection officer",
        contact_point: "Data protection contact point",
        purposes: "Purposes and legal bases",
        purpose: "Purpose",
        basis: "Legal basis",
        data: "Data",
        cookies: "Cookies and similar technologies",
        category: "Category",
        service: "Service",
        provider: "Provider",
        items: "Cookies and storage",
        data_categories: "Categories of data",
        special: "Special category (Art. 9)",
        retention: "Retention",
        period: "Period",
        after: "Counted from",
        creation: "creation",
        not_stated: "not stated",
        email: "E-mail",
        description: "Description",
        subjects: "Data subjects",
        source: "Source",
        preview_site: "Policy preview",
        all_policies: "All policies",
        privacy_settings: "Privacy settings",
        other_recipients: "Other recipients",
        independent_controller: "Independent controller",
        joint_controller: "Joint controller (GDPR Art. 26)",
        arrangement: "Arrangement between the joint controllers",
        onward: "Onward transfers",
        kind: "Capacity",
        for_the_life_of: "for the life of",
        deleted: "then deleted",
        anonymised: "then anonymised",
        deleted_or_anonymised: "then deleted or anonymised",
        exception: "Exception",
        contingency: "kept as a contingency only",
        reference: "Reference",
        subprocessors: "Sub-processors and transfers",
        name: "Name",
        role: "Role",
        country: "Country",
        transfer: "Transfer mechanism",
        module: "module",
        eea: "EEA",
        no_safeguard: "no safeguard named",
        rights: "Your rights",
        right: "Right",
        how: "How",
        note: "Details",
        response: "Answer within",
        extension: "extendable by",
        special_processing: "Processing under explicit consent",
        withdrawal: "If you withdraw consent",
        deletion: "deleted within",
        complaint: "Complaints",
        complaint_body: "You can lodge a complaint with the supervisory authority",
        basis_names: BasisWords {
            consent: "consent",
            contract: "contract",
            legal_obligation: "legal obligation",
            vital_interests: "vital interests",
            public_task: "public task",
            legitimate_interest: "legitimate interest",
            explicit_consent: "explicit consent",
        },
        basis_articles: BasisWords {
            consent: "GDPR Art. 6(1)(a)",
            contract: "GDPR Art. 6(1)(b)",
            legal_obligation: "GDPR Art. 6(1)(c)",
            vital_interests: "GDPR Art. 6(1)(d)",
            public_task: "GDPR Art. 6(1)(e)",
            legitimate_interest: "GDPR Art. 6(1)(f)",
            explicit_consent: "GDPR Art. 9(2)(a)",
        },
        mechanism_names: MechanismWords {
            adequacy: "adequacy decision (Art. 45)",
            dpf: "EU–US Data Privacy Framework",
            scc: "standard contractual clauses 2021/914",
            bcr: "binding corporate rules (Art. 47)",
            derogation: "derogation (Art. 49)",
        },
        channel_names: ChannelWords {
            consent_manager: "consent manager",
            panel: "account panel",
            contact: "contact",
            customer: "through the customer, the controller",
        },
        right_names: RightWords {
            access: "access",
            rectification: "rectification",
            erasure: "erasure",
            restriction: "restriction",
            portability: "portability",
            objection: "objection",
            automated_decisions: "not to be subject to automated decisions",
            withdraw_consent: "withdraw consent",
            withdraw_special_consent: "withdraw an explicit consent to special-category data",
            post_mortem_directives: "directives after death",
        },
        periods: PeriodWords::EN,
        special_names: SpecialWords::EN,
        right_articles: RightWords {
            access: "GDPR Art. 15",
            rectification: "GDPR Art. 16",
            erasure: "GDPR Art. 17",
            restriction: "GDPR Art. 18",
            portability: "GDPR Art. 20",
            objection: "GDPR Art. 21",
            automated_decisions: "GDPR Art. 22",
            withdraw_consent: "GDPR Art. 7(3)",
            withdraw_special_consent: "GDPR Art. 7(3), 9(2)(a)",
            post_mortem_directives: "French Data Protection Act Art. 85",
        },
    };

    /// French.
    pub const FR: NoticeLabels = NoticeLabels {
        lang: "fr",
        colon: "\u{a0}: ",
        notice: "Politique de confidentialité",
        languages: "Langues",
        controller: "Responsable du traitement",
        processor: "Sous-traitant",
        controller_and_processor: "Responsable du traitement et sous-traitant",
        basis_by_customer: "Déterminée par le client, responsable du traitement (RGPD art. 28)",
        dpo: "Délégué à la protection des données",
        contact_point: "Point de contact pour la protection des données",
        purposes: "Finalités et bases légales",
        purpose: "Finalité",
        basis: "Base légale",
        data: "Données",
        cookies: "Cookies et technologies similaires",
        category: "Catégorie",
        service: "Service",
        provider: "Fournisseur",
        items: "Cookies et stockage",
        data_categories: "Catégories de données",
        special: "Catégorie particulière (art. 9 RGPD)",
        retention: "Durées de conservation",
        period: "Durée",
        after: "À compter de",
        creation: "la création",
        not_stated: "non précisé",
        email: "Courriel",
        description: "Description",
        subjects: "Personnes concernées",
        source: "Source",
        preview_site: "Aperçu des politiques",
        all_policies: "Toutes les politiques",
        privacy_settings: "Paramètres de confidentialité",
        other_recipients: "Autres destinataires",
        independent_controller: "Responsable du traitement indépendant",
        joint_controller: "Responsable conjoint du traitement (RGPD, art. 26)",
        arrangement: "Accord entre les responsables conjoints",
        onward: "Transferts ultérieurs",
        kind: "Qualité",
        for_the_life_of: "pendant la durée de vie de",
        deleted: "puis supprimées",
        anonymised: "puis anonymisées",
        deleted_or_anonymised: "puis supprimées ou anonymisées",
        exception: "Exception",
        contingency: "prévue à titre de précaution uniquement",
        reference: "Référence",
        subprocessors: "Sous-traitants et transferts",
        name: "Nom",
        role: "Rôle",
        country: "Pays",
        transfer: "Mécanisme de transfert",
        module: "module",
        eea: "EEE",
        no_safeguard: "aucune garantie indiquée",
        rights: "Vos droits",
        right: "Droit",
        how: "Comment",
        note: "Précisions",
        response: "Réponse sous",
        extension: "prolongeable de",
        special_processing: "Traitements soumis à consentement explicite",
        withdrawal: "En cas de retrait du consentement",
        deletion: "suppression sous",
        complaint: "Réclamations",
        complaint_body: "Vous pouvez introduire une réclamation auprès de l’autorité de contrôle",
        basis_names: BasisWords {
            consent: "consentement",
            contract: "exécution du contrat",
            legal_obligation: "obligation légale",
            vital_interests: "sauvegarde des intérêts vitaux",
            public_task: "mission d’intérêt public",
            legitimate_interest: "intérêt légitime",
            explicit_consent: "consentement explicite",
        },
        basis_articles: BasisWords {
            consent: "RGPD, art. 6(1)(a)",
            contract: "RGPD, art. 6(1)(b)",
            legal_obligation: "RGPD, art. 6(1)(c)",
            vital_interests: "RGPD, art. 6(1)(d)",
            public_task: "RGPD, art. 6(1)(e)",
            legitimate_interest: "RGPD, art. 6(1)(f)",
            explicit_consent: "RGPD, art. 9(2)(a)",
        },
        mechanism_names: MechanismWords {
            adequacy: "décision d’adéquation (art. 45)",
            dpf: "cadre de protection des données UE–États-Unis (Data Privacy Framework)",
            scc: "clauses contractuelles types 2021/914",
            bcr: "règles d’entreprise contraignantes (art. 47)",
            derogation: "dérogation (art. 49)",
        },
        channel_names: ChannelWords {
            consent_manager: "paramètres de confidentialité",
            panel: "espace compte",
            contact: "contact",
            customer: "par l’intermédiaire du client, responsable du traitement",
        },
        right_names: RightWords {
            access: "accès",
            rectification: "rectification",
            erasure: "effacement",
            restriction: "limitation du traitement",
            portability: "portabilité",
            objection: "opposition",
            automated_decisions: "ne pas faire l'objet d'une décision automatisée",
            withdraw_consent: "retrait du consentement",
            withdraw_special_consent: "retrait d'un consentement explicite (données sensibles)",
            post_mortem_directives: "directives post mortem",
        },
        periods: PeriodWords::FR,
        special_names: SpecialWords::FR,
        right_articles: RightWords {
            access: "RGPD, art. 15",
            rectification: "RGPD, art. 16",
            erasure: "RGPD, art. 17",
            restriction: "RGPD, art. 18",
            portability: "RGPD, art. 20",
            objection: "RGPD, art. 21",
            automated_decisions: "RGPD, art. 22",
            withdraw_consent: "RGPD, art. 7(3)",
            withdraw_special_consent: "RGPD, art. 7(3) et 9(2)(a)",
            post_mortem_directives: "loi Informatique et Libertés, art. 85",
        },
    };

    /// German.
    pub const DE: NoticeLabels = NoticeLabels {
        lang: "de",
        colon: ": ",
        notice: "Datenschutzerklärung",
        languages: "Sprachen",
        controller: "Verantwortlicher",
        processor: "Auftragsverarbeiter",
        controller_and_processor: "Verantwortlicher und Auftragsverarbeiter",
        basis_by_customer: "Bestimmt der Kunde als Verantwortlicher (Art. 28 DSGVO)",
        dpo: "Datenschutzbeauftragter",
        contact_point: "Ansprechpartner für den Datenschutz",
        purposes: "Zwecke und Rechtsgrundlagen",
        purpose: "Zweck",
        basis: "Rechtsgrundlage",
        data: "Daten",
        cookies: "Cookies und ähnliche Technologien",
        category: "Kategorie",
        service: "Dienst",
        provider: "Anbieter",
        items: "Cookies und Speicher",
        data_categories: "Datenkategorien",
        special: "Besondere Kategorie (Art. 9 DSGVO)",
        retention: "Speicherdauer",
        period: "Dauer",
        after: "Gerechnet ab",
        creation: "der Erstellung",
        not_stated: "nicht angegeben",
        email: "E-Mail",
        description: "Beschreibung",
        subjects: "Betroffene Personen",
        source: "Herkunft",
        preview_site: "Richtlinienvorschau",
        all_policies: "Alle Richtlinien",
        privacy_settings: "Datenschutzeinstellungen",
        other_recipients: "Weitere Empfänger",
        independent_controller: "Eigenständiger Verantwortlicher",
        joint_controller: "Gemeinsam Verantwortlicher (Art. 26 DSGVO)",
        arrangement: "Vereinbarung der gemeinsam Verantwortlichen",
        onward: "Weiterübermittlungen",
        kind: "Eigenschaft",
        for_the_life_of: "für die Lebensdauer von",
        deleted: "danach gelöscht",
        anonymised: "danach anonymisiert",
        deleted_or_anonymised: "danach gelöscht oder anonymisiert",
        exception: "Ausnahme",
        contingency: "nur vorsorglich vereinbart",
        reference: "Fundstelle",
        subprocessors: "Unterauftragsverarbeiter und Übermittlungen",
        name: "Name",
        role: "Aufgabe",
        country: "Land",
        transfer: "Grundlage der Übermittlung",
        module: "Modul",
        eea: "EWR",
        no_safeguard: "keine Garantie angegeben",
        rights: "Ihre Rechte",
        right: "Recht",
        how: "Wie",
        note: "Hinweise",
        response: "Antwort innerhalb von",
        extension: "verlängerbar um",
        special_processing: "Verarbeitung mit ausdrücklicher Einwilligung",
        withdrawal: "Wenn Sie Ihre Einwilligung widerrufen",
        deletion: "Löschung innerhalb von",
        complaint: "Beschwerden",
        complaint_body: "Sie können sich bei der Aufsichtsbehörde beschweren",
        basis_names: BasisWords {
            consent: "Einwilligung",
            contract: "Vertragserfüllung",
            legal_obligation: "rechtliche Verpflichtung",
            vital_interests: "lebenswichtige Interessen",
            public_task: "Wahrnehmung einer öffentlichen Aufgabe",
            legitimate_interest: "berechtigtes Interesse",
            explicit_consent: "ausdrückliche Einwilligung",
        },
        basis_articles: BasisWords {
            consent: "Art. 6 Abs. 1 lit. a DSGVO",
            contract: "Art. 6 Abs. 1 lit. b DSGVO",
            legal_obligation: "Art. 6 Abs. 1 lit. c DSGVO",
            vital_interests: "Art. 6 Abs. 1 lit. d DSGVO",
            public_task: "Art. 6 Abs. 1 lit. e DSGVO",
            legitimate_interest: "Art. 6 Abs. 1 lit. f DSGVO",
            explicit_consent: "Art. 9 Abs. 2 lit. a DSGVO",
        },
        mechanism_names: MechanismWords {
            adequacy: "Angemessenheitsbeschluss (Art. 45)",
            dpf: "EU-US-Datenschutzrahmen (Data Privacy Framework)",
            scc: "Standardvertragsklauseln 2021/914",
            bcr: "verbindliche interne Datenschutzvorschriften (Art. 47)",
            derogation: "Ausnahme für bestimmte Fälle (Art. 49)",
        },
        channel_names: ChannelWords {
            consent_manager: "Datenschutzeinstellungen",
            panel: "Kontobereich",
            contact: "Kontakt",
            customer: "über den Kunden als Verantwortlichen",
        },
        right_names: RightWords {
            access: "Auskunft",
            rectification: "Berichtigung",
            erasure: "Löschung",
            restriction: "Einschränkung der Verarbeitung",
            portability: "Datenübertragbarkeit",
            objection: "Widerspruch",
            automated_decisions: "keiner automatisierten Entscheidung unterworfen zu werden",
            withdraw_consent: "Widerruf der Einwilligung",
            withdraw_special_consent:
                "Widerruf einer ausdrücklichen Einwilligung (besondere Kategorien)",
            post_mortem_directives: "Verfügungen für die Zeit nach dem Tod",
        },
        periods: PeriodWords::DE,
        special_names: SpecialWords::DE,
        right_articles: RightWords {
            access: "Art. 15 DSGVO",
            rectification: "Art. 16 DSGVO",
            erasure: "Art. 17 DSGVO",
            restriction: "Art. 18 DSGVO",
            portability: "Art. 20 DSGVO",
            objection: "Art. 21 DSGVO",
            automated_decisions: "Art. 22 DSGVO",
            withdraw_consent: "Art. 7 Abs. 3 DSGVO",
            withdraw_special_consent: "Art. 7 Abs. 3, Art. 9 Abs. 2 lit. a DSGVO",
            post_mortem_directives: "Art. 85 französisches Datenschutzgesetz",
        },
    };

    /// Every language of the notice.
    pub const ALL: [&'static NoticeLabels; 5] = [
        &NoticeLabels::EN,
        &NoticeLabels::FR,
        &NoticeLabels::DE,
        &NoticeLabels::DA,
        &NoticeLabels::SK,
    ];

    /// The heading of the organisation's identity for its `role`.
    pub fn role_heading(&self, role: Role) -> &'static str {
        match role {
            Role::Controller => self.controller,
            Role::Processor => self.processor,
            Role::Both => self.controller_and_processor,
        }
    }

    /// The name of a legal basis (`contract`).
    pub fn basis_name(&self, basis: LegalBasis) -> &'static str {
        self.basis_names.of(basis)
    }

    /// The article a legal basis rests on (`GDPR Art. 6(1)(b)`).
    pub fn basis_article(&self, basis: LegalBasis) -> &'static str {
        self.basis_articles.of(basis)
    }

    /// The name of a transfer mechanism.
    pub fn mechanism_name(&self, mechanism: Mechanism) -> &'static str {
        self.mechanism_names.of(mechanism)
    }

    /// The name of a channel (`consent manager`, `account panel`, `contact`).
    pub fn channel_name(&self, channel: Channel) -> &'static str {
        self.channel_names.of(channel)
    }

    /// How a recipient stands to the data (`Joint controller`).
    pub fn recipient_kind(&self, kind: RecipientKind) -> &'static str {
        match kind {
            RecipientKind::IndependentController => self.independent_controller,
            RecipientKind::JointController => self.joint_controller,
        }
    }

    /// What becomes of data at the end of its retention (`then anonymised`).
    pub fn retention_end(&self, end: RetentionEnd) -> &'static str {
        match end {
            RetentionEnd::Deleted => self.deleted,
            RetentionEnd::Anonymised => self.anonymised,
            RetentionEnd::DeletedOrAnonymised => self.deleted_or_anonymised,
        }
    }

    /// The name of a right (`access`).
    pub fn right_name(&self, right: Right) -> &'static str {
        self.right_names.of(right)
    }

    /// The article a right rests on (`GDPR Art. 15`).
    pub fn right_article(&self, right: Right) -> &'static str {
        self.right_articles.of(right)
    }
}

/// The notice's labels for a BCP 47 tag (`fr-CA` → French); English when the
/// notice does not speak the language.
pub fn labels(lang: &str) -> &'static NoticeLabels {
    let primary = crate::language::primary_subtag(lang);
    NoticeLabels::ALL
        .into_iter()
        .find(|l| l.lang.eq_ignore_ascii_case(primary))
        .unwrap_or(&NoticeLabels::EN)
}
