//! The notice model (`policy::notice`), one test per section, against
//! `tests/policies/minimal.toml` and `www/policies/pix2clip.toml`; and the
//! notice's labels: complete and translated in every language.

use std::fs;
use std::path::PathBuf;

use assent_core::policy::notice::{NoticeDataRef, NoticeLabels};
use assent_core::policy::parse::{check, Syntax};
use assent_core::policy::{
    labels, notice, Channel, LegalBasis, Mechanism, Notice, Policy, Right, SpecialCategory, Storage,
};
use assent_core::Category;
use serde_json::Value;

fn policy(path: &str) -> Policy {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    let source = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    check(&source, Syntax::of_file(path)).unwrap_or_else(|f| panic!("{path}: {f:?}"))
}

fn minimal() -> Notice {
    notice(&policy("tests/policies/minimal.toml"), "en")
}

fn pix2clip(lang: &str) -> Notice {
    notice(&policy("www/policies/pix2clip.toml"), lang)
}

fn names(refs: &[NoticeDataRef]) -> Vec<&str> {
    refs.iter().map(|d| d.name.as_str()).collect()
}

#[test]
fn the_notice_says_which_policy_and_language_it_is() {
    let n = pix2clip("fr");
    assert_eq!(n.lang, "fr");
    assert_eq!((n.policy.as_str(), n.revision), ("pix2clip", 2));
    assert_eq!(n.effective, "2026-12-07");
    assert_eq!(n.languages, ["en", "fr"]);
}

#[test]
fn controller_identity_contact_and_contact_point() {
    let c = minimal().controller;
    assert_eq!(c.legal_name, "Example Ltd");
    assert_eq!((c.form, c.registration), (None, None));
    assert_eq!(c.email.as_deref(), Some("privacy@example.com"));
    let dpo = c.dpo.unwrap();
    assert!(!dpo.appointed);
    assert_eq!(dpo.email, "privacy@example.com");
    assert_eq!(dpo.note, None);

    let c = pix2clip("fr").controller;
    assert_eq!(c.form.as_deref(), Some("SAS"));
    assert_eq!(c.registration.as_deref(), Some("SIREN 940 163 496"));
    assert_eq!(c.country.as_deref(), Some("FR"));
    let note = c.dpo.unwrap().note.unwrap();
    assert!(
        note.starts_with("QR Communication n'a pas désigné"),
        "{note}"
    );
}

#[test]
fn purposes_name_their_legal_bases_with_the_article_and_their_data() {
    let n = minimal();
    let account = &n.purposes[0];
    assert_eq!(
        (account.id.as_str(), account.name.as_str()),
        ("account", "Your account")
    );
    assert_eq!(account.bases.len(), 1);
    assert_eq!(account.bases[0].basis, LegalBasis::Contract);
    assert_eq!(account.bases[0].name, "contract");
    assert_eq!(account.bases[0].article, "GDPR Art. 6(1)(b)");
    assert_eq!(account.data[0].id, "identification");
    assert_eq!(names(&account.data), ["Name and e-mail"]);
    let audience = &n.purposes[1];
    assert_eq!(audience.withdrawal[0].channel, Channel::ConsentManager);
    assert_eq!(audience.withdrawal[0].name, "consent manager");

    let n = pix2clip("fr");
    let orders = n.purposes.iter().find(|p| p.id == "orders").unwrap();
    let bases: Vec<_> = orders
        .bases
        .iter()
        .map(|b| (b.name.as_str(), b.article.as_str()))
        .collect();
    assert_eq!(
        bases,
        [
            ("exécution du contrat", "RGPD, art. 6(1)(b)"),
            ("obligation légale", "RGPD, art. 6(1)(c)"),
        ]
    );
    assert_eq!(
        names(&orders.data),
        [
            "Données d'identification et de contact",
            "Données de facturation",
            "Historique d'utilisation des crédits",
        ]
    );
    let security = n.purposes.iter().find(|p| p.id == "security").unwrap();
    assert!(security
        .legitimate_interest
        .as_deref()
        .unwrap()
        .starts_with("Assurer la sécurité"));
    let voice = n.purposes.iter().find(|p| p.id == "voice-cloning").unwrap();
    assert_eq!(voice.bases[0].article, "RGPD, art. 9(2)(a)");
    assert_eq!(voice.withdrawal[0].name, "espace compte");
}

