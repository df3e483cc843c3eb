//! The policies the ledger knows: every `*.toml` and `*.json` file in the
//! policies directory and its `history/` subdirectory, read with core's policy
//! parser and indexed by id, revision and content hash
//! (`assent_core::policy::hash::content_hash`). A record names the policy the
//! user saw; one that names no loaded policy is refused (`unknown-policy`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assent_core::policy::hash::content_hash;
use assent_core::policy::parse::{parse, Syntax};
use assent_core::policy::Policy;
use assent_core::record::PolicyRef;

/// The loaded policies, by id, then revision, then content hash.
#[derive(Debug, Default)]
pub struct Policies {
    known: BTreeMap<String, BTreeMap<u32, BTreeSet<String>>>,
    files: usize,
}

/// A policy file that was read, or why it was skipped.
#[derive(Debug)]
pub enum Loaded {
    /// Read: its id, revision and hash.
    Policy {
        /// The file.
        file: PathBuf,
        /// The policy reference records name.
        reference: PolicyRef,
    },
    /// Skipped, with the reason (unreadable, or not a policy).
    Skipped {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
}

impl Policies {
    /// Reads every policy file of `dir` and `dir/history`. The directory
    /// itself must be readable; a file that does not parse is reported as
    /// [`Loaded::Skipped`], never fatal.
    pub fn load(dir: &Path) -> Result<(Policies, Vec<Loaded>), String> {
        let mut files = policy_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let history = dir.join("history");
        if history.is_dir() {
            files
                .extend(policy_files(&history).map_err(|e| format!("{}: {e}", history.display()))?);
        }
        let mut policies = Policies::default();
        let mut report = Vec::new();
        for file in files {
            match read(&file) {
                Ok(policy) => {
                    let reference = policies.insert(&policy);
                    report.push(Loaded::Policy { file, reference });
                }
                Err(reason) => report.push(Loaded::Skipped { file, reason }),
            }
        }
        Ok((policies, report))
    }

    /// Adds `policy`; returns the reference records name it by.
    pub fn insert(&mut self, policy: &Policy) -> PolicyRef {
        let hash = content_hash(policy);
        self.known
            .entry(policy.id.clone())
            .or_default()
            .entry(policy.revision)
            .or_default()
            .insert(hash.clone());
        self.files += 1;
        PolicyRef {
            id: policy.id.clone(),
            revision: policy.revision,
            hash,
        }
    }

    /// How many policy files were loaded.
    pub fn len(&self) -> usize {
        self.files
    }

    /// Whether no policy was loaded.
    pub fn is_empty(&self) -> bool {
        self.files == 0
    }

    /// `Ok` when `reference` names a loaded policy, else the precise reason.
    pub fn check(&self, reference: &PolicyRef) -> Result<(), String> {
        let Some(revisions) = self.known.get(&reference.id) else {
            let ids: Vec<&str> = self.known.keys().map(String::as_str).collect();
            return Err(format!(
                "no policy `{}` is loaded (loaded: {})",
                reference.id,
                if ids.is_empty() {
                    "none".into()
                } else {
                    ids.join(", ")
                }
            ));
        };
        let Some(hashes) = revisions.get(&reference.revision) else {
            let known: Vec<String> = revisions.keys().map(u32::to_string).collect();
            return Err(format!(
                "policy `{}` has no revision {} (loaded revisions: {})",
                reference.id,
                reference.revision,
                known.join(", ")
            ));
        };
        if hashes.contains(&reference.hash) {
            Ok(())
        } else {
            Err(format!(
                "policy `{}` revision {} has hash {}, not {}",
                reference.id,
                reference.revision,
                hashes.iter().cloned().collect::<Vec<_>>().join(" or "),
                reference.hash
            ))
        }
    }
}

/// Reads and parses one policy file.
pub fn read(file: &Path) -> Result<Policy, String> {
    let source = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let name = file.to_string_lossy();
    parse(&source, Syntax::of_file(&name)).map_err(|finding| finding.render(&name))
}

fn policy_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.is_file() && path.extension().is_some_and(|e| e == "toml" || e == "json")
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_policies() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/policies")
    }

    #[test]
    fn loads_the_sites_policies_and_names_what_is_unknown() {
        let (policies, report) = Policies::load(&repo_policies()).unwrap();
        assert!(!policies.is_empty(), "{report:?}");
        let Some(Loaded::Policy { reference, .. }) =
            report.iter().find(|l| matches!(l, Loaded::Policy { .. }))
        else {
            panic!("no policy loaded: {report:?}");
        };
        assert_eq!(policies.check(reference), Ok(()));

        let other_hash = PolicyRef {
            hash: format!("sha256:{}", "0".repeat(64)),
            ..reference.clone()
        };
        assert!(policies
            .check(&other_hash)
            .unwrap_err()
            .contains("has hash"));
        let other_revision = PolicyRef {
            revision: reference.revision + 100,
            ..reference.clone()
        };
        assert!(policies
            .check(&other_revision)
            .unwrap_err()
            .contains("no revision"));
        let other_id = PolicyRef {
            id: "nobody".into(),
            ..reference.clone()
        };
        assert!(policies
            .check(&other_id)
            .unwrap_err()
            .contains("no policy `nobody`"));
    }

    #[test]
    fn a_broken_file_is_skipped_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.toml"), "id = [").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a policy").unwrap();
        let (policies, report) = Policies::load(dir.path()).unwrap();
        assert!(policies.is_empty());
        assert!(
            matches!(report.as_slice(), [Loaded::Skipped { .. }]),
            "{report:?}"
        );
        assert!(Policies::load(&dir.path().join("missing")).is_err());
    }
}
