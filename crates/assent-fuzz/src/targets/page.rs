//! `page-config`: a page's `#assent-config` read into core's `PageConfig`,
//! as the loader's records chunk and the widget read it, from any JSON.
//!
//! Oracle: what reads writes back and reads again the same (the build writes
//! the configuration with this model, and the widget reads it).

use std::path::Path;

use arbitrary::Unstructured;
use assent_core::policy::config::page_config;
use assent_core::policy::page::PageConfig;

use super::{dictionary, mutate_text, reads_back, words_of, Corpus, Target};
use crate::{ensure, json, seeds, Failure, Outcome};

/// `page-config`.
pub const TARGET: Target = Target {
    name: "page-config",
    extension: "json",
    about:
        "a page's #assent-config into PageConfig: what reads writes back and reads again the same",
    seeds: config_seeds,
    generate,
    mutate: mutate_text,
    check,
    twin: None,
};

const WORDS: &[&str] = &[
    "policy",
    "revision",
    "hash",
    "controller",
    "jurisdiction",
    "texts",
    "widget-version",
    "consent-revision",
    "lifetime-days",
    "languages",
    "categories",
    "lang",
    "changes",
    "records",
    "account",
    "floating-button",
    "reload-on-withdrawal",
    "basis",
    "services",
    "cookies",
    "consent-mode",
];

/// The configuration of every policy of the repository, in each of its
/// languages and with none forced.
fn config_seeds(root: &Path) -> Corpus {
    let policies = seeds::parsed_policies(root);
    let mut entries = Vec::new();
    let mut words = Vec::new();
    for (i, policy) in policies.iter().enumerate() {
        let earlier = &policies[..i];
        let mut langs: Vec<Option<&str>> =
            policy.languages.iter().map(|l| Some(l.as_str())).collect();
        langs.push(None);
        for lang in langs {
            let config = page_config(policy, earlier, lang);
            if let Ok(tree) = serde_json::to_value(&config) {
                words_of(&tree, &mut words);
                entries.push(serde_json::to_vec(&tree).unwrap_or_default());
            }
        }
    }
    entries.push(b"{}".to_vec());
    Corpus {
        entries,
        words: dictionary(words, WORDS),
    }
}

fn generate(u: &mut Unstructured<'_>, corpus: &Corpus) -> arbitrary::Result<Vec<u8>> {
    let words = corpus.words();
    if u.ratio(1, 8)? {
        return Ok(json::value(u, &words, 4)?.to_string().into_bytes());
    }
    let seed = u.choose(&corpus.entries)?;
    let Ok(mut tree) = serde_json::from_slice(seed) else {
        return Ok(seed.clone());
    };
    json::mutate(u, &mut tree, &words)?;
    Ok(tree.to_string().into_bytes())
}

fn check(input: &[u8]) -> Result<Outcome, Failure> {
    let config: PageConfig = match serde_json::from_slice(input) {
        Ok(c) => c,
        Err(e) => return Ok(format!("refused:{:?}", e.classify())),
    };
    for category in &config.categories {
        let _ = category.legal_basis();
    }
    reads_back(&config, "configuration")?;
    let tree = serde_json::to_value(&config).map_err(|e| {
        Failure::Oracle(format!("a configuration that reads has no JSON tree: {e}"))
    })?;
    let from_tree: Result<PageConfig, _> = serde_json::from_value(tree);
    ensure(from_tree.as_ref().ok() == Some(&config), || {
        format!("read from its JSON tree it is {from_tree:?}")
    })?;
    Ok(format!(
        "read:{}:{}",
        config.categories.len().min(5),
        config.changes.is_some()
    ))
}
