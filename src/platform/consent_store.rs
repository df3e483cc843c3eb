//! Where the user's decision is kept: a first-party cookie and `localStorage`.
//!
//! Both hold the same value (core's stored form, `assent_core::stored`). The
//! cookie lets the site's server see the choice; `localStorage` survives browsers
//! that clear or cap cookies. Reading takes the newest valid value of the two;
//! writing writes both and reports each store that failed. A failure never loses
//! the decision for the current page view: the caller still applies it.

use assent_core::{Decision, CHOICE_LIFETIME_MS};

use crate::platform::{cookies, storage};
use crate::Error;

/// Name of the consent cookie.
pub const COOKIE_NAME: &str = "assent_consent";
/// Key of the consent value in `localStorage`.
pub const STORAGE_KEY: &str = "assent.consent";

/// What [`load`] found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The newest valid decision, if any store had one.
    pub decision: Option<Decision>,
    /// Every store that could not be read or held a broken value.
    pub problems: Vec<Error>,
}

/// Reads the decision valid at `now_ms`.
pub fn load(now_ms: u64) -> Loaded {
    let mut loaded = Loaded::default();
    for read in [cookies::read(COOKIE_NAME), storage::get(STORAGE_KEY)] {
        let value = match read {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(e) => {
                loaded.problems.push(e);
                continue;
            }
        };
        match Decision::decode(&value) {
            Ok(d) if d.is_valid_at(now_ms) => {
                if loaded
                    .decision
                    .is_none_or(|best| d.decided_at_ms > best.decided_at_ms)
                {
                    loaded.decision = Some(d);
                }
            }
            // Expired: not an error, the user is simply asked again.
            Ok(_) => {}
            Err(e) => loaded.problems.push(Error::StoredValueInvalid(e)),
        }
    }
    loaded
}

/// Writes `decision` to both stores; returns the failures (empty: both kept it).
pub fn save(decision: &Decision) -> Vec<Error> {
    let value = decision.encode();
    let options = cookies::CookieOptions {
        max_age_s: CHOICE_LIFETIME_MS / 1000,
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