#[test]
fn cookies_list_categories_services_and_items() {
    let n = minimal();
    let ids: Vec<_> = n.cookies.iter().map(|c| c.category).collect();
    assert_eq!(ids, [Category::Necessary, Category::Analytics]);
    assert_eq!(
        n.cookies[0].basis, None,
        "strictly necessary needs no basis"
    );
    assert_eq!(n.cookies[1].basis.as_ref().unwrap().name, "consent");
    let audience = &n.cookies[1].services[0];
    assert_eq!(
        (audience.id.as_str(), audience.provider.as_str()),
        ("audience", "Example Ltd")
    );
    assert_eq!(audience.purpose, "Counts visits.");
    assert_eq!(audience.cookies[0].name, "_ex_*");
    assert_eq!(audience.cookies[0].lifetime, "13 months");

    let n = pix2clip("fr");
    assert_eq!(n.cookies[0].name, "Strictement nécessaires");
    let consent = n.cookies[0]
        .services
        .iter()
        .find(|s| s.id == "consent")
        .unwrap();
    let items: Vec<_> = consent
        .cookies
        .iter()
        .map(|c| (c.name.as_str(), c.storage))
        .collect();
    assert_eq!(
        items,
        [
            ("assent_consent", Storage::Cookie),
            ("assent.consent", Storage::LocalStorage)
        ]
    );
}

#[test]
fn data_categories_keep_their_ids_and_special_category() {
    let n = pix2clip("en");
    let ids: Vec<_> = n.data.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "identification",
            "authentication",
            "billing",
            "technical",
            "content",
            "usage",
            "voice"
        ]
    );
    let voice = n.data.iter().find(|d| d.id == "voice").unwrap();
    assert_eq!(voice.name, "Voice samples and voice models");
    assert_eq!(voice.special, Some(SpecialCategory::Biometric));
    assert!(voice.description.as_deref().unwrap().contains("biometric"));
    assert!(n
        .data
        .iter()
        .filter(|d| d.id != "voice")
        .all(|d| d.special.is_none()));
    let content = n.data.iter().find(|d| d.id == "content").unwrap();
    assert_eq!(content.subjects, ["users", "people shown in content"]);
    assert!(
        n.data.iter().all(|d| d.count.is_none()),
        "no counts in the general notice"
    );
}

