//! `cargo xtask policy …`: the policy file tools.
//!
//! - `policy lint [--previous OLD] FILE…`: parse and lint each file; print
//!   `file:line:column: rule-id: message`; exit non-zero on any finding.
//! - `policy schema`: write `docs/policy.schema.json` from the model.
//! - `policy config FILE [--earlier OLD]… [--lang L] [--records URL]
//!   [--reload-on-withdrawal] [--no-floating-button]`: print the page's `#assent-config` JSON for a
//!   policy, given its earlier revisions, with the loader's page options.

use std::fs;

use assent_core::policy::parse::{check, locate, parse, Syntax};
use assent_core::policy::{lint_revision, Policy};

use crate::root;

/// Runs a `policy` subcommand.
pub fn policy(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("lint") => lint_files(&args[1..]),
        Some("schema") => {
            let path = root().join("docs/policy.schema.json");
            fs::write(&path, schema()).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", path.display());
            Ok(())
        }
        Some("config") => config(&args[1..]),
        _ => Err("usage: cargo xtask policy lint [--previous OLD] FILE… | policy schema | policy config FILE [--earlier OLD]… [--lang L] [--records URL] [--reload-on-withdrawal] [--no-floating-button]".into()),
    }
}

/// A published earlier revision: read as it was written, not checked against
/// today's rules (a rule added since must not hide the history).
pub fn read_earlier(file: &str) -> Result<Policy, String> {
    let source = fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    parse(&source, Syntax::of_file(file)).map_err(|finding| finding.render(file))
}

/// Reads and checks one policy file; the error is its findings, one
/// `file:line:column: rule: message` per line.
pub fn read_policy(file: &str) -> Result<Policy, String> {
    let source = fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    check(&source, Syntax::of_file(file)).map_err(|findings| {
        findings
            .iter()
            .map(|f| f.render(file))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn config(args: &[String]) -> Result<(), String> {
    let mut file = None;
    let mut earlier = Vec::new();
    let mut lang = None;
    let mut records = None;
    let mut options = Vec::new();
    let mut rest = args;
    while let [first, tail @ ..] = rest {
        rest = tail;
        match (first.as_str(), rest) {
            ("--earlier", [old, tail @ ..]) => {
                earlier.push(read_earlier(old)?);
                rest = tail;
            }
            ("--lang", [l, tail @ ..]) => {
                lang = Some(l.clone());
                rest = tail;
            }
            ("--records", [url, tail @ ..]) => {
                records = Some(url.clone());
                rest = tail;
            }
            ("--reload-on-withdrawal", _) => options.push(("reload-on-withdrawal", true)),
            ("--no-floating-button", _) => options.push(("floating-button", false)),
            (f, _) if !f.starts_with("--") && file.is_none() => file = Some(f.to_owned()),
            (other, _) => return Err(format!("policy config: unexpected argument {other}")),
        }
    }
    let file = file.ok_or("policy config: name the policy file")?;
    let policy = read_policy(&file)?;
    let mut json = assent_core::policy::config::widget_config(&policy, &earlier, lang.as_deref());
    for (key, value) in options {
        json[key] = serde_json::Value::Bool(value);
    }
    if let Some(url) = records {
        json["records"] = serde_json::Value::String(url);
    }
    println!("{json}");
    Ok(())
}

/// The JSON Schema of the policy model, pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Policy);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

fn lint_files(args: &[String]) -> Result<(), String> {
    let (previous, files) = match args {
        [flag, old, rest @ ..] if flag == "--previous" => (Some(old.as_str()), rest),
        _ => (None, args),
    };
    if files.is_empty() {
        return Err("policy lint: name at least one file".into());
    }
    let previous = previous.map(read_earlier).transpose()?;
    let mut problems = 0;
    for path in files {
        let source = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let syntax = Syntax::of_file(path);
        let mut findings = match check(&source, syntax) {
            Ok(_) => Vec::new(),
            Err(findings) => findings,
        };
        if let (Some(old), Ok(new)) = (&previous, parse(&source, syntax)) {
            findings.extend(lint_revision(old, &new));
        }
        locate(&source, syntax, &mut findings);
        for f in &findings {
            println!("{}", f.render(path));
        }
        if findings.is_empty() {
            println!("{path}: ok");
        }
        problems += findings.len();
    }
    if problems == 0 {
        Ok(())
    } else {
        Err(format!("policy lint: {problems} problem(s)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is the one the model generates (`cargo xtask policy schema`).
    #[test]
    fn committed_schema_matches_the_model() {
        let committed =
            fs::read_to_string(root().join("docs/policy.schema.json")).unwrap_or_default();
        assert!(
            committed == schema(),
            "docs/policy.schema.json is stale: run `cargo xtask policy schema`"
        );
    }

    #[test]
    fn lint_fails_on_a_fixture_and_passes_the_minimal_policy() {
        let dir = root().join("tests/policies");
        let ok = dir.join("minimal.toml").to_string_lossy().into_owned();
        assert!(lint_files(std::slice::from_ref(&ok)).is_ok());
        let bad = dir
            .join("lint/consent-on-by-default.toml")
            .to_string_lossy()
            .into_owned();
        assert!(lint_files(&[bad]).is_err());
        let next = dir
            .join("lint/revision-not-increased.toml")
            .to_string_lossy()
            .into_owned();
        let old = dir
            .join("lint/revision-not-increased.previous.toml")
            .to_string_lossy()
            .into_owned();
        assert!(lint_files(std::slice::from_ref(&next)).is_ok());
        assert!(lint_files(&["--previous".into(), old, next]).is_err());
    }
}
