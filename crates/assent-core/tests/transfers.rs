//! The transfer rules over recipients that process in several countries under
//! several safeguards (GDPR Chapter V): every country outside the EEA without
//! an adequacy decision is covered by a safeguard that is not a contingency,
//! and no safeguard is named where nothing needs one.

use std::fs;
use std::path::Path as FsPath;

use assent_core::policy::parse::{parse, Syntax};
use assent_core::policy::{labels, lint, notice, Policy, RecipientKind};

fn minimal() -> Policy {
    let path = FsPath::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/policies/minimal.toml");
    parse(&fs::read_to_string(path).unwrap(), Syntax::Toml).unwrap()
}

/// The transfer findings for the minimal policy with its first recipient's
/// `country` and `transfer` replaced by these TOML values.
fn transfer_rules(country: &str, transfer: &str) -> Vec<&'static str> {
    let recipient: toml::Value = toml::from_str(&format!(
        "name = \"Cloud\"\nrole.en = \"Hosting\"\ncountry = {country}\n{transfer}"
    ))
    .unwrap();
    let mut policy = minimal();
    policy.subprocessors[0] = recipient.try_into().unwrap();
    lint(&policy)
        .into_iter()
        .map(|f| f.rule)
        .filter(|rule| rule.starts_with("transfer"))
        .collect()
}

#[test]
fn every_country_outside_the_eea_needs_a_safeguard_of_its_own() {
    let none: [&str; 0] = [];
    let cases = [
        // Several countries in the EEA or adequate: nothing needed.
        (r#"["DE", "IE"]"#, "", none.as_slice()),
        (
            r#"["DE", "GB"]"#,
            r#"transfer = { mechanism = "adequacy" }"#,
            &[],
        ),
        // The US beside Ireland: the DPF covers the US.
        (
            r#"["US", "IE"]"#,
            r#"transfer = { mechanism = "dpf" }"#,
            &[],
        ),
        // DPF and SCCs at once, one kept as a contingency.
        (
            r#"["US", "IE"]"#,
            r#"transfer = [{ mechanism = "dpf" }, { mechanism = "scc", module = 2, contingency = true }]"#,
            &[],
        ),
        // Two SCC modules.
        (
            r#""CN""#,
            r#"transfer = [{ mechanism = "scc", module = 2 }, { mechanism = "scc", module = 3 }]"#,
            &[],
        ),
        // The module not stated by the source is accepted, and said so.
        (
            r#""CN""#,
            r#"transfer = { mechanism = "scc", module = "not-stated" }"#,
            &[],
        ),
        // The DPF does not cover India; a contingency covers nothing.
        (
            r#"["US", "IN"]"#,
            r#"transfer = { mechanism = "dpf" }"#,
            &["transfer-without-mechanism"],
        ),
        (
            r#""CN""#,
            r#"transfer = { mechanism = "scc", module = 2, contingency = true }"#,
            &["transfer-without-mechanism"],
        ),
        // A module that does not exist.
        (
            r#""CN""#,
            r#"transfer = { mechanism = "scc", module = 7 }"#,
            &["transfer-without-mechanism", "transfer-without-mechanism"],
        ),
        // SCCs for recipients that need none, unless a contingency.
        (
            r#"["DE", "GB"]"#,
            r#"transfer = { mechanism = "scc", module = 2 }"#,
            &["transfer-mechanism-unneeded"],
        ),
        (
            r#"["DE", "GB"]"#,
            r#"transfer = { mechanism = "scc", module = 2, contingency = true }"#,
            &[],
        ),
    ];
    for (country, transfer, expected) in cases {
        assert_eq!(
            transfer_rules(country, transfer),
            expected,
            "country = {country}, {transfer}"
        );
    }
}

/// The minimal policy with these `[[recipients]]` appended.
fn with_recipients(toml_text: &str) -> Policy {
    #[derive(serde::Deserialize)]
    struct Recipients {
        recipients: Vec<assent_core::policy::Recipient>,
    }
    let mut policy = minimal();
    let parsed: Recipients = toml::from_str(toml_text).unwrap();
    policy.recipients = parsed.recipients;
    policy
}

const JOINT: &str = r#"
[[recipients]]
name = "Partner SAS"
kind = "joint-controller"
role.en = "Co-organises the events you register for"
country = "FR"
data = ["identification"]
arrangement.en = "Partner SAS answers requests about the events; we answer the others"
notice-url = "https://partner.example/privacy"

[[recipients.onward]]
to.en = "its US parent company"
country = "US"
transfer = { mechanism = "dpf" }
"#;

#[test]
fn joint_controllers_and_onward_transfers_reach_the_notice() {
    let policy = with_recipients(JOINT);
    let transfer_findings: Vec<_> = lint(&policy)
        .into_iter()
        .filter(|f| f.rule.starts_with("transfer") || f.rule == "unknown-reference")
        .collect();
    assert!(transfer_findings.is_empty(), "{transfer_findings:?}");
    let n = notice(&policy, "fr");
    let [partner] = n.recipients.as_slice() else {
        panic!("one recipient: {:?}", n.recipients)
    };
    assert_eq!(partner.kind, RecipientKind::JointController);
    assert_eq!(
        partner.kind_name,
        "Responsable conjoint du traitement (RGPD, art. 26)"
    );
    assert_eq!(
        partner.arrangement.as_deref(),
        Some("Partner SAS answers requests about the events; we answer the others")
    );
    let words = labels("fr");
    assert_eq!(
        partner.safeguards(words),
        "EEE. Transferts ultérieurs\u{a0}: its US parent company (US)\u{a0}: \
         cadre de protection des données UE–États-Unis (Data Privacy Framework)"
    );
}

#[test]
fn an_onward_transfer_needs_its_own_safeguard() {
    let policy = with_recipients(&JOINT.replace(
        "country = \"US\"\ntransfer = { mechanism = \"dpf\" }",
        "country = \"IN\"",
    ));
    let found: Vec<String> = lint(&policy)
        .into_iter()
        .filter(|f| f.rule == "transfer-without-mechanism")
        .map(|f| f.path.to_string())
        .collect();
    assert_eq!(found, ["recipients[0].onward[0].transfer"]);
}
