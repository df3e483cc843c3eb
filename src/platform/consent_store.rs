//! Where the user's decision is kept: a first-party cookie and `localStorage`.
//!
//! Both hold the same value (core's stored form, `assent_core::stored`). The
//! cookie lets the site's server see the choice; `localStorage` survives browsers
//! that clear or cap cookies. Reading takes the newest valid value of the two
//! (core's `rules::pick`, the loader does the same); writing writes both and
//! reports each store that failed. A failure never loses the decision for the
//! current page view: the caller still applies it.

use assent_core::rules::{evaluate, pick, Verdict};
use assent_core::{Decision, Rules};

use crate::platform::{cookies, storage};
use crate::Error;

/// Name of the consent cookie.
pub const COOKIE_NAME: &str = "assent_consent";
/// Key of the consent value in `localStorage`.
pub const STORAGE_KEY: &str = "assent.consent";

/// What [`load`] found.
#[derive(Debug)]
pub struct Loaded {
    /// Core's reading of the newest value of the two stores.
    pub verdict: Verdict,
    /// Every store that could not be read or held a broken value.
    pub problems: Vec<Error>,
}

/// Reads the stored decision under `rules` at `now_ms` with GPC `gpc`.
pub fn load(rules: &Rules, now_ms: u64, gpc: bool) -> Loaded {
    let mut problems = Vec::new();
    let mut verdicts = Vec::new();
    for read in [cookies::read(COOKIE_NAME), storage::get(STORAGE_KEY)] {
        match read {
            Ok(Some(value)) => {
                let verdict = evaluate(Some(&value), rules, now_ms, gpc);
                if let Some(problem) = &verdict.problem {
                    problems.push(Error::StoredValueInvalid(problem.clone()));
                }
                verdicts.push(verdict);
            }
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    }
    Loaded {
        verdict: pick(verdicts),
        problems,
    }
}

/// Writes `decision` to both stores, kept for `rules`' lifetime; returns the
/// failures (empty: both kept it).
pub fn save(decision: &Decision, rules: &Rules) -> Vec<Error> {
    let value = decision.encode();
    let options = cookies::CookieOptions {
        max_age_s: rules.lifetime_ms() / 1000,
    };
    [
        cookies::write(COOKIE_NAME, &value, options),
        storage::set(STORAGE_KEY, &value),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

/// Forgets the decision in both stores; returns the failures.
pub fn clear() -> Vec<Error> {
    [
        cookies::write(COOKIE_NAME, "", cookies::CookieOptions { max_age_s: 0 }),
        storage::remove(STORAGE_KEY),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}
