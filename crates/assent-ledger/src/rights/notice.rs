//! "What we hold about you": core's notice model of the policy (the same the
//! preview pages and the panel render), in the caller's language, with the
//! account's own count per data category.

use assent_core::policy::notice::{notice, Notice};

use super::service::Rights;

/// The notice of the rights policy in `lang`, with `counts` per data category.
pub fn held(rights: &Rights, lang: &str, counts: &[(String, u64)]) -> Notice {
    notice(&rights.policy, lang).with_counts(counts)
}
