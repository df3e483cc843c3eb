//! Policy tests from fixture files: every lint rule fires on its fixture under
//! `tests/policies/lint/` and on no seed policy in `www/policies/`; the hash is
//! stable across key order and whitespace; the diff reports what changed.

use std::fs;
use std::path::{Path as FsPath, PathBuf};

use assent_core::policy::hash::{canonical_json, content_hash};
use assent_core::policy::parse::{check, parse, Syntax};
use assent_core::policy::{diff, lint, lint_revision, Finding, Policy, RULES};

fn repo() -> PathBuf {
    FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(path: &str) -> Policy {
    parse(&read(path), Syntax::of_file(path)).unwrap_or_else(|f| panic!("{}", f.render(path)))
}

/// The findings for a fixture, placed in the file.
fn findings(path: &str) -> Vec<Finding> {
    match check(&read(path), Syntax::Toml) {
        Ok(_) => Vec::new(),
        Err(found) => found,
    }
}

fn source_line(path: &str, line: usize) -> String {
    read(path).lines().nth(line - 1).unwrap().trim().to_owned()
}

#[test]
fn every_rule_fires_on_its_fixture_with_a_position() {
    for (rule, _) in RULES {
        let path = format!("tests/policies/lint/{rule}.toml");
        // A rule between revisions has the earlier one beside its fixture.
        let previous = format!("tests/policies/lint/{rule}.previous.toml");
        let between = repo().join(&previous).exists();
        let found = if between {
            lint_revision(&load(&previous), &load(&path))
        } else {
            findings(&path)
        };
        let hit = found
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{rule} did not fire on {path}: {found:?}"));
        if !between {
            let (line, column) = hit
                .position
                .unwrap_or_else(|| panic!("{rule}: no position"));
            assert!(line > 1 && column >= 1, "{}", hit.render(&path));
        }
        // One mistake per fixture: no other rule fires.
        assert!(
            found.iter().all(|f| f.rule == rule),
            "{path}: {:?}",
            found.iter().map(|f| f.render(&path)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn findings_point_at_the_offending_line() {
    let at = |path: &str| {
        let found = findings(path);
        let line = found[0].position.expect("a position").0;
        (found[0].clone(), source_line(path, line))
    };
    let (_, line) = at("tests/policies/lint/syntax.toml");
    assert_eq!(line, "revision = \"one\"");
    let (finding, line) = at("tests/policies/lint/unknown-field.toml");
    assert_eq!(line, "revison = 1");
    assert!(
        finding.message.contains("did you mean `revision`"),
        "{finding:?}"
    );
    let (_, line) = at("tests/policies/lint/consent-on-by-default.toml");
    assert_eq!(line, "on-by-default = true");
    let (_, line) = at("tests/policies/lint/non-essential-as-necessary.toml");
    assert_eq!(line, "kind = \"advertising\"");
}

fn seed_policies() -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(repo().join("www/policies"))
        .unwrap()
        .flatten()
        .map(|e| format!("www/policies/{}", e.file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".toml") || p.ends_with(".json"))
        .collect();
    out.sort();
    out
}

#[test]
fn seed_policies_and_the_examples_lint_clean() {
    let mut files = seed_policies();
    assert!(
        files.iter().any(|f| f.ends_with("pix2clip.toml")),
        "{files:?}"
    );
    files.push("tests/policies/minimal.toml".to_owned());
    files.push("tests/policies/processor.toml".to_owned());
    // A processor's policy a new user wrote from docs/policy.md alone.
    files.push("tests/policies/from-docs/mailvej.toml".to_owned());
    for path in files {
        let found = lint(&load(&path));
        assert!(
            found.is_empty(),
            "{}",
            found
                .iter()
                .map(|f| f.render(&path))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn hash_is_stable_across_key_order_whitespace_and_syntax() {
    let original = read("tests/policies/minimal.toml");
    let a = parse(&original, Syntax::Toml).unwrap();
    let reordered = original
        .replacen(
            "revision = 1\neffective = \"2026-01-01\"",
            "effective = \"2026-01-01\"\n\n\nrevision = 1",
            1,
        )
        .replace(
            "dpo = { appointed = false, email = \"privacy@example.com\" }",
            "dpo = {    email = \"privacy@example.com\",appointed=false }",
        );
    assert_ne!(reordered, original);
    let b = parse(&reordered, Syntax::Toml).unwrap();
    assert_eq!(content_hash(&a), content_hash(&b));
    let c = parse(&canonical_json(&a), Syntax::Json).unwrap();
    assert_eq!(
        content_hash(&a),
        content_hash(&c),
        "the JSON form hashes the same"
    );
    assert!(content_hash(&a).starts_with("sha256:"));
    assert_eq!(content_hash(&a).len(), "sha256:".len() + 64);

    let mut changed = a.clone();
    changed.purposes[0].data.push("usage".into());
    assert_ne!(content_hash(&a), content_hash(&changed));
}

#[test]
fn diff_reports_a_new_subprocessor_and_a_new_consent_purpose() {
    let old = load("tests/policies/minimal.toml");
    let mut new = old.clone();
    new.revision = 2;
    let mut ads = new.purposes[1].clone();
    ads.id = "ads".into();
    new.purposes.push(ads);
    let mut ai = new.subprocessors[0].clone();
    ai.name = "MiniMax".into();
    ai.country = String::from("CN").into();
    new.subprocessors.push(ai);
    let d = diff(&old, &new);
    assert_eq!(d.added_consent_purposes, vec!["ads".to_owned()]);
    assert_eq!(d.added_subprocessors, vec!["MiniMax".to_owned()]);
    assert!(d.is_material());
}

#[test]
fn cosmetic_changes_are_not_material() {
    let old = load("tests/policies/minimal.toml");
    let reworded = load("tests/policies/lint/revision-not-increased.toml");
    let d = diff(&old, &reworded);
    assert!(d.any_change);
    assert!(!d.is_material(), "{d:?}");
    let mut moved = old.clone();
    moved.subprocessors[0].country = String::from("US").into();
    let d = diff(&old, &moved);
    assert_eq!(d.changed_transfers, vec!["Hoster GmbH".to_owned()]);
    assert!(d.is_material());
}

#[test]
fn a_revision_bump_silences_revision_not_increased() {
    let old = load("tests/policies/minimal.toml");
    let mut new = load("tests/policies/lint/revision-not-increased.toml");
    assert!(!lint_revision(&old, &new).is_empty());
    new.revision = 2;
    assert!(lint_revision(&old, &new).is_empty());
    assert!(
        lint_revision(&old, &old).is_empty(),
        "an unchanged policy may keep its revision"
    );
}

#[test]
fn cnil_consent_lifetime_over_thirteen_months_is_a_bad_value() {
    let mut p = load("tests/policies/minimal.toml");
    let at_lifetime = |p: &Policy| {
        lint(p)
            .into_iter()
            .filter(|f| f.rule == "bad-value" && f.path.to_string().contains("consent-lifetime"))
            .count()
    };
    for ok in ["6 months", "13 months", "30 days"] {
        p.consent_lifetime = Some(ok.into());
        assert_eq!(at_lifetime(&p), 0, "{ok}");
    }
    for bad in ["14 months", "2 years", "forever", "0 days"] {
        p.consent_lifetime = Some(bad.into());
        assert_eq!(at_lifetime(&p), 1, "{bad}");
    }
}

#[test]
fn consent_revision_moves_only_on_material_changes() {
    use assent_core::policy::config::{consent_revision, widget_config};
    let r1 = load("tests/policies/minimal.toml");
    let mut cosmetic = load("tests/policies/lint/revision-not-increased.toml");
    cosmetic.revision = 2;
    assert_eq!(consent_revision(&cosmetic, std::slice::from_ref(&r1)).0, 1);
    let mut material = cosmetic.clone();
    material.revision = 3;
    let mut ai = material.subprocessors[0].clone();
    ai.name = "MiniMax".into();
    ai.country = String::from("CN").into();
    material.subprocessors.push(ai);
    let history = [r1.clone(), cosmetic.clone()];
    let (consent, change) = consent_revision(&material, &history);
    assert_eq!(consent, 3);
    let (since, d) = change.expect("the material change");
    assert_eq!(
        (since, d.added_subprocessors),
        (2, vec!["MiniMax".to_owned()])
    );
    // A later cosmetic revision keeps decisions given under revision 3.
    let mut r4 = material.clone();
    r4.revision = 4;
    r4.effective = "2027-01-01".into();
    assert_eq!(
        consent_revision(&r4, &[r1.clone(), cosmetic.clone(), material.clone()]).0,
        3
    );
    // Without the previous revision Assent cannot tell: it asks again.
    assert_eq!(consent_revision(&cosmetic, &[]).0, 2);
    // The page configuration carries the rules and what changed.
    let config = widget_config(&material, &history, Some("en"));
    assert_eq!(config["revision"], 3);
    assert_eq!(config["consent-revision"], 3);
    assert_eq!(config["lang"], "en");
    assert_eq!(config["changes"]["since"], 2);
    assert_eq!(config["changes"]["recipients"][0]["name"], "MiniMax");
    assert_eq!(config["changes"]["recipients"][0]["country"], "CN");
    assert!(widget_config(&cosmetic, &[r1], None)
        .get("changes")
        .is_none());
}

/// The page configuration has one typed model: what the build writes for
/// every policy of the repository reads back into it unchanged, page options
/// included, so no field is written that the model does not know.
#[test]
fn every_page_configuration_reads_back_into_its_model() {
    use assent_core::policy::config::{page_config, widget_config};
    use assent_core::policy::page::PageConfig;
    let r1 = load("tests/e2e/fixtures/policies/shop.toml");
    let r3 = load("tests/e2e/fixtures/policies/shop-r3-material.toml");
    let cases = [
        (load("www/policies/pix2clip.toml"), vec![], None),
        (load("www/policies/quantixai.toml"), vec![], Some("de")),
        (r3, vec![r1], Some("fr")),
    ];
    for (policy, earlier, lang) in cases {
        let typed = page_config(&policy, &earlier, lang);
        let json = widget_config(&policy, &earlier, lang);
        let read: PageConfig = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(read, typed, "{}", policy.id);
        assert_eq!(serde_json::to_value(&read).unwrap(), json, "{}", policy.id);
    }
    let mut with_options = page_config(&load("www/policies/pix2clip.toml"), &[], None);
    with_options.records = Some("/api/v1/consent-records".into());
    with_options.account = Some("acct-demo".into());
    with_options.floating_button = Some(false);
    with_options.reload_on_withdrawal = Some(true);
    let json = serde_json::to_value(&with_options).unwrap();
    assert_eq!(json["floating-button"], false);
    assert_eq!(json["reload-on-withdrawal"], true);
    assert_eq!(
        serde_json::from_value::<PageConfig>(json).unwrap(),
        with_options
    );
}

/// A category whose policy names no Consent Mode types keeps the loader's
/// default mapping: its configuration has no `consent-mode` (an empty list
/// would map it to no type at all), and a cookie without a domain or path has
/// neither key.
#[test]
fn the_page_configuration_leaves_out_what_the_policy_does_not_say() {
    use assent_core::policy::config::widget_config;
    let mut policy = load("www/policies/pix2clip.toml");
    let analytics = policy
        .categories
        .iter_mut()
        .find(|c| c.id == assent_core::Category::Analytics)
        .expect("analytics");
    analytics.consent_mode.clear();
    let config = widget_config(&policy, &[], None);
    for c in config["categories"].as_array().expect("categories") {
        let mode = c.get("consent-mode");
        if c["id"] == "analytics" {
            assert_eq!(mode, None);
        } else {
            assert!(
                mode.and_then(|m| m.as_array())
                    .is_some_and(|m| !m.is_empty()),
                "{}",
                c["id"]
            );
        }
        for s in c["services"].as_array().expect("services") {
            for k in s["cookies"].as_array().expect("cookies") {
                assert!(k.get("domain").is_none_or(|d| d.is_string()), "{k}");
                assert!(k.get("path").is_none_or(|p| p.is_string()), "{k}");
            }
        }
    }
}

/// A configuration written by hand may leave out any field and write a text
/// as one string for every language; unknown fields are ignored.
#[test]
fn a_partial_hand_written_page_configuration_reads_with_the_defaults() {
    use assent_core::policy::page::PageConfig;
    use assent_core::policy::LegalBasis;
    use assent_core::{Category, Rules};
    let json = serde_json::json!({
        "revision": 3,
        "lang": "fr",
        "policy-file": "an unknown field",
        "categories": [
            {"id": "necessary", "name": "Essentiels"},
            {"id": "analytics", "basis": "consent", "services": [{"id": "matomo", "purpose": {"fr": "Statistiques"}}]}
        ],
        "changes": {"purposes": ["Nouvelle mesure"], "recipients": [{"name": "Matomo"}]}
    });
    let model: PageConfig = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(model.revision, 3);
    assert_eq!(model.consent_revision, Rules::default().consent_revision);
    assert_eq!(model.lifetime_days, Rules::default().lifetime_days);
    assert!(model.languages.is_empty() && model.hash.is_empty());
    assert_eq!(model.categories[0].name.get("fr", "en"), "Essentiels");
    assert_eq!(model.categories[0].basis, None);
    assert_eq!(model.categories[1].basis, Some(LegalBasis::Consent));
    assert_eq!(model.categories[1].services[0].provider, "");
    assert_eq!(model.categories[0].id, Category::Necessary);
    assert_eq!(model.categories[0].name.0[""], "Essentiels");
    let changes = model.changes.unwrap();
    assert_eq!(changes.purposes[0].get("fr", "en"), "Nouvelle mesure");
    assert_eq!(changes.recipients[0].country, "");
    assert_eq!(
        serde_json::from_value::<PageConfig>(serde_json::json!({})).unwrap(),
        PageConfig::default()
    );
}

/// What cannot be read is an error: the
/// widget then warns and uses its defaults (e2e `robustness.test.mjs`).
#[test]
fn a_broken_page_configuration_does_not_read() {
    use assent_core::policy::page::PageConfig;
    for json in [
        r#"{"categories": 3}"#,
        r#"{"categories": [{"id": "ads"}]}"#,
        r#"{"categories": [{"name": "no id"}]}"#,
        r#"{"revision": -1}"#,
        r#"{"revision": "2"}"#,
        r#"{"categories": [{"id": "analytics", "name": 7}]}"#,
        r#""a string""#,
    ] {
        assert!(serde_json::from_str::<PageConfig>(json).is_err(), "{json}");
    }
}

#[test]
fn the_page_configuration_carries_what_a_consent_record_names() {
    use assent_core::policy::config::{texts_hash, widget_config};
    use assent_core::policy::hash::content_hash;
    let policy = load("www/policies/pix2clip.toml");
    let config = widget_config(&policy, &[], None);
    assert_eq!(config["hash"], content_hash(&policy));
    assert_eq!(config["controller"]["name"], "QR Communication");
    assert_eq!(
        config["controller"]["contact"],
        "contact@qrcommunication.com"
    );
    assert_eq!(config["jurisdiction"], "FR");
    assert_eq!(config["widget-version"], env!("CARGO_PKG_VERSION"));
    // One texts hash per language the page can show (Pix2Clip: en, fr).
    let texts = config["texts"].as_object().expect("texts");
    assert_eq!(texts.keys().collect::<Vec<_>>(), ["en", "fr"]);
    assert_eq!(texts["fr"], texts_hash(&policy, "fr"));
    assert_ne!(texts["en"], texts["fr"]);
    // Every category names its legal basis: consent for optional storage.
    for c in config["categories"].as_array().expect("categories") {
        let expected = if c["id"] == "necessary" {
            "legitimate-interest"
        } else {
            "consent"
        };
        assert_eq!(c["basis"], expected, "{}", c["id"]);
    }
    // Without a country the jurisdiction is the EU's.
    let mut elsewhere = policy.clone();
    elsewhere.controller.country = None;
    assert_eq!(widget_config(&elsewhere, &[], None)["jurisdiction"], "EU");
}

#[test]
fn the_texts_hash_changes_with_any_word_shown_and_only_then() {
    use assent_core::policy::config::texts_hash;
    let policy = load("www/policies/pix2clip.toml");
    let fr = texts_hash(&policy, "fr");
    assert!(fr.starts_with("sha256:") && fr.len() == 71, "{fr}");
    // `fr-CA` shows the French UI: the same words, the same hash.
    assert_eq!(texts_hash(&policy, "fr-CA"), fr);
    // A category description in French changes the French hash only.
    let mut edited = policy.clone();
    let c = edited
        .categories
        .iter_mut()
        .find(|c| c.id.key() == "analytics")
        .expect("analytics");
    c.description
        .0
        .insert("fr".into(), "Autre description".into());
    assert_ne!(texts_hash(&edited, "fr"), fr);
    assert_eq!(texts_hash(&edited, "en"), texts_hash(&policy, "en"));
    // A change elsewhere in the policy (not shown in the consent UI) does not.
    let mut other = policy.clone();
    other.controller.address = "Ailleurs".into();
    assert_eq!(texts_hash(&other, "fr"), fr);
}

/// A processor's purposes are its customers' unless one says otherwise; a
/// controller's are its own; the role of a policy without one is controller,
/// and a policy that names none hashes as before roles existed.
#[test]
fn a_purpose_is_pursued_in_the_role_the_policy_gives_it() {
    use assent_core::policy::{PurposeRole, Role};
    let processor = load("tests/policies/processor.toml");
    assert_eq!(processor.role, Role::Processor);
    let roles: Vec<(&str, PurposeRole)> = processor
        .purposes
        .iter()
        .map(|p| (p.id.as_str(), p.role_in(&processor)))
        .collect();
    assert_eq!(
        roles,
        [
            ("service", PurposeRole::Processor),
            ("billing", PurposeRole::Controller)
        ]
    );
    let terms = processor.processor.as_ref().expect("[processor]");
    assert_eq!(
        terms.breach_notification.within.as_deref(),
        Some("48 hours")
    );
    assert_eq!(
        terms.subprocessor_changes.objection_window.as_deref(),
        Some("14 days")
    );
    assert!(terms.end_of_contract.return_offered && terms.end_of_contract.certificate);
    let controller = load("www/policies/pix2clip.toml");
    assert_eq!(controller.role, Role::Controller);
    assert!(controller
        .purposes
        .iter()
        .all(|p| p.role_in(&controller) == PurposeRole::Controller));
    let json = serde_json::to_value(&controller).unwrap();
    assert!(json.get("role").is_none() && json.get("processor").is_none());
    assert!(json["purposes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p.get("role").is_none()));
}
