//! A lint finding: a stable rule id, a message, and where in the file.

use std::fmt;

/// One step of a path into the policy (`purposes[2].basis`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path into the policy, from the root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// The root.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// This path followed by `key`.
    pub fn key(&self, key: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_owned()));
        p
    }

    /// This path followed by `[index]`.
    pub fn index(&self, index: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Segment::Index(index));
        p
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A problem found in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id (see [`crate::policy::RULES`]).
    pub rule: &'static str,
    /// What is wrong, for the author.
    pub message: String,
    /// Where, as a path into the policy.
    pub path: Path,
    /// 1-based line and column in the source, when known.
    pub position: Option<(usize, usize)>,
}

impl Finding {
    /// A finding at `path`, position not yet known.
    pub fn new(rule: &'static str, path: Path, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            message: message.into(),
            path,
            position: None,
        }
    }

    /// `file:line:column: rule: message (at path)`, the form the CLI prints;
    /// `file: rule: …` when the position is unknown (JSON sources), rather than
    /// a made-up line.
    pub fn render(&self, file: &str) -> String {
        let place = match self.position {
            Some((line, column)) => format!("{file}:{line}:{column}"),
            None => file.to_owned(),
        };
        let at = if self.path.0.is_empty() {
            String::new()
        } else {
            format!(" (at {})", self.path)
        };
        format!("{place}: {}: {}{at}", self.rule, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_position_only_when_known() {
        let at = Path::root().key("subprocessors").index(0).key("country");
        let mut f = Finding::new("bad-value", at, "x");
        assert_eq!(
            f.render("a.json"),
            "a.json: bad-value: x (at subprocessors[0].country)"
        );
        f.position = Some((7, 3));
        assert_eq!(
            f.render("a.toml"),
            "a.toml:7:3: bad-value: x (at subprocessors[0].country)"
        );
    }
}
