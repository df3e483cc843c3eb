//! Sub-processor changes between revisions (GDPR Art 28(2)): the example
//! processor adds Payments Ltd in revision 2, announced 30 days ahead as its
//! terms promise; announced later, the new revision is a lint finding.

use std::fs;
use std::path::Path as FsPath;

use assent_core::policy::changes::{subprocessor_changes, ChangeKind, SubprocessorChange};
use assent_core::policy::parse::{parse, Syntax};
use assent_core::policy::{lint_revision, Policy};

fn load(path: &str) -> Policy {
    let file = FsPath::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    parse(&fs::read_to_string(file).unwrap(), Syntax::Toml).unwrap()
}

#[test]
fn an_added_subprocessor_is_announced_takes_effect_and_can_be_objected_to() {
    let current = load("tests/policies/processor.toml");
    let earlier = [load("tests/policies/history/processor.1.toml")];
    assert_eq!(
        subprocessor_changes(&current, &earlier),
        [SubprocessorChange {
            revision: 2,
            kind: ChangeKind::Added,
            name: "Payments Ltd".into(),
            countries: vec!["GB".into()],
            announced: Some("2026-02-01".into()),
            effective: "2026-03-03".into(),
            // The 14-day objection window from the announcement.
            objection_deadline: Some("2026-02-15".into()),
        }]
    );
    assert!(
        lint_revision(&earlier[0], &current).is_empty(),
        "30 days of notice, as promised"
    );
    assert!(
        subprocessor_changes(&earlier[0], &[]).is_empty(),
        "no history, no change"
    );
}

#[test]
fn removals_and_moves_are_changes_and_too_little_notice_is_a_finding() {
    let earlier = load("tests/policies/history/processor.1.toml");
    let mut next = load("tests/policies/processor.toml");
    next.subprocessors.retain(|s| s.name == "Payments Ltd");
    next.subprocessors[0].name = "Hoster GmbH".into();
    next.subprocessors[0].country = String::from("GB").into();
    let kinds: Vec<(ChangeKind, String)> =
        subprocessor_changes(&next, std::slice::from_ref(&earlier))
            .into_iter()
            .map(|c| (c.kind, c.name))
            .collect();
    assert_eq!(kinds, [(ChangeKind::Changed, "Hoster GmbH".to_owned())]);

    let mut late = load("tests/policies/processor.toml");
    late.announced = Some("2026-02-20".into());
    let findings = lint_revision(&earlier, &late);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule, "subprocessor-notice-too-short");
    assert!(
        findings[0].message.contains("2026-03-22"),
        "{}",
        findings[0].message
    );
    late.announced = None;
    assert!(lint_revision(&earlier, &late)[0]
        .message
        .contains("announced"));
}