#[test]
fn counts_attach_by_data_category_id_and_serialise_only_when_known() {
    let general = pix2clip("en");
    let json = serde_json::to_value(&general).unwrap();
    assert!(
        json["data"][0].get("count").is_none(),
        "{}",
        json["data"][0]
    );

    let counts = [
        ("voice".to_owned(), 2),
        ("content".to_owned(), 41),
        ("not-a-category".to_owned(), 9),
    ];
    let mine = general.with_counts(&counts);
    let count = |id: &str| mine.data.iter().find(|d| d.id == id).unwrap().count;
    assert_eq!(count("voice"), Some(2));
    assert_eq!(count("content"), Some(41));
    assert_eq!(
        count("billing"),
        None,
        "a category the server did not count"
    );
    let json = serde_json::to_value(&mine).unwrap();
    let voice = json["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "voice")
        .unwrap();
    assert_eq!(voice["count"], 2);
    assert_eq!(serde_json::from_value::<Notice>(json).unwrap(), mine);
}

#[test]
fn retention_names_its_data_and_counts_from_creation_unless_told() {
    let n = minimal();
    let r = &n.retention;
    assert_eq!(names(&r[0].data), ["Name and e-mail"]);
    assert_eq!(
        (r[0].period.as_str(), r[0].counted_from.as_str()),
        ("3 years", "the last login")
    );
    assert_eq!(
        (r[1].period.as_str(), r[1].counted_from.as_str()),
        ("13 months", "creation")
    );
    assert_eq!(r[1].reference, None);

    let n = pix2clip("fr");
    let content = n
        .retention
        .iter()
        .find(|r| r.data[0].id == "content")
        .unwrap();
    assert_eq!(content.counted_from, "la création");
    let billing = &n
        .retention
        .iter()
        .find(|r| r.data[0].id == "billing")
        .unwrap();
    assert_eq!(
        billing.reference.as_deref(),
        Some("Code de commerce, art. L123-22"),
        "a French notice gives the legal reference in French"
    );
    let voice = n
        .retention
        .iter()
        .find(|r| r.data[0].id == "voice")
        .unwrap();
    assert_eq!(
        (voice.period.as_str(), voice.counted_from.as_str()),
        ("30 jours", "le retrait du consentement"),
        "a French notice names its periods in French"
    );
}

#[test]
fn subprocessors_show_country_region_and_transfer_safeguard() {
    let n = minimal();
    let hoster = &n.subprocessors[0];
    assert_eq!(
        (hoster.name.as_str(), hoster.countries.as_slice()),
        ("Hoster GmbH", ["DE".to_owned()].as_slice())
    );
    assert!(hoster.in_eea && hoster.transfers.is_empty());
    assert_eq!(names(&hoster.data), ["Name and e-mail", "Pages visited"]);

    let n = pix2clip("fr");
    let scaleway = n
        .subprocessors
        .iter()
        .find(|s| s.name == "Scaleway SAS")
        .unwrap();
    assert_eq!(scaleway.region.as_deref(), Some("fr-par"));
    assert!(scaleway.in_eea && scaleway.transfers.is_empty());
    let minimax = n
        .subprocessors
        .iter()
        .find(|s| s.name == "MiniMax")
        .unwrap();
    assert_eq!(minimax.countries, ["CN"]);
    assert!(!minimax.in_eea);
    assert_eq!(minimax.role, "Modèles d'IA générative");
    let [transfer] = minimax.transfers.as_slice() else {
        panic!("one safeguard: {:?}", minimax.transfers)
    };
    assert_eq!(transfer.mechanism, Mechanism::Scc);
    assert_eq!(transfer.module, Some(assent_core::policy::Stated::Value(2)));
    assert_eq!(transfer.name, "clauses contractuelles types 2021/914");
    assert!(transfer
        .measures
        .as_deref()
        .unwrap()
        .starts_with("Chiffrement en transit"));
    assert_eq!(
        names(&minimax.data),
        [
            "Contenus importés et générés",
            "Échantillons et modèles vocaux"
        ]
    );
    assert_eq!(
        pix2clip("en").subprocessors[3].transfers[0].name,
        "standard contractual clauses 2021/914"
    );
}

#[test]
fn rights_name_the_article_the_channels_and_the_answer_time() {
    let n = minimal();
    assert_eq!(n.rights.response_time.as_deref(), Some("1 month"));
    assert_eq!(n.rights.extension.as_deref(), Some("2 months"));
    let access = &n.rights.offered[0];
    assert_eq!(
        (access.right, access.name.as_str()),
        (Right::Access, "access")
    );
    assert_eq!(access.article, "GDPR Art. 15");
    assert_eq!(access.channels[0].name, "contact");

    let n = pix2clip("fr");
    assert_eq!(n.rights.offered.len(), 8);
    let withdraw = n
        .rights
        .offered
        .iter()
        .find(|r| r.right == Right::WithdrawConsent)
        .unwrap();
    assert_eq!(withdraw.name, "retrait du consentement");
    assert_eq!(withdraw.article, "RGPD, art. 7(3)");
    let how: Vec<_> = withdraw.channels.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        how,
        ["paramètres de confidentialité", "espace compte", "contact"]
    );
    assert!(withdraw
        .note
        .as_deref()
        .unwrap()
        .starts_with("Gérez un par un"));
}

#[test]
fn special_processing_says_what_withdrawal_does_and_how_soon() {
    assert!(minimal().special.is_empty());
    let n = pix2clip("fr");
    let voice = &n.special[0];
    assert_eq!(
        (voice.id.as_str(), voice.name.as_str()),
        ("voice-cloning", "Clonage vocal")
    );
    assert_eq!(voice.purpose, "voice-cloning");
    assert_eq!(names(&voice.data), ["Échantillons et modèles vocaux"]);
    assert_eq!(voice.recipients, ["MiniMax"]);
    assert!(voice.withdrawal.starts_with("Vous pouvez retirer"));
    assert_eq!(voice.deletion_deadline, "30 jours");
}

#[test]
fn complaint_authority() {
    let a = minimal().authority.unwrap();
    assert_eq!(a.name, "CNIL");
    assert_eq!(a.url.as_deref(), Some("https://www.cnil.fr"));
    assert!(pix2clip("fr").authority.unwrap().name.ends_with("(CNIL)"));
}

#[test]
fn a_language_the_policy_lacks_falls_back_to_its_first_for_texts_only() {
    let n = pix2clip("de");
    assert_eq!(n.purposes[0].name, "Account management and authentication");
    assert_eq!(n.purposes[0].bases[0].name, "Vertragserfüllung");
    assert_eq!(n.purposes[0].bases[0].article, "Art. 6 Abs. 1 lit. b DSGVO");
    let n = pix2clip("es");
    assert_eq!(
        n.purposes[0].bases[0].name, "contract",
        "English names otherwise"
    );
}

