//! `cargo xtask schema`: writes the JSON Schemas generated from core's models,
//! `docs/records.schema.json` (consent records and receipts) and
//! `docs/policy.schema.json` (policy files); a test keeps the committed files current.

use std::fs;

use assent_core::record::{Receipt, Record};

use crate::root;

/// Writes every generated schema.
pub fn schema() -> Result<(), String> {
    for (file, text) in [
        ("docs/records.schema.json", records()),
        ("docs/policy.schema.json", crate::policy::schema()),
    ] {
        let path = root().join(file);
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The JSON Schema of a consent record, with the receipt's schema in its
/// `$defs` (`Receipt`), pretty-printed.
pub fn records() -> String {
    let mut schema = schemars::schema_for!(Record);
    let receipt = schemars::schema_for!(Receipt);
    if let Some(defs) = schema
        .ensure_object()
        .entry("$defs")
        .or_insert_with(|| serde_json::json!({}))
        .as_object_mut()
    {
        let mut receipt = receipt.to_value();
        if let Some(object) = receipt.as_object_mut() {
            object.remove("$schema");
        }
        defs.insert("Receipt".into(), receipt);
    }
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is the one core's record model generates (`cargo xtask schema`).
    #[test]
    fn committed_records_schema_matches_the_model() {
        let committed =
            fs::read_to_string(root().join("docs/records.schema.json")).unwrap_or_default();
        assert!(
            committed == records(),
            "docs/records.schema.json is stale: run `cargo xtask schema`"
        );
    }

    /// The schema carries the rules serde alone cannot: patterns and conditions.
    #[test]
    fn records_schema_states_the_format_rules() {
        let schema: serde_json::Value = serde_json::from_str(&records()).unwrap();
        let properties = &schema["properties"];
        assert_eq!(
            properties["previous"]["pattern"],
            assent_core::record::HASH_PATTERN
        );
        assert_eq!(
            properties["subject"]["pattern"],
            assent_core::record::SUBJECT_PATTERN
        );
        let required = schema["required"].as_array().unwrap();
        for field in ["previous", "valid-until", "seq", "purposes"] {
            assert!(required.iter().any(|r| r == field), "{field} is required");
        }
        assert!(!required.iter().any(|r| r == "account"));
        assert_eq!(schema["additionalProperties"], false);
        assert!(schema["allOf"].as_array().is_some_and(|c| c.len() == 2));
        assert!(schema["$defs"]["Receipt"]["properties"]["ledger"].is_object());
    }
}
