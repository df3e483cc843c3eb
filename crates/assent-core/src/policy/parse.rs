//! Reading a policy file: TOML (for people) or JSON (for the script tag), with
//! every problem as a [`Finding`] at a 1-based line and column.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::finding::{Finding, Path, Segment};
use super::lint::lint;
use super::model::Policy;

/// The syntax of a policy file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Syntax {
    /// The syntax a file name implies (`.json` is JSON, anything else TOML).
    pub fn of_file(name: &str) -> Syntax {
        if name.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    }
}

/// Parses `source`; on failure, the syntax or unknown-field finding.
pub fn parse(source: &str, syntax: Syntax) -> Result<Policy, Finding> {
    match syntax {
        Syntax::Toml => toml::from_str(source).map_err(|e| {
            let position = e.span().map(|s| line_column(source, s.start));
            classify(e.message(), position)
        }),
        Syntax::Json => serde_json::from_str(source).map_err(|e| {
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_owned();
            classify(&message, Some((e.line().max(1), e.column().max(1))))
        }),
    }
}

/// Parses and lints `source`, placing every finding in the file.
pub fn check(source: &str, syntax: Syntax) -> Result<Policy, Vec<Finding>> {
    let policy = parse(source, syntax).map_err(|f| vec![f])?;
    let mut findings = lint(&policy);
    if findings.is_empty() {
        return Ok(policy);
    }
    locate(source, syntax, &mut findings);
    Err(findings)
}

/// Fills in the line and column of each finding from its path (TOML only; JSON
/// findings keep their path).
pub fn locate(source: &str, syntax: Syntax, findings: &mut [Finding]) {
    if syntax != Syntax::Toml {
        return;
    }
    let Ok(root) = DeTable::parse(source) else {
        return;
    };
    for f in findings.iter_mut().filter(|f| f.position.is_none()) {
        if let Some(offset) = offset_of(root.get_ref(), &f.path) {
            f.position = Some(line_column(source, offset));
        }
    }
}

/// Byte offset of the deepest part of `path` found in the TOML tree.
fn offset_of(root: &DeTable<'_>, path: &Path) -> Option<usize> {
    let mut current: Option<&DeValue<'_>> = None; // None: the root table
    let mut best = None;
    for segment in &path.0 {
        let found = match (segment, current) {
            (Segment::Key(k), None) => find_key(root, k),
            (Segment::Key(k), Some(DeValue::Table(t))) => find_key(t, k),
            (Segment::Index(i), Some(DeValue::Array(items))) => {
                items.get(*i).map(|v| (v.span().start, v))
            }
            _ => None,
        };
        let Some((start, value)) = found else { break };
        best = Some(start);
        current = Some(value.get_ref());
    }
    best
}

fn find_key<'a, 'i>(
    table: &'a DeTable<'i>,
    key: &str,
) -> Option<(usize, &'a Spanned<DeValue<'i>>)> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(k, v)| (k.span().start, v))
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Turns a deserializer message into a finding, with a "did you mean" hint for
/// unknown fields.
fn classify(message: &str, position: Option<(usize, usize)>) -> Finding {
    let message = message.trim();
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return Finding {
            rule: "syntax",
            message: message.to_owned(),
            path: Path::root(),
            position,
        };
    };
    let field = rest.split('`').next().unwrap_or("");
    let expected: Vec<&str> = rest
        .split_once("expected")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let hint = expected
        .iter()
        .map(|e| (edit_distance(field, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 3))
        .min()
        .map(|(_, e)| format!("; did you mean `{e}`?"))
        .unwrap_or_default();
    Finding {
        rule: "unknown-field",
        message: format!("unknown field `{field}`{hint}"),
        path: Path::root(),
        position,
    }
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let s = "a = 1\nbb = 2\n";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 6), (2, 1));
        assert_eq!(line_column(s, 8), (2, 3));
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("revison", "revision"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn unknown_fields_get_a_hint() {
        let f = classify(
            "unknown field `revison`, expected one of `format`, `id`, `revision`",
            Some((3, 1)),
        );
        assert_eq!(f.rule, "unknown-field");
        assert_eq!(
            f.message,
            "unknown field `revison`; did you mean `revision`?"
        );
        assert_eq!(f.position, Some((3, 1)));
        let f = classify("unknown field `zzz`, expected `format` or `id`", None);
        assert_eq!(f.message, "unknown field `zzz`");
    }
}