#[test]
fn the_notice_serialises_kebab_case_and_reads_back() {
    let n = pix2clip("fr");
    let json = serde_json::to_value(&n).unwrap();
    assert_eq!(json["controller"]["legal-name"], "QR Communication");
    assert_eq!(json["rights"]["response-time"], "1 mois");
    assert_eq!(
        json["retention"][0]["counted-from"],
        "la dernière connexion (les données sont conservées tant que le compte est actif)"
    );
    assert_eq!(json["subprocessors"][3]["in-eea"], false);
    assert_eq!(json["subprocessors"][3]["transfers"][0]["mechanism"], "scc");
    assert_eq!(json["purposes"][1]["bases"][1]["basis"], "legal-obligation");
    assert_eq!(json["data"][6]["special"], "biometric");
    assert_eq!(json["special"][0]["deletion-deadline"], "30 jours");
    assert_eq!(serde_json::from_value::<Notice>(json).unwrap(), n);
}

/// Every string of a serialised label set, with its path.
fn strings(labels: &NoticeLabels) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    walk(&format!("{prefix}{key}."), value, out);
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    walk(&format!("{prefix}{i}."), value, out);
                }
            }
            Value::String(s) => out.push((prefix.trim_end_matches('.').to_owned(), s.clone())),
            other => panic!("{prefix}: not a string: {other}"),
        }
    }
    let mut out = Vec::new();
    walk("", &serde_json::to_value(labels).unwrap(), &mut out);
    out
}

#[test]
fn every_label_of_every_language_is_non_empty() {
    for labels in NoticeLabels::ALL {
        let all = strings(labels);
        assert!(all.len() > 70, "{}: {} strings", labels.lang, all.len());
        for (path, text) in all {
            assert!(!text.trim().is_empty(), "{}: {path} is empty", labels.lang);
        }
    }
}

#[test]
fn french_and_german_labels_are_translated() {
    // The words that are the same in English, and rightly so.
    let same = [
        ("fr", "service"),
        ("fr", "module"),
        ("fr", "channel-names.contact"),
        ("fr", "right-names.rectification"),
        ("fr", "exception"),
        ("fr", "description"),
        ("fr", "source"),
        ("fr", "periods.minute.0"),
        ("fr", "periods.minute.1"),
        ("fr", "periods.minute.2"),
        ("da", "colon"),
        ("da", "email"),
        ("sk", "colon"),
        ("sk", "email"),
        ("de", "colon"),
        ("de", "name"),
    ];
    let english = strings(&NoticeLabels::EN);
    for labels in NoticeLabels::ALL.into_iter().skip(1) {
        let translated = strings(labels);
        assert_eq!(translated.len(), english.len());
        for ((path, en), (other_path, text)) in english.iter().zip(&translated) {
            assert_eq!(path, other_path);
            let expected_same = same.contains(&(labels.lang, path.as_str()));
            assert_eq!(
                en == text,
                expected_same,
                "{}: {path} is {text:?}, English {en:?}",
                labels.lang
            );
        }
    }
}

#[test]
fn labels_follow_the_primary_language_tag_with_english_otherwise() {
    assert_eq!(labels("fr-CA").lang, "fr");
    assert_eq!(labels("DE").lang, "de");
    assert_eq!(labels("es").lang, "en");
    assert_eq!(labels("").lang, "en");
    assert_eq!(labels("fr").notice, "Politique de confidentialité");
    assert_eq!(labels("de").notice, "Datenschutzerklärung");
}

#[test]
fn english_articles_of_the_legal_bases_are_the_models() {
    let all = [
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterests,
        LegalBasis::PublicTask,
        LegalBasis::LegitimateInterest,
        LegalBasis::ExplicitConsent,
    ];
    for basis in all {
        assert_eq!(NoticeLabels::EN.basis_article(basis), basis.article());
    }
}

/// A processor's notice says so, and a purpose it pursues for its customers
/// leaves the legal basis to them; a purpose of its own keeps its basis.
#[test]
fn a_processor_notice_names_its_role_and_leaves_the_customers_basis_to_them() {
    use assent_core::policy::notice::labels;
    use assent_core::policy::Role;
    let processor = policy("tests/policies/processor.toml");
    for lang in ["en", "fr", "de"] {
        let n = notice(&processor, lang);
        assert_eq!(n.role, Role::Processor);
        let service = n.purposes.iter().find(|p| p.id == "service").unwrap();
        assert!(service.for_customers && service.bases.is_empty(), "{lang}");
        let billing = n.purposes.iter().find(|p| p.id == "billing").unwrap();
        assert!(!billing.for_customers && billing.bases.len() == 1, "{lang}");
    }
    assert_eq!(labels("fr").role_heading(Role::Processor), "Sous-traitant");
    assert_eq!(
        labels("de").role_heading(Role::Both),
        "Verantwortlicher und Auftragsverarbeiter"
    );
    assert_eq!(
        labels("en").role_heading(Role::Controller),
        "Data controller"
    );
    // A controller's notice reads as before: no role, no purpose for customers.
    let n = pix2clip("en");
    assert_eq!(n.role, Role::Controller);
    assert!(n.purposes.iter().all(|p| !p.for_customers));
    let json = serde_json::to_value(&n).unwrap();
    assert!(json.get("role").is_none());
}

