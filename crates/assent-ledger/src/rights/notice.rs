//! "What we hold about you": core's notice model of the policy, in the
//! caller's language, with the account's own count per data category.

use serde_json::{json, Value};

use super::service::Rights;

/// The notice of the rights policy in `lang`, with `counts` per data category.
pub fn held(rights: &Rights, lang: &str, counts: &[(String, u64)]) -> Value {
    let counts: serde_json::Map<String, Value> = counts
        .iter()
        .map(|(data, n)| (data.clone(), json!(n)))
        .collect();
    json!({ "language": lang, "counts": counts, "policy": rights.policy.id })
}