/// A processor's DPA annex states every commitment its policy makes, with the
/// labels of the reader's language; a controller has none.
#[test]
fn a_processor_dpa_annex_lists_its_commitments_in_the_readers_language() {
    use assent_core::policy::notice::dpa::annex;
    let processor = policy("tests/policies/processor.toml");
    let en = annex(&processor, "en").expect("an annex");
    assert_eq!(en.processor, "Example Analytics s.r.o.");
    assert_eq!(
        en.description.facts[0],
        (
            "Controller".to_owned(),
            "The business customer that signed the agreement".to_owned()
        )
    );
    let headings: Vec<&str> = en
        .commitments
        .1
        .iter()
        .map(|p| p.heading.as_str())
        .collect();
    assert_eq!(
        headings.len(),
        5,
        "breach, changes, assistance, audits, end: {headings:?}"
    );
    let breach = &en.commitments.1[0];
    assert_eq!(
        breach.facts,
        [
            (
                "The controller is told within".to_owned(),
                "48 hours".to_owned()
            ),
            (
                "How".to_owned(),
                "E-mail to the customer's account owner".to_owned()
            ),
        ]
    );
    assert_eq!(en.security.1.len(), 2);
    assert_eq!(en.subprocessors.1.len(), 2);
    assert_eq!(
        names(&en.data),
        [
            "Personal data in uploaded datasets",
            "IP addresses and device identifiers"
        ]
    );
    let fr = annex(&processor, "fr").unwrap();
    assert_eq!(fr.title, "Accord de traitement des données : annexe");
    assert_eq!(
        fr.commitments.1[4].facts[2],
        ("Restitution sur demande".to_owned(), "oui".to_owned())
    );
    assert!(annex(&policy("www/policies/pix2clip.toml"), "en").is_none());
}

/// Every right of Arts 15–22 can be offered, Art 22 included, and so can the
/// withdrawal of an explicit consent to special-category processing, each
/// named with its article in every language of the notice.
#[test]
fn the_automated_decisions_right_and_special_consent_withdrawal_are_rights() {
    let cases = [
        ("en", Right::AutomatedDecisions, "GDPR Art. 22"),
        ("fr", Right::AutomatedDecisions, "RGPD, art. 22"),
        ("de", Right::AutomatedDecisions, "Art. 22 DSGVO"),
        (
            "en",
            Right::WithdrawSpecialConsent,
            "GDPR Art. 7(3), 9(2)(a)",
        ),
        (
            "fr",
            Right::WithdrawSpecialConsent,
            "RGPD, art. 7(3) et 9(2)(a)",
        ),
        (
            "de",
            Right::WithdrawSpecialConsent,
            "Art. 7 Abs. 3, Art. 9 Abs. 2 lit. a DSGVO",
        ),
    ];
    for (lang, right, article) in cases {
        assert_eq!(labels(lang).right_article(right), article);
        assert!(!labels(lang).right_name(right).is_empty());
    }
    let mut policy = policy("tests/policies/minimal.toml");
    let json = serde_json::json!({"right": "automated-decisions", "how": ["contact"]});
    policy
        .rights
        .offered
        .push(serde_json::from_value(json).unwrap());
    let n = notice(&policy, "fr");
    let offered = n.rights.offered.last().unwrap();
    assert_eq!(
        offered.name,
        "ne pas faire l'objet d'une décision automatisée"
    );
}

/// Art 14(2)(f): where data not collected from the person comes from reaches
/// the notice, in the reader's language.
#[test]
fn the_source_of_data_not_collected_from_the_person_is_in_the_notice() {
    let mut policy = policy("www/policies/pix2clip.toml");
    let mut source = assent_core::policy::Text::default();
    source
        .0
        .insert("en".into(), "Public company registers".into());
    source
        .0
        .insert("fr".into(), "Registres publics des sociétés".into());
    policy.data[0].source = Some(source);
    assert_eq!(
        notice(&policy, "fr").data[0].source.as_deref(),
        Some("Registres publics des sociétés")
    );
    assert_eq!(notice(&policy, "fr").data[1].source, None);
    assert!(assent_core::policy::lint(&policy).is_empty());
}
